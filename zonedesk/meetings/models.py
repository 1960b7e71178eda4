"""调度会: the cadence 日碰头 · 周调度 · 月汇总 · 季分析 · 年交账, one Meeting record for each.

A weekly (or monthly) meeting's agenda builds itself from the zone's data (selectors.
build_agenda); people edit it before the meeting, take the minutes in the page, and turn each
decision into a blocker (督办) in one step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zonedesk.orgs.models import Org, Versioned


class Meeting(Versioned):
    class Kind(models.TextChoices):
        DAILY = "daily", _("日碰头")
        WEEKLY = "weekly", _("周调度")
        MONTHLY = "monthly", _("月汇总")
        QUARTERLY = "quarterly", _("季分析")
        ANNUAL = "annual", _("年交账")

    class Status(models.TextChoices):
        DRAFT = "draft", _("待召开")
        HELD = "held", _("已召开")
        CLOSED = "closed", _("已归档")

    org = models.ForeignKey(Org, models.PROTECT, related_name="meetings", verbose_name=_("开发区"))
    kind = models.CharField(_("会议类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主持人"),
    )
    attendees = models.TextField(_("参会人员"), blank=True)
    # The month whose figures the agenda reads: for a weekly meeting the latest month whose
    # reports are due, for a monthly one the month it sums up.
    period = models.DateField(_("数据月份"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_at", "-pk"]
        verbose_name = _("调度会")
        indexes = [models.Index(fields=["org", "-held_at"])]

    def __str__(self):
        return self.title


class AgendaItem(Versioned):
    class Kind(models.TextChoices):
        RED_PROJECT = "red_project", _("红色预警项目")
        YELLOW_PROJECT = "yellow_project", _("黄色预警项目")
        OVERDUE_BLOCKER = "overdue_blocker", _("逾期未办结问题")
        LATE_REPORT = "late_report", _("月报逾期")
        STALLED_APPROVAL = "stalled_approval", _("审批超时")
        IDLE_LEAD = "idle_lead", _("线索一个月无进展")
        OTHER = "other", _("其他议题")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agenda")
    order = models.PositiveIntegerField(_("顺序"))
    kind = models.CharField(_("议题类型"), max_length=20, choices=Kind.choices)
    # What the builder found, so a rebuild knows the item again ("red_project:12");
    # empty for an item a person added.
    source = models.CharField(max_length=40, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("项目"),
    )
    lead = models.ForeignKey(
        "leads.Lead",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("线索"),
    )
    approval = models.ForeignKey(
        "projects.ApprovalStep",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批事项"),
    )
    blocker = models.ForeignKey(
        "supervision.Blocker",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("问题督办"),
    )
    title = models.CharField(_("议题"), max_length=200)
    facts = models.CharField(_("情况"), max_length=300, blank=True)
    note = models.TextField(_("备注"), blank=True)
    removed = models.BooleanField(_("已移出议程"), default=False)
    # Touched by a person (note, order, removal): a rebuild keeps it as it is.
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("议题")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source"], condition=~Q(source=""), name="agenda_unique_source"
            )
        ]

    def __str__(self):
        return self.title


class Decision(Versioned):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("议题"),
    )
    text = models.TextField(_("决定事项"))
    unit = models.ForeignKey(
        "orgs.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decisions",
        verbose_name=_("责任单位"),
    )
    deadline = models.DateField(_("办结时限"), null=True, blank=True)
    # Set when the decision is turned into a blocker (转为督办).
    blocker = models.OneToOneField(
        "supervision.Blocker",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("督办事项"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("会议决定")

    def __str__(self):
        return self.text[:60]
