from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.text import CleanTextForm
from zonedesk.common.forms import BLANK
from zonedesk.enterprises.selectors import enterprises_for
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Role
from zonedesk.projects.selectors import projects_for

from .models import Blocker
from .selectors import units_serving
from .services import MAX_DAYS

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class BlockerFilter(CleanTextForm):
    q = forms.CharField(label=_("问题或项目"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=BLANK + Blocker.Status.choices, required=False
    )
    level = forms.ChoiceField(
        label=_("督办级别"), choices=BLANK + Blocker.Level.choices, required=False
    )
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False)
    overdue = forms.BooleanField(label=_("已逾期"), required=False)
    state = forms.ChoiceField(
        label=_("汇总口径"),
        required=False,
        choices=[
            *BLANK,
            ("open", _("未办结")),
            ("overdue", _("逾期未办结")),
            ("resolved", _("已办结")),
            ("on_time", _("按期办结")),
            ("late", _("超期办结")),
        ],
    )
    project = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["unit"].queryset = orgs.units_for(user)

    def values(self):
        return self.cleaned_data if self.is_valid() else {}


def _units_of(field, org):
    """The units a blocker of `org` may go to; one of a node above is named with its node
    (寿阳县 · 自然资源局), beside the zone's own 自然资源所."""
    field.queryset = units_serving(org).select_related("org").order_by("org__path", "name")
    field.label_from_instance = lambda u: str(u) if u.org_id == org.pk else f"{u.org} · {u}"


class BlockerForm(CleanTextForm):
    title = forms.CharField(label=_("问题"), max_length=200)
    description = forms.CharField(label=_("问题描述"), widget=TEXT, required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    leader = forms.ModelChoiceField(label=_("协调领导"), queryset=None, required=False)
    days = forms.IntegerField(
        label=_("办结时限（工作日）"),
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        help_text=_("按国家法定节假日及调休安排计算；与下面的日期二选一"),
    )
    deadline = forms.DateField(label=_("或办结日期"), widget=DATE, required=False)
    project = forms.ModelChoiceField(label=_("项目"), queryset=None, required=False)
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None, required=False)
    source_note = forms.CharField(
        label=_("来源说明"),
        max_length=200,
        required=False,
        help_text=_("如：3月15日项目调度会、现场办公"),
    )

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        _units_of(self.fields["unit"], org)
        self.fields["leader"].queryset = (
            orgs.users_for(user).filter(is_active=True, roles__role=Role.Name.LEADER).distinct()
        )
        self.fields["project"].queryset = projects_for(user).filter(org=org).order_by("name")
        self.fields["enterprise"].queryset = enterprises_for(user).filter(
            org__path__startswith=org.path
        )

    def clean(self):
        data = super().clean()
        days, date = data.get("days"), data.get("deadline")
        if (days is None) == (date is None) and not self.errors:
            raise ValidationError({"days": _("请填写办结时限：工作日数或办结日期，二选一")})
        return data

    def blocker_data(self):
        d = dict(self.cleaned_data)
        days = d.pop("days")
        if days is not None:
            d["deadline"] = days
        return d


class TextForm(CleanTextForm):
    text = forms.CharField(label=_("说明"), widget=TEXT, required=False)


class ReasonForm(CleanTextForm):
    reason = forms.CharField(label=_("原因"), widget=TEXT)


class ReassignForm(CleanTextForm):
    unit = forms.ModelChoiceField(label=_("改派给"), queryset=None)
    reason = forms.CharField(label=_("改派原因"), max_length=200)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        _units_of(self.fields["unit"], org)
