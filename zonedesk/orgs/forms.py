from django import forms
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.text import CleanTextForm
from zonedesk.web.forms import VersionedForm

from . import selectors
from .models import Org, Role, Team, User
from .passwords import rules_text

# Lazy: the rules are read in the language of the request that shows the form.
PASSWORD_RULES = lazy(rules_text, str)()


class OrgForm(VersionedForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Org.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(
        label=_("行政区划代码"),
        max_length=6,
        required=False,
        help_text=_("GB/T 2260 六位代码；开发区、园区可填所在县的代码"),
    )
    stat_code = forms.CharField(
        label=_("统计用区划代码"), max_length=12, required=False, help_text=_("12位，可选")
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class UnitForm(VersionedForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    phone = forms.CharField(label=_("电话"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class TeamForm(VersionedForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Team.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    chain = forms.CharField(label=_("产业链"), max_length=100, required=False)
    leader = forms.ModelChoiceField(label=_("包联领导"), queryset=None, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("成员"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = selectors.users_for(user).filter(is_active=True)
        if team is not None:
            # A county leader in charge of a zone's team lies outside the zone admin's
            # scope; saving the form must not silently drop them.
            current = [team.leader_id, *team.members.values_list("pk", flat=True)]
            people = User.objects.filter(Q(pk__in=people) | Q(pk__in=current))
        self.fields["leader"].queryset = people.order_by("name")
        self.fields["members"].queryset = people.order_by("name")


class UserForm(VersionedForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.CharField(label=_("电话"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class RoleForm(CleanTextForm):
    org = forms.ModelChoiceField(label=_("组织"), queryset=None)
    role = forms.ChoiceField(label=_("角色"), choices=[("", "---------"), *Role.Name.choices])
    unit = forms.ModelChoiceField(label=_("部门（部门人员须填）"), queryset=None, required=False)
    enterprise = forms.ModelChoiceField(
        label=_("企业（企业联系人须填）"), queryset=None, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = selectors.orgs_for(user)
        self.fields["unit"].queryset = selectors.units_for(user)
        enterprises = Role._meta.get_field("enterprise").related_model.objects
        self.fields["enterprise"].queryset = enterprises.filter(selectors.enterprise_q(user))
        # Long names of other zones would be ambiguous in a flat list; show the node.
        self.fields["unit"].label_from_instance = lambda u: f"{u.org} · {u}"


class NewUserForm(RoleForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    name = forms.CharField(label=_("姓名"), max_length=50)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, help_text=PASSWORD_RULES
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.CharField(label=_("电话"), max_length=40, required=False)
    field_order = "username name password email phone org role unit enterprise".split()


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("新密码"), widget=forms.PasswordInput, help_text=PASSWORD_RULES
    )


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("6 位验证码"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )
