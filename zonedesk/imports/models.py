from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded workbook: its preview, then its import, as one auditable record."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        READING = "reading", _("预览中")
        PREVIEWED = "previewed", _("待确认")
        IMPORTING = "importing", _("导入中")
        DONE = "done", _("已导入")
        REFUSED = "refused", _("已拒绝")
        FAILED = "failed", _("失败")

    org = models.ForeignKey(
        "orgs.Org", models.CASCADE, related_name="imports", verbose_name=_("开发区")
    )
    kind = models.CharField(_("类型"), max_length=20)
    filename = models.CharField(_("文件名"), max_length=200)
    sheet = models.CharField(_("工作表"), max_length=100, blank=True)
    data = models.BinaryField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    counts = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    # How existing records were found: {"统一项目代码": 12, "项目名称": 3}.
    matched = models.JSONField(default=dict)
    # A background job's progress: rows checked of the rows in the sheet.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    valid_only = models.BooleanField(default=False)
    # The sheet's year and month (from its title or the user's answer), clear_blanks, the
    # column mapping and alias answers the preview was read with; the confirm reads the same.
    options = models.JSONField(default=dict, blank=True)
    # The preview's questions: each unknown name with its nearest known ones, and each
    # column of the sheet with the field it goes to (or none: 忽略).
    questions = models.JSONField(default=list, blank=True)
    columns = models.JSONField(default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker when it takes the job and with each progress update; a job read or
    # imported with a heartbeat older than JOBS_STALE_AFTER lost its worker. Also the
    # worker's claim: a worker whose last beat is no longer the job's has lost the job.
    heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入")

    def __str__(self):
        return self.filename

    @property
    def busy(self):
        return self.status in (self.Status.QUEUED, self.Status.READING, self.Status.IMPORTING)

    @property
    def percent(self):
        return min(100, self.done * 100 // self.total) if self.total else 0


class Alias(models.Model):
    """A name a zone's sheets use for one of its units, people or task forces (“县工信局” for
    工业和信息化局), saved when a user picks its match in a preview; the zone's only."""

    class Field(models.TextChoices):
        UNIT = "unit", _("单位")
        LEADER = "leader", _("包联领导")
        TEAM = "team", _("项目专班")

    org = models.ForeignKey(
        "orgs.Org", models.CASCADE, related_name="aliases", verbose_name=_("开发区")
    )
    field = models.CharField(_("类别"), max_length=10, choices=Field.choices)
    name = models.CharField(_("台账中的写法"), max_length=200)
    target_id = models.PositiveBigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["field", "name"]
        verbose_name = _("别名")
        constraints = [
            models.UniqueConstraint(fields=["org", "field", "name"], name="alias_unique_name")
        ]

    def __str__(self):
        return self.name
