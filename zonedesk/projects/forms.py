from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.bounds import COUNT, MONEY, WORKING_DAYS, YEAR
from zonedesk.catalog.text import CleanTextForm
from zonedesk.common.forms import BLANK, MONTHS, MultipleFileField, MultipleFileInput
from zonedesk.enterprises.selectors import enterprises_for
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Org, Team
from zonedesk.web.forms import VersionedForm

from . import selectors
from .models import ApprovalStep, Project

LEVELS = [
    ("is_provincial", _("省重点")),
    ("is_municipal", _("市重点")),
    ("is_county", _("县重点")),
    ("is_double_hundred", _("双百")),
]
WARNINGS = [("red", _("红色")), ("yellow", _("黄色")), ("green", _("正常"))]
SORTS = [
    ("-total_investment", _("总投资从高到低")),
    ("total_investment", _("总投资从低到高")),
    ("-ytd", _("今年完成从高到低")),
    ("name", _("名称")),
    ("-created_at", _("最近登记")),
]


class ProjectFilter(CleanTextForm):
    q = forms.CharField(label=_("名称、代码或企业"), required=False)
    year = YEAR.form_field(label=_("年度"))
    month = forms.TypedChoiceField(label=_("截至月份"), choices=MONTHS, coerce=int)
    stage = forms.ChoiceField(
        label=_("阶段"), choices=BLANK + Project.Stage.choices, required=False
    )
    category = forms.ChoiceField(
        label=_("项目类别"), choices=BLANK + Project.Category.choices, required=False
    )
    nature = forms.ChoiceField(
        label=_("建设性质"),
        choices=[
            *BLANK,
            *Project.Nature.choices,
            ("noncontinuing", _("非续建（新建、扩建、技改）")),
        ],
        required=False,
    )
    level = forms.ChoiceField(label=_("级别"), choices=BLANK + LEVELS, required=False)
    warning = forms.ChoiceField(label=_("预警"), choices=BLANK + WARNINGS, required=False)
    chain = forms.ChoiceField(label=_("产业链"), required=False)
    # Records by key, from choices remembered per scope (orgs.filter_choices): the form
    # costs no query of its own. The selectors filter by key as they would by record.
    org = forms.TypedChoiceField(label=_("开发区"), coerce=int, empty_value=None, required=False)
    park = forms.TypedChoiceField(label=_("园区"), coerce=int, empty_value=None, required=False)
    unit = forms.TypedChoiceField(label=_("责任单位"), coerce=int, empty_value=None, required=False)
    leader = forms.TypedChoiceField(
        label=_("包联领导"), coerce=int, empty_value=None, required=False
    )
    in_plan = forms.BooleanField(label=_("仅列入年度计划的"), required=False)
    sort = forms.ChoiceField(label=_("排序"), choices=SORTS, required=False)

    def __init__(self, data, *, choices, default_period):
        """`choices`: the chain names and the (key, label) lists of org, park, unit and
        leader in the user's scope (selectors.chains, orgs.filter_choices)."""
        self.default_period = year, month = default_period
        data = {"year": year, "month": month, **{k: v for k, v in data.items() if v != ""}}
        super().__init__(data)
        self.fields["chain"].choices = BLANK + [(c, c) for c in choices["chain"]]
        for name in ("org", "park", "unit", "leader"):
            self.fields[name].choices = BLANK + choices[name]

    @classmethod
    def for_user(cls, data, user, default_period):
        """The filter with the choices of the user's scope, remembered across requests."""
        choices = {"chain": selectors.chains(user), **orgs.filter_choices(user)}
        return cls(data, choices=choices, default_period=default_period)

    def values(self):
        """The cleaned filter; the default period alone when the filter does not validate."""
        if self.is_valid():
            return self.cleaned_data
        year, month = self.default_period
        return {"year": year, "month": month}


