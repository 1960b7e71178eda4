from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zonedesk.orgs.models import Org, Versioned


class Blocker(Versioned):
    """A problem (问题) handed to a responsible unit with a deadline, supervised (督办) at a
    level that rises by one step each time it runs late."""

    class Level(models.TextChoices):
        GENERAL = "general", _("一般")
        COUNTY = "county", _("县级挂牌督办")
        CITY = "city", _("市级挂牌督办")

    class Status(models.TextChoices):
        OPEN = "open", _("待办理")
        ANSWERED = "answered", _("已答复")
        RESOLVED = "resolved", _("已办结")
        VERIFIED = "verified", _("已销号")
        REOPENED = "reopened", _("已退回")

    # Statuses in which the unit still owes work: they count as open and may run late.
    OPEN_STATUSES = (Status.OPEN, Status.ANSWERED, Status.REOPENED)
    DONE_STATUSES = (Status.RESOLVED, Status.VERIFIED)
    LEVELS = [Level.GENERAL, Level.COUNTY, Level.CITY]

    org = models.ForeignKey(Org, models.PROTECT, related_name="blockers", verbose_name=_("开发区"))
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("问题描述"), blank=True)
    project = models.ForeignKey(
        "projects.Project",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="blockers",
        verbose_name=_("项目"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="blockers",
        verbose_name=_("企业"),
    )
    progress_report = models.ForeignKey(
        "projects.ProgressReport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="blockers",
        verbose_name=_("月度进展"),
    )
    source_note = models.CharField(_("来源说明"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", models.PROTECT, related_name="blockers", verbose_name=_("责任单位")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("协调领导"),
    )
    # The leader above the zone who supervises a 挂牌督办 blocker (set by escalation).
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("督办领导"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提出人"),
    )
    raised_on = models.DateField(_("提出日期"))
    deadline = models.DateField(_("办结时限"))
    level = models.CharField(
        _("督办级别"), max_length=8, choices=Level.choices, default=Level.GENERAL
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answer = models.TextField(_("答复"), blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    escalated_on = models.DateField(_("最近升级日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("问题督办")
        indexes = [
            models.Index(fields=["org", "status", "deadline"]),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today):
        return self.is_open and self.deadline < today

    def next_level(self):
        i = self.LEVELS.index(self.level)
        return self.LEVELS[i + 1] if i + 1 < len(self.LEVELS) else None


class BlockerStep(models.Model):
    """One line of a blocker's timeline: who did what, when, with what words."""

    class Action(models.TextChoices):
        RAISE = "raise", _("提出")
        ANSWER = "answer", _("答复")
        RESOLVE = "resolve", _("办结")
        VERIFY = "verify", _("销号")
        REOPEN = "reopen", _("退回重办")
        REASSIGN = "reassign", _("改派")
        ESCALATE = "escalate", _("升级督办")

    blocker = models.ForeignKey(Blocker, models.CASCADE, related_name="steps")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("办理人"), max_length=60)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    text = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("办理记录")

    def __str__(self):
        return f"{self.get_action_display()} {self.actor_name}"
