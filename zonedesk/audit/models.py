from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change to one record, written in the transaction that made it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # Kept beside the key so the history still names a user who was later removed.
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    target_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(_("对象"), max_length=200)
    # The node whose scope the event belongs to; readers see events of their scope only.
    org = models.ForeignKey(
        "orgs.Org",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("组织"),
    )
    changes = models.JSONField(_("变更内容"), default=dict)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计事件")
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self):
        return f"{self.action} {self.target_repr}"


class PeriodLock(models.Model):
    """A month a statistician has closed for a zone: later changes need a correction reason."""

    org = models.ForeignKey("orgs.Org", models.CASCADE, related_name="period_locks")
    period = models.DateField(_("月份"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    locked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["org", "period"], name="periodlock_unique")]

    def __str__(self):
        return f"{self.org} {self.period:%Y-%m}"
