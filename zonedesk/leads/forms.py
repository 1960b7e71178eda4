from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.bounds import COUNT, MONEY, RATE, YEAR
from zonedesk.catalog.text import CleanTextForm
from zonedesk.common.forms import BLANK, MONTHS
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Org, Team
from zonedesk.web.forms import VersionedForm

from .models import Lead, Visit

DATE = forms.DateInput(attrs={"type": "date"})


class LeadFilter(CleanTextForm):
    q = forms.CharField(label=_("项目、投资方或内容"), required=False)
    stage = forms.ChoiceField(label=_("阶段"), choices=BLANK + Lead.Stage.choices, required=False)
    team = forms.ModelChoiceField(label=_("招商战队"), queryset=None, required=False)
    source = forms.ChoiceField(
        label=_("招商方式"), choices=BLANK + Lead.Source.choices, required=False
    )
    overdue = forms.BooleanField(label=_("下一步已逾期"), required=False)
    signed_from = forms.DateField(label=_("签约自"), required=False, widget=DATE)
    signed_before = forms.DateField(label=_("签约早于"), required=False, widget=DATE)
    advanced_from = forms.DateField(label=_("推进自"), required=False, widget=DATE)
    advanced_before = forms.DateField(label=_("推进早于"), required=False, widget=DATE)
    created_year = YEAR.form_field(label=_("登记年度"), required=False)
    reached = forms.ChoiceField(
        label=_("已到达阶段"),
        required=False,
        choices=[
            *BLANK,
            ("contacting", _("接洽")),
            ("negotiating", _("在谈")),
            ("signed", _("签约")),
            ("started", _("开工")),
        ],
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["team"].queryset = orgs.teams_for(user).filter(kind=Team.Kind.INVESTMENT)

    def values(self):
        return self.cleaned_data if self.is_valid() else {}


class LeadForm(VersionedForm):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    investor = forms.CharField(label=_("投资方"), max_length=200)
    confirmed = forms.BooleanField(label=_("确认不是重复"), required=False)
    origin = forms.CharField(
        label=_("投资方来源地"),
        max_length=60,
        required=False,
        help_text=_("省份或国家，如：江苏、德国"),
    )
    investor_intro = forms.CharField(
        label=_("投资方简介"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    content = forms.CharField(
        label=_("项目内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    chain = forms.CharField(label=_("产业链"), max_length=60, required=False)
    estimated_investment = MONEY.form_field(label=_("预计投资（万元）"))
    land_need = forms.CharField(
        label=_("需用土地"), max_length=100, required=False, help_text=_("如：约200亩")
    )
    source = forms.ChoiceField(label=_("招商方式"), choices=Lead.Source.choices)
    team = forms.ModelChoiceField(label=_("招商战队"), queryset=None)
    leader = forms.ModelChoiceField(label=_("责任领导"), queryset=None, required=False)
    park = forms.ModelChoiceField(label=_("片区"), queryset=None, required=False)
    contact_name = forms.CharField(label=_("企业联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系方式"), max_length=60, required=False)
    next_step = forms.CharField(label=_("下一步工作"), max_length=200)
    next_step_on = forms.DateField(label=_("下一步日期"), widget=DATE)
    note = forms.CharField(
        label=_("进度、备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    judgement = forms.CharField(label=_("研判结果"), max_length=200, required=False)

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = orgs.teams_for(user).filter(
            org=org, kind=Team.Kind.INVESTMENT
        )
        self.fields["leader"].queryset = orgs.users_for(user).filter(is_active=True)
        self.fields["park"].queryset = Org.objects.filter(parent=org, kind=Org.Kind.PARK)

    def lead_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "confirmed")}


class AdvanceForm(CleanTextForm):
    stage = forms.ChoiceField(
        label=_("推进到"),
        choices=[
            (s, label) for s, label in Lead.Stage.choices if s in ("contacting", "negotiating")
        ],
    )
    on = forms.DateField(label=_("日期"), widget=DATE)
    next_step = forms.CharField(label=_("下一步工作"), max_length=200)
    next_step_on = forms.DateField(label=_("下一步日期"), widget=DATE)


class SignForm(CleanTextForm):
    amount = MONEY.form_field(label=_("签约金额（万元）"))
    on = forms.DateField(label=_("签约日期"), widget=DATE)


class DropForm(CleanTextForm):
    reason = forms.CharField(label=_("放弃原因"), max_length=200)


class VisitForm(CleanTextForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Visit.Kind.choices)
    team = forms.ModelChoiceField(label=_("招商战队"), queryset=None)
    lead = forms.ModelChoiceField(label=_("相关线索"), queryset=None, required=False)
    date = forms.DateField(label=_("日期"), widget=DATE)
    place = forms.CharField(
        label=_("地点"), max_length=100, help_text=_("如：赴江苏、河南考察招商")
    )
    participants = forms.CharField(label=_("参加人员"), max_length=200)
    met = forms.CharField(label=_("会见对象"), max_length=200, required=False)
    outcome = forms.CharField(
        label=_("成果"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    follow_up = forms.CharField(label=_("后续跟进"), max_length=200, required=False)

    def __init__(self, *args, user, org, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = orgs.teams_for(user).filter(
            org=org, kind=Team.Kind.INVESTMENT
        )
        self.fields["lead"].queryset = leads.filter(org=org)


class TargetForm(CleanTextForm):
    year = YEAR.form_field(label=_("年度"))
    amount = MONEY.form_field(label=_("签约金额目标（万元）"))
    count = COUNT.form_field(label=_("签约项目数目标"))
    start_rate = RATE.form_field(label=_("当年签约项目开工率目标（%）"))


class PeriodForm(CleanTextForm):
    year = YEAR.form_field(label=_("年度"))
    month = forms.TypedChoiceField(label=_("截至月份"), choices=MONTHS, coerce=int)