class ProjectForm(VersionedForm):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    project_code = forms.CharField(
        label=_("统一项目代码"),
        max_length=40,
        required=False,
        help_text=_("格式 YYYY-XXXXXX-XX-XX-XXXXXX，立项后填写"),
    )
    category = forms.ChoiceField(label=_("项目类别"), choices=Project.Category.choices)
    nature = forms.ChoiceField(label=_("建设性质"), choices=Project.Nature.choices)
    park = forms.ModelChoiceField(label=_("园区"), queryset=None, required=False)
    total_investment = MONEY.form_field(label=_("总投资（万元）"))
    annual_output = MONEY.form_field(label=_("预计年产值（万元）"), required=False)
    annual_tax = MONEY.form_field(label=_("预计年税收（万元）"), required=False)
    jobs = COUNT.form_field(label=_("带动就业（人）"), required=False)
    is_provincial = forms.BooleanField(label=_("省重点"), required=False)
    is_municipal = forms.BooleanField(label=_("市重点"), required=False)
    is_county = forms.BooleanField(label=_("县重点"), required=False)
    is_double_hundred = forms.BooleanField(label=_("双百"), required=False)
    chain = forms.CharField(label=_("产业链"), max_length=60, required=False)
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None, required=False)
    scale = forms.CharField(
        label=_("建设规模"),
        max_length=200,
        required=False,
        help_text=_("如：年产35万吨、200MW/400MWh"),
    )
    content = forms.CharField(
        label=_("建设内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    leader = forms.ModelChoiceField(label=_("包联领导"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False)
    agent_unit = forms.ModelChoiceField(label=_("代办单位"), queryset=None, required=False)
    team = forms.ModelChoiceField(label=_("项目专班"), queryset=None, required=False)
    planned_start = forms.DateField(
        label=_("计划开工时间"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    planned_completion = forms.DateField(
        label=_("计划竣工时间"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_standard_land = forms.BooleanField(label=_("标准地"), required=False)
    is_commitment = forms.BooleanField(label=_("承诺制"), required=False)

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Org.objects.filter(parent=org, kind=Org.Kind.PARK)
        self.fields["enterprise"].queryset = enterprises_for(user).filter(
            org__path__startswith=org.path
        )
        self.fields["leader"].queryset = orgs.users_for(user).filter(is_active=True)
        units = orgs.units_for(user)
        self.fields["unit"].queryset = units
        self.fields["agent_unit"].queryset = units
        self.fields["team"].queryset = orgs.teams_for(user).filter(
            org=org, kind=Team.Kind.TASK_FORCE
        )

    def project_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class StageForm(VersionedForm):
    stage = forms.ChoiceField(label=_("新阶段"), choices=Project.Stage.choices)
    on = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)


class StatsForm(CleanTextForm):
    on = forms.DateField(label=_("入库日期"), widget=forms.DateInput(attrs={"type": "date"}))


class YearPlanForm(CleanTextForm):
    year = YEAR.form_field(label=_("年度"))
    planned_investment = MONEY.form_field(label=_("年度计划投资（万元）"))
    planned_start_month = forms.TypedChoiceField(
        label=_("计划开工月份"),
        choices=[("", "—"), *MONTHS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    goal = forms.CharField(label=_("年度建设目标"), max_length=200, required=False)


class ProgressForm(CleanTextForm):
    period = forms.DateField(
        label=_("月份"),
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    invested = MONEY.form_field(
        label=_("本月完成投资（万元）"), widget=forms.NumberInput(attrs={"inputmode": "decimal"})
    )
    progress = forms.CharField(label=_("形象进度"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(
        label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    photos = MultipleFileField(
        label=_("现场照片"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    reason = forms.CharField(label=_("更正原因（已关账月份必填）"), max_length=200, required=False)


class ApprovalForm(VersionedForm):
    kind = forms.ChoiceField(label=_("审批事项"), choices=ApprovalStep.Kind.choices)
    title = forms.CharField(label=_("事项名称"), max_length=100, required=False)
    unit = forms.ModelChoiceField(label=_("审批部门"), queryset=None, required=False)
    agent = forms.ModelChoiceField(label=_("代办员"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=ApprovalStep.Status.choices)
    committed_days = WORKING_DAYS.form_field(label=_("承诺办结时限（工作日）"))
    started_on = forms.DateField(
        label=_("受理日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    done_on = forms.DateField(
        label=_("办结日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_commitment = forms.BooleanField(label=_("承诺制"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = orgs.units_for(user)
        self.fields["agent"].queryset = orgs.users_for(user).filter(is_active=True)
