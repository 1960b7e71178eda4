"""Every write of a report job: request it, advance it, finish or fail it, recover it when
its worker died, retry it."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from zonedesk import jobs
from zonedesk.audit import services as audit
from zonedesk.orgs.models import Org, User
from zonedesk.orgs.selectors import has_role_over

from . import documents, render, selectors
from .models import ReportJob

log = logging.getLogger(__name__)
FIRST_YEAR = 2000


def can_generate(user, org):
    return org.kind in selectors.REPORT_ORG_KINDS and has_role_over(user, org, selectors.GENERATORS)


def validate_period(kind, year, month=None, quarter=None, today=None):
    """The period's fields as the kind needs them; a period not yet begun is refused."""
    today = today or timezone.localdate()
    if kind not in ReportJob.Kind.values:
        raise ValidationError({"kind": _("未知的报告类型")})
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            {"year": _("年度应在%(a)d—%(b)d之间") % {"a": FIRST_YEAR, "b": today.year}}
        )
    if kind == ReportJob.Kind.MONTHLY:
        if month is None or not 1 <= month <= 12:
            raise ValidationError({"month": _("月汇总须选择1—12月")})
        quarter = None
    elif kind == ReportJob.Kind.QUARTERLY:
        if quarter is None or not 1 <= quarter <= 4:
            raise ValidationError({"quarter": _("季分析须选择第1—4季度")})
        month = None
    else:
        month = quarter = None
    start, _end, _last = selectors.window(kind, year, month, quarter)
    if start > today:
        raise ValidationError({"year": _("所选期间尚未开始")})
    return month, quarter


def request_report(user, org, kind, year, month=None, quarter=None):
    """Queue a document; the same one still being built for the same user is returned
    instead of a second copy."""
    if not can_generate(user, org):
        raise PermissionDenied(_("无权为该范围生成报告"))
    month, quarter = validate_period(kind, year, month, quarter)
    with transaction.atomic():
        pending = ReportJob.objects.filter(
            user=user,
            org=org,
            kind=kind,
            year=year,
            month=month,
            quarter=quarter,
            status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING],
        ).first()
        if pending:
            return pending
        job = ReportJob.objects.create(
            user=user,
            org=org,
            kind=kind,
            year=year,
            month=month,
            quarter=quarter,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        audit.record(
            user,
            "reports.request",
            job,
            org=org,
            changes={"kind": [None, kind], "period": [None, job.period_label]},
        )
        transaction.on_commit(lambda: build_report(job.pk))
    return job


def set_progress(job, progress, message=""):
    """Job bookkeeping the page polls, written at once so it shows while the job runs; the
    worker's heartbeat with it."""
    ReportJob.objects.filter(pk=job.pk).update(
        progress=progress, message=message[:300], heartbeat=timezone.now()
    )
    job.progress, job.message = progress, message


def build(job):
    """Build the document section by section, then store the Word and Excel files."""
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, progress=1, heartbeat=timezone.now()
    )
    job.status = ReportJob.Status.RUNNING
    # The requester's scope as it is now: a role revoked since the request no longer reads.
    user = User.objects.get(pk=job.user_id)
    org = Org.objects.get(pk=job.org_id)
    if not can_generate(user, org):
        raise PermissionDenied(_("申请人已无权为该范围生成报告"))
    doc = documents.content(
        user,
        org,
        job.kind,
        job.year,
        job.month,
        job.quarter,
        progress=lambda pct, label: set_progress(job, pct, _("已完成：%(s)s") % {"s": label}),
    )
    docx = render.to_docx(doc)
    set_progress(job, 92, _("已生成 Word 文档"))
    book = render.to_xlsx(doc)
    set_progress(job, 97, _("已生成 Excel 表格"))
    finish(job, docx, book)
    return job


def finish(job, docx, book):
    name = f"report-{job.pk}-{job.kind}-{job.year}"
    with transaction.atomic():
        job.docx.save(f"{name}.docx", ContentFile(docx), save=False)
        job.xlsx.save(f"{name}.xlsx", ContentFile(book), save=False)
        job.status = ReportJob.Status.DONE
        job.progress = 100
        job.message = ""
        job.finished_at = timezone.now()
        job.save(update_fields=["docx", "xlsx", "status", "progress", "message", "finished_at"])
        audit.record(None, "reports.done", job, org=job.org)
    return job


def fail(job, error):
    with transaction.atomic():
        message = str(error) if isinstance(error, PermissionDenied) else ""
        message = message or _("生成失败，请稍后重试或联系管理员")
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, message=message[:300], finished_at=timezone.now()
        )
        job.status, job.message = ReportJob.Status.FAILED, message
        audit.record(None, "reports.failed", job, org=job.org, changes={"error": [None, message]})
    return job


def recover(now=None):
    """Fail the documents whose worker died (running, with a heartbeat older than
    JOBS_STALE_AFTER), each with its audit event, to be retried from their page. Returns
    how many."""
    stale = ReportJob.objects.filter(
        status=ReportJob.Status.RUNNING, heartbeat__lt=jobs.stale_before(now)
    )
    failed = 0
    for job in list(stale.select_related("org")):
        message = str(jobs.INTERRUPTED)
        with transaction.atomic():
            # Only if it has not moved on since it was read.
            if not stale.filter(pk=job.pk, heartbeat=job.heartbeat).update(
                status=ReportJob.Status.FAILED, message=message, finished_at=timezone.now()
            ):
                continue
            audit.record(
                None, "reports.interrupted", job, org=job.org, changes={"error": [None, message]}
            )
            failed += 1
    return failed


def retry(user, job):
    """重试 a failed document: queued again and built afresh by the worker, by one who may
    generate documents for its organisation."""
    if not can_generate(user, job.org):
        raise PermissionDenied(_("无权为该范围生成报告"))
    with transaction.atomic():
        fresh = {"progress": 0, "message": "", "finished_at": None, "heartbeat": None}
        queued = ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.FAILED).update(
            status=ReportJob.Status.QUEUED, **fresh
        )
        if not queued:
            job.refresh_from_db(fields=["status"])
            raise jobs.Busy(
                _("只有失败的报告可以重试（当前：%(s)s）") % {"s": job.get_status_display()}
            )
        job.status = ReportJob.Status.QUEUED
        for name, value in fresh.items():
            setattr(job, name, value)
        audit.record(user, "reports.retry", job, org=job.org)
        transaction.on_commit(lambda: build_report(job.pk))
    return job


def run(job_id):
    """The job's body: build, and on any error mark the job failed (logged with its trace)."""
    job = ReportJob.objects.select_related("org").get(pk=job_id)
    if job.status != ReportJob.Status.QUEUED:
        return job
    with translation.override(job.language):
        try:
            return build(job)
        except Exception as e:
            log.exception("report job %s failed", job_id)
            return fail(job, e)


# Queued here, beside the requests that queue it, rather than in tasks.py: tasks import the
# services, and the services would otherwise import the tasks back.
@db_task()
def build_report(job_id):
    """Build one requested document (月汇总 / 季分析 / 年交账) in the worker."""
    run(job_id)
