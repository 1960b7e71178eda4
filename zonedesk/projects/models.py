from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.bounds import COUNT, MONEY, MONTH, WORKING_DAYS, YEAR
from zonedesk.orgs.models import Org, Versioned


class Project(Versioned):
    class Stage(models.TextChoices):
        RESERVE = "reserve", _("储备")
        SIGNED = "signed", _("签约")
        STARTED = "started", _("在建")
        COMPLETED = "completed", _("竣工")
        OPERATING = "operating", _("投产")
        CANCELLED = "cancelled", _("已取消")

    class Category(models.TextChoices):
        INDUSTRY = "industry", _("产业类")
        INFRASTRUCTURE = "infrastructure", _("基础设施类")
        LIVELIHOOD = "livelihood", _("民生类")

    class Nature(models.TextChoices):
        NEW = "new", _("新建")
        CONTINUING = "continuing", _("续建")
        EXPANSION = "expansion", _("扩建")
        RENOVATION = "renovation", _("技改")

    org = models.ForeignKey(Org, models.PROTECT, related_name="projects", verbose_name=_("开发区"))
    park = models.ForeignKey(
        Org,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="park_projects",
        verbose_name=_("园区"),
    )
    name = models.CharField(_("项目名称"), max_length=200)
    project_code = models.CharField(_("统一项目代码"), max_length=24, blank=True)
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices)
    nature = models.CharField(_("建设性质"), max_length=12, choices=Nature.choices)
    is_provincial = models.BooleanField(_("省重点"), default=False)
    is_municipal = models.BooleanField(_("市重点"), default=False)
    is_county = models.BooleanField(_("县重点"), default=False)
    is_double_hundred = models.BooleanField(_("双百"), default=False)
    industry = models.ForeignKey(
        "catalog.IndustryCode",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("国民经济行业"),
    )
    chain = models.CharField(_("产业链"), max_length=60, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("企业"),
    )
    scale = models.CharField(_("建设规模"), max_length=200, blank=True)
    content = models.TextField(_("建设内容"), blank=True)
    total_investment = models.DecimalField(_("总投资（万元）"), **MONEY.column)
    annual_output = models.DecimalField(
        _("预计年产值（万元）"), null=True, blank=True, **MONEY.column
    )
    annual_tax = models.DecimalField(_("预计年税收（万元）"), null=True, blank=True, **MONEY.column)
    jobs = models.PositiveIntegerField(_("带动就业（人）"), null=True, blank=True, **COUNT.column)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("包联领导"),
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("责任单位"),
    )
    agent_unit = models.ForeignKey(
        "orgs.Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="served_projects",
        verbose_name=_("代办单位"),
    )
    team = models.ForeignKey(
        "orgs.Team",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("项目专班"),
    )
    is_standard_land = models.BooleanField(_("标准地"), default=False)
    is_commitment = models.BooleanField(_("承诺制"), default=False)
    stage = models.CharField(
        _("阶段"), max_length=12, choices=Stage.choices, default=Stage.RESERVE, db_index=True
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # Milestones: planned and actual dates of the lifecycle.
    planned_start = models.DateField(_("计划开工时间"), null=True, blank=True)
    planned_completion = models.DateField(_("计划竣工时间"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True)
    operating_on = models.DateField(_("投产日期"), null=True, blank=True)
    stats_registered = models.BooleanField(_("入库入统"), default=False)
    stats_registered_on = models.DateField(_("入库日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-total_investment", "name"]
        verbose_name = _("项目")
        constraints = [
            models.UniqueConstraint(
                fields=["project_code"], condition=~Q(project_code=""), name="project_unique_code"
            ),
            models.UniqueConstraint(fields=["org", "name"], name="project_unique_name"),
            MONEY.constraint("project", "total_investment"),
            MONEY.constraint("project", "annual_output"),
            MONEY.constraint("project", "annual_tax"),
            COUNT.constraint("project", "jobs"),
        ]
        indexes = [
            models.Index(fields=["org", "stage"]),
            # The list's default order: its first page without sorting every project.
            models.Index(fields=["-total_investment", "id"], name="project_list_order"),
        ]

    def __str__(self):
        return self.name


class YearPlan(Versioned):
    project = models.ForeignKey(Project, models.CASCADE, related_name="year_plans")
    year = models.PositiveSmallIntegerField(_("年度"), **YEAR.column)
    planned_investment = models.DecimalField(_("年度计划投资（万元）"), **MONEY.column)
    planned_start_month = models.PositiveSmallIntegerField(
        _("计划开工月份"), null=True, blank=True, **MONTH.column
    )
    goal = models.CharField(_("年度建设目标"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度计划")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="yearplan_unique_year"),
            YEAR.constraint("yearplan", "year"),
            MONEY.constraint("yearplan", "planned_investment"),
            MONTH.constraint("yearplan", "planned_start_month"),
        ]

    def __str__(self):
        return f"{self.project} {self.year}"


class ProgressReport(Versioned):
    project = models.ForeignKey(Project, models.CASCADE, related_name="reports")
    period = models.DateField(_("月份"), help_text=_("该月第一天"))
    invested = models.DecimalField(_("本月完成投资（万元）"), **MONEY.column)
    progress = models.TextField(_("形象进度"))
    problems = models.TextField(_("存在问题"), blank=True)
    is_late = models.BooleanField(_("逾期填报"), default=False)
    # 期初累计: what a ledger's 今年累计完成投资 holds beyond the months filed one by one (the
    # months before ZoneDesk), on the first month not filed; counted with the months.
    is_opening = models.BooleanField(_("期初累计"), default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    filed_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("月度进展")
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="report_unique_period"),
            MONEY.constraint("report", "invested"),
        ]
        indexes = [models.Index(fields=["period", "project"])]

    def __str__(self):
        return f"{self.project} {self.period:%Y-%m}"


class ProgressPhoto(models.Model):
    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="progress/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.image.name


class ApprovalStep(Versioned):
    class Kind(models.TextChoices):
        FILING = "filing", _("立项备案")
        LAND_PRE = "land_pre", _("用地预审")
        LAND = "land", _("用地审批")
        PLANNING = "planning", _("规划许可")
        EIA = "eia", _("环评")
        ENERGY = "energy", _("能评")
        CONSTRUCTION = "construction", _("施工许可")
        ACCEPTANCE = "acceptance", _("竣工验收备案")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PENDING = "pending", _("未开始")
        ACTIVE = "active", _("办理中")
        DONE = "done", _("已办结")

    project = models.ForeignKey(Project, models.CASCADE, related_name="approvals")
    kind = models.CharField(_("审批事项"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("事项名称"), max_length=100, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代办员"),
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批部门"),
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default="pending")
    committed_days = models.PositiveSmallIntegerField(
        _("承诺办结时限（工作日）"), **WORKING_DAYS.column
    )
    started_on = models.DateField(_("受理日期"), null=True, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    is_commitment = models.BooleanField(_("承诺制"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["project", "started_on", "id"]
        verbose_name = _("审批事项")
        constraints = [WORKING_DAYS.constraint("approval", "committed_days")]

    def __str__(self):
        return self.title or self.get_kind_display()


class ZoneSettings(models.Model):
    """A zone's own rules for reporting and warnings; zones without a row use the defaults."""

    org = models.OneToOneField(Org, models.CASCADE, related_name="project_settings")
    report_day = models.PositiveSmallIntegerField(_("月报截止日"), default=5)
    shift_deadline = models.BooleanField(
        _("截止日遇节假日顺延"),
        default=True,
        help_text=_("月报截止日逢法定节假日或周末时，顺延至下一个工作日"),
    )
    yellow_gap = models.PositiveSmallIntegerField(_("黄色预警差距（百分点）"), default=10)
    red_gap = models.PositiveSmallIntegerField(_("红色预警差距（百分点）"), default=30)
    red_start_delay = models.PositiveSmallIntegerField(_("未按期开工转红（月）"), default=3)

    def __str__(self):
        return str(self.org)
