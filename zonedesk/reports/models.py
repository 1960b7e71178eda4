"""Generated period documents (月汇总 · 季分析 · 年交账): one job per request, its files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    """A document requested for an organisation and a period, built by a background job.

    The files live under MEDIA_ROOT/reports/ and are served only through the views, to
    those who may generate documents for the organisation.
    """

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("月汇总")
        QUARTERLY = "quarterly", _("季分析")
        ANNUAL = "annual", _("年交账")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="report_jobs",
        verbose_name=_("申请人"),
    )
    org = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="report_jobs", verbose_name=_("范围")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    # The language the document is written in: the requester's when they asked.
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Written when the worker starts the job and with each section's progress: a running
    # job whose heartbeat is older than JOBS_STALE_AFTER lost its worker.
    heartbeat = models.DateTimeField(null=True, blank=True)
    docx = models.FileField(_("Word 文档"), upload_to="reports/%Y/%m/", blank=True)
    xlsx = models.FileField(_("Excel 表格"), upload_to="reports/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("报告生成任务")
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.org} {self.period_label} {self.get_kind_display()}"

    @property
    def end_month(self):
        """The month whose cumulative figures (1—N月) the document reports."""
        if self.kind == self.Kind.MONTHLY:
            return self.month
        if self.kind == self.Kind.QUARTERLY:
            return self.quarter * 3
        return 12

    @property
    def period_label(self):
        if self.kind == self.Kind.MONTHLY:
            return _("%(y)d年%(m)d月") % {"y": self.year, "m": self.month}
        if self.kind == self.Kind.QUARTERLY:
            return _("%(y)d年第%(q)d季度") % {"y": self.year, "q": self.quarter}
        return _("%(y)d年") % {"y": self.year}

    @property
    def title(self):
        return _("%(org)s%(period)s%(kind)s") % {
            "org": self.org.name,
            "period": self.period_label,
            "kind": self.get_kind_display(),
        }

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
