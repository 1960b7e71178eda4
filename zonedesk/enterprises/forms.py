from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.bounds import MONEY, YEAR
from zonedesk.catalog.models import IndustryCode
from zonedesk.catalog.text import CleanTextForm
from zonedesk.orgs.models import Org
from zonedesk.web.forms import VersionedForm

from .models import Designation, SupportFund

BLANK = [("", _("全部"))]
DATE = forms.DateInput(attrs={"type": "date"})


class ChainInput(forms.TextInput):
    """Free text with the chains already in use offered as suggestions (a datalist)."""

    template_name = "enterprises/_chain_input.html"

    def __init__(self, chains=(), attrs=None):
        super().__init__(attrs)
        self.chains = list(chains)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["chains"] = self.chains
        context["widget"]["attrs"]["list"] = f"{attrs.get('id', name)}-chains"
        return context


class EnterpriseFilter(CleanTextForm):
    q = forms.CharField(label=_("名称或统一社会信用代码"), required=False)
    chain = forms.ChoiceField(label=_("产业链"), required=False)
    park = forms.ModelChoiceField(label=_("园区"), queryset=None, required=False)
    above_scale = forms.NullBooleanField(
        label=_("规模以上"),
        required=False,
        widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )

    def __init__(self, data, *, chains, parks):
        super().__init__(data)
        self.fields["chain"].choices = BLANK + [(c, c) for c in chains]
        self.fields["park"].queryset = parks

    def values(self):
        return self.cleaned_data if self.is_valid() else {}


class EnterpriseForm(VersionedForm):
    name = forms.CharField(label=_("企业名称"), max_length=120)
    uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=40, help_text=_("18位，末位校验码将被核验")
    )
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    legal_rep = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    industry = forms.ModelChoiceField(
        label=_("国民经济行业（GB/T 4754）"), queryset=None, required=False
    )
    chain = forms.CharField(label=_("产业链"), max_length=60, required=False)
    park = forms.ModelChoiceField(label=_("园区"), queryset=None, required=False)
    above_scale = forms.BooleanField(label=_("规模以上"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    registered_capital = MONEY.form_field(label=_("注册资本（万元）"), required=False)
    established_on = forms.DateField(label=_("成立日期"), required=False, widget=DATE)

    def __init__(self, *args, org, chains, **kwargs):
        super().__init__(*args, **kwargs)
        zone = org if org.kind != Org.Kind.PARK else org.parent
        self.fields["park"].queryset = Org.objects.filter(
            path__startswith=zone.path, kind=Org.Kind.PARK
        )
        self.fields["industry"].queryset = IndustryCode.objects.filter(level="division")
        self.fields["chain"].widget = ChainInput(chains)

    def data_for_service(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ContactForm(VersionedForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=50, required=False)
    phone = forms.CharField(label=_("电话"), max_length=40, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=100, required=False)
    is_primary = forms.BooleanField(label=_("主要联系人"), required=False)


class DesignationForm(VersionedForm):
    kind = forms.ChoiceField(label=_("称号"), choices=Designation.Kind.choices)
    other_name = forms.CharField(
        label=_("其他称号名称"), max_length=60, required=False, help_text=_("称号选“其他”时填写")
    )
    level = forms.ChoiceField(label=_("级别"), choices=Designation.Level.choices)
    certificate_no = forms.CharField(label=_("证书编号"), max_length=60, required=False)
    granted_on = forms.DateField(label=_("认定日期"), widget=DATE)
    expires_on = forms.DateField(label=_("有效期至"), required=False, widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class DesignationFilter(CleanTextForm):
    q = forms.CharField(label=_("企业、代码或证书编号"), required=False)
    kind = forms.ChoiceField(
        label=_("称号"), choices=BLANK + Designation.Kind.choices, required=False
    )
    level = forms.ChoiceField(
        label=_("级别"), choices=BLANK + Designation.Level.choices, required=False
    )
    chain = forms.ChoiceField(label=_("产业链"), required=False)
    expiring = forms.BooleanField(label=_("90 天内到期"), required=False)

    def __init__(self, data, *, chains):
        super().__init__(data)
        self.fields["chain"].choices = BLANK + [(c, c) for c in chains]

    def values(self):
        return self.cleaned_data if self.is_valid() else {}


class FundForm(VersionedForm):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None, required=False)
    project = forms.ModelChoiceField(
        label=_("项目"), queryset=None, required=False, help_text=_("企业与项目二者选其一")
    )
    year = YEAR.form_field(label=_("年度"))
    source = forms.ChoiceField(label=_("资金来源"), choices=SupportFund.Source.choices)
    policy = forms.CharField(
        label=_("政策名称"),
        max_length=120,
        required=False,
        help_text=_("如：专精特新企业奖励、技术改造专项资金"),
    )
    amount = MONEY.form_field(label=_("金额（万元）"))
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=SupportFund.Status.choices)
    paid_on = forms.DateField(label=_("拨付日期"), required=False, widget=DATE)

    def __init__(self, *args, enterprises, projects, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["project"].queryset = projects

    def data_for_service(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class FundFilter(CleanTextForm):
    q = forms.CharField(label=_("企业、项目、政策或用途"), required=False)
    year = YEAR.form_field(label=_("年度"), required=False)
    source = forms.ChoiceField(
        label=_("资金来源"), choices=BLANK + SupportFund.Source.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=BLANK + SupportFund.Status.choices, required=False
    )
    chain = forms.CharField(label=_("产业链"), required=False, widget=forms.HiddenInput)
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)
    project = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def values(self):
        return self.cleaned_data if self.is_valid() else {}
