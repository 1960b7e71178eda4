"""企业诉求 (appeals): the closed loop of enterprise service, 以月答卷.

An appeal is never lost: its zone (`org`) and enterprise are PROTECTed, the unit it is
routed to is PROTECTed too (a unit holding appeals cannot be deleted, only deactivated, and
its appeals then show to the zone's leaders as needing a new unit), and the people and units
in its history are SET_NULL with their names copied into each step.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.bounds import WORKING_DAYS
from zonedesk.orgs.models import Org, Versioned


class AppealCategory(Versioned):
    """A kind of appeal in one zone, routed to a responsible unit with a deadline."""

    org = models.ForeignKey(
        Org, models.PROTECT, related_name="appeal_categories", verbose_name=_("开发区")
    )
    name = models.CharField(_("名称"), max_length=40)
    # SET_NULL: a deleted unit leaves the category without one; its new appeals then wait
    # for a leader to route them (待分派) instead of vanishing.
    unit = models.ForeignKey(
        "orgs.Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeal_categories",
        verbose_name=_("责任单位"),
    )
    # The 分管领导 told when an answer in this category is judged 不满意.
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("分管领导"),
    )
    days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), default=5, **WORKING_DAYS.column
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["org__path", "pk"]
        verbose_name = _("诉求类别")
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="appealcategory_unique_name"),
            WORKING_DAYS.constraint("appealcategory", "days"),
        ]

    def __str__(self):
        return self.name


class Appeal(Versioned):
    class Channel(models.TextChoices):
        SELF = "self", _("企业自助")
        PHONE = "phone", _("电话")
        VISIT = "visit", _("走访")
        MEETING = "meeting", _("月度企业家座谈会（以月答卷）")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("办理中")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")
        RETURNED = "returned", _("已退回")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        FAIRLY = "fairly", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    OPEN = (Status.SUBMITTED, Status.ACCEPTED, Status.ANSWERED)
    GOOD = (Rating.SATISFIED, Rating.FAIRLY)

    class Level(models.IntegerChoices):
        NONE = 0, _("未逾期")
        OVERDUE = 1, _("已逾期")
        ESCALATED = 2, _("逾期升级")

    org = models.ForeignKey(Org, models.PROTECT, related_name="appeals", verbose_name=_("开发区"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", models.PROTECT, related_name="appeals", verbose_name=_("企业")
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(
        AppealCategory, models.PROTECT, related_name="appeals", verbose_name=_("类别")
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("诉求内容"))
    # None: waiting for a leader to route it (the category had no active unit, or the
    # unit returned it).
    unit = models.ForeignKey(
        "orgs.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("责任单位"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    received_on = models.DateField(_("受理日期"))
    deadline = models.DateField(_("办理时限"))
    deadline_estimated = models.BooleanField(_("时限为估算"), default=False)
    answer = models.TextField(_("答复"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_on = models.DateField(_("评价日期"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    level = models.PositiveSmallIntegerField(
        _("逾期级别"), choices=Level.choices, default=Level.NONE
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提出人"),
    )
    raised_by_name = models.CharField(_("提出人"), max_length=150, blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=80, blank=True)
    # A 督办 raised from this appeal (转为督办); the appeal stays open in its own loop.
    blocker = models.ForeignKey(
        "supervision.Blocker",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("督办事项"),
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("企业诉求")
        indexes = [
            models.Index(fields=["org", "status"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["org", "received_on"]),
            models.Index(fields=["enterprise", "-received_on"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in self.OPEN


class AppealStep(models.Model):
    """One thing that happened to an appeal: who, when, what, and between which units."""

    class Action(models.TextChoices):
        RAISE = "raise", _("提出")
        ROUTE = "route", _("分派")
        ACCEPT = "accept", _("受理")
        TRANSFER = "transfer", _("转办")
        RETURN = "return", _("退回")
        ANSWER = "answer", _("答复")
        CLOSE = "close", _("办结")
        RATE = "rate", _("评价")
        REOPEN = "reopen", _("重新办理")
        ESCALATE = "escalate", _("逾期")
        ATTACH = "attach", _("上传附件")
        BLOCKER = "blocker", _("转为督办")

    appeal = models.ForeignKey(Appeal, models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # Copied so the history still names a removed user or unit.
    actor_name = models.CharField(_("操作人"), max_length=150)
    text = models.TextField(_("说明"), blank=True)
    from_unit = models.ForeignKey(
        "orgs.Unit", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_unit_name = models.CharField(max_length=100, blank=True)
    to_unit = models.ForeignKey(
        "orgs.Unit", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_unit_name = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    # The local day of the step, which the month's figures (重办) count by.
    on = models.DateField(_("日期"), default=timezone.localdate)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("诉求办理记录")
        indexes = [models.Index(fields=["action", "at"]), models.Index(fields=["action", "on"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.appeal_id}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("图片")
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("Word 文档")
        XLSX = "xlsx", _("Excel 表格")

    appeal = models.ForeignKey(Appeal, models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=6, choices=Kind.choices)
    file = models.FileField(upload_to="appeals/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("附件")

    def __str__(self):
        return self.name
