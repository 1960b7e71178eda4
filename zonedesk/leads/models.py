from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.bounds import COUNT, MONEY, RATE, YEAR
from zonedesk.orgs.models import Org, Versioned


class Lead(Versioned):
    class Stage(models.TextChoices):
        LEAD = "lead", _("线索")
        CONTACTING = "contacting", _("接洽")
        NEGOTIATING = "negotiating", _("在谈")
        SIGNED = "signed", _("已签约")
        DROPPED = "dropped", _("已放弃")

    class Source(models.TextChoices):
        BY_BUSINESS = "by_business", _("以商招商")
        DOOR_TO_DOOR = "door_to_door", _("上门招商")
        RESIDENT = "resident", _("驻点招商")
        CHAIN = "chain", _("产业链招商")
        FAIR = "fair", _("展会招商")
        ONLINE = "online", _("网络招商")
        AGENT = "agent", _("委托招商")
        OTHER = "other", _("其他")

    org = models.ForeignKey(Org, models.PROTECT, related_name="leads", verbose_name=_("开发区"))
    park = models.ForeignKey(
        Org,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="park_leads",
        verbose_name=_("片区"),
    )
    team = models.ForeignKey(
        "orgs.Team", models.PROTECT, related_name="leads", verbose_name=_("招商战队")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任领导"),
    )
    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.CharField(_("投资方"), max_length=200)
    origin = models.CharField(_("投资方来源地"), max_length=60, blank=True)
    investor_intro = models.TextField(_("投资方简介"), blank=True)
    content = models.TextField(_("项目内容"), blank=True)
    chain = models.CharField(_("产业链"), max_length=60, blank=True)
    estimated_investment = models.DecimalField(_("预计投资（万元）"), **MONEY.column)
    land_need = models.CharField(_("需用土地"), max_length=100, blank=True)
    source = models.CharField(_("招商方式"), max_length=16, choices=Source.choices)
    contact_name = models.CharField(_("企业联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系方式"), max_length=60, blank=True)
    stage = models.CharField(
        _("阶段"), max_length=12, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    next_step = models.CharField(_("下一步工作"), max_length=200)
    next_step_on = models.DateField(_("下一步日期"))
    note = models.TextField(_("进度、备注"), blank=True)
    judgement = models.CharField(_("研判结果"), max_length=200, blank=True)
    drop_reason = models.CharField(_("放弃原因"), max_length=200, blank=True)
    # The day each stage was reached: the funnel's days-per-stage and the leaderboard's
    # "leads advanced" come from these.
    created_on = models.DateField(_("登记日期"))
    contacting_on = models.DateField(_("接洽日期"), null=True, blank=True)
    negotiating_on = models.DateField(_("在谈日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    dropped_on = models.DateField(_("放弃日期"), null=True, blank=True)
    signed_amount = models.DecimalField(
        _("签约金额（万元）"), null=True, blank=True, **MONEY.column
    )
    project = models.OneToOneField(
        "projects.Project",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead",
        verbose_name=_("签约项目"),
    )

    class Meta:
        ordering = ["next_step_on", "pk"]
        verbose_name = _("招商线索")
        indexes = [
            models.Index(fields=["org", "stage"]),
            models.Index(fields=["team", "signed_on"]),
        ]
        constraints = [
            MONEY.constraint("lead", "estimated_investment"),
            MONEY.constraint("lead", "signed_amount"),
        ]

    def __str__(self):
        return self.name


class Visit(Versioned):
    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("考察")
        CALL = "call", _("拜访")
        RECEPTION = "reception", _("接待")

    org = models.ForeignKey(Org, models.PROTECT, related_name="visits", verbose_name=_("开发区"))
    team = models.ForeignKey(
        "orgs.Team", models.PROTECT, related_name="visits", verbose_name=_("招商战队")
    )
    lead = models.ForeignKey(
        Lead, models.SET_NULL, null=True, blank=True, related_name="visits", verbose_name=_("线索")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100)
    participants = models.CharField(_("参加人员"), max_length=200)
    met = models.CharField(_("会见对象"), max_length=200, blank=True)
    outcome = models.TextField(_("成果"), blank=True)
    follow_up = models.CharField(_("后续跟进"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("考察拜访")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.place}"


class TeamTarget(Versioned):
    team = models.ForeignKey("orgs.Team", models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("年度"), **YEAR.column)
    amount = models.DecimalField(_("签约金额目标（万元）"), **MONEY.column)
    count = models.PositiveIntegerField(_("签约项目数目标"), **COUNT.column)
    start_rate = models.DecimalField(_("当年签约项目开工率目标（%）"), default=0, **RATE.column)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度目标")
        constraints = [
            models.UniqueConstraint(fields=["team", "year"], name="teamtarget_unique_year"),
            YEAR.constraint("teamtarget", "year"),
            MONEY.constraint("teamtarget", "amount"),
            COUNT.constraint("teamtarget", "count"),
            RATE.constraint("teamtarget", "start_rate"),
        ]

    def __str__(self):
        return f"{self.team} {self.year}"
