"""Starting, confirming and retrying an import job: in the request for a small file, in the
worker (tasks.process) for a large one. Above the engine and the worker, so that neither
imports the other."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk import jobs
from zonedesk.audit import services as audit

from . import engine, hooks, tasks
from .models import ImportJob


def background(data):
    """Files this large are read and imported by the worker, with a progress bar."""
    return len(data) > getattr(settings, "IMPORTS_BACKGROUND_BYTES", 256 * 1024)


def queue_preview(actor, org, kind, data, *, filename, options=None):
    """Keep the workbook and let the worker preview it (see tasks.process)."""
    job = ImportJob(org=org, kind=kind.name, filename=filename[:200], created_by=actor)
    job.data, job.status, job.options = data, ImportJob.Status.QUEUED, options or {}
    job.save()
    transaction.on_commit(lambda: tasks.process(job.pk))
    return job


def start(actor, org, kind, data, *, filename, options=None):
    """Preview now, or in the worker when the file is large."""
    if background(data):
        return queue_preview(actor, org, kind, data, filename=filename, options=options)
    return engine.preview(actor, org, kind, data, filename=filename, options=options)


def confirm(actor, job, *, valid_only=False):
    """Import a previewed job now, or in the worker when the file is large. The job is
    claimed first, so a second click or a second request cannot import it twice: a job
    not awaiting confirmation is refused (jobs.Busy, 409)."""
    _claim(
        job,
        ImportJob.Status.PREVIEWED,
        ImportJob.Status.IMPORTING,
        valid_only=valid_only,
        confirmed_by=actor,
        done=0,
        heartbeat=None if background(job.data) else timezone.now(),
    )
    return _import(actor, job)


def retry(actor, job):
    """重试 a failed job as it was when it failed: a confirmed import is imported again (all
    or nothing, as ever), an unconfirmed one is previewed again by the worker."""
    confirmed = job.confirmed_by_id is not None
    with transaction.atomic():
        _claim(
            job,
            ImportJob.Status.FAILED,
            ImportJob.Status.IMPORTING if confirmed else ImportJob.Status.QUEUED,
            errors=[],
            done=0,
            finished_at=None,
            confirmed_by=actor if confirmed else None,
            heartbeat=timezone.now() if confirmed and not background(job.data) else None,
        )
        audit.record(
            actor, "import.retry", job, org=job.org, changes={"status": ["failed", job.status]}
        )
    if confirmed:
        return _import(actor, job)
    transaction.on_commit(lambda: tasks.process(job.pk))
    return job


def _claim(job, before, after, **fields):
    """Move the job from `before` to `after` in one statement, so that of two clicks or two
    requests only one starts it; a job in another state is refused, saying why."""
    if not ImportJob.objects.filter(pk=job.pk, status=before).update(status=after, **fields):
        job.refresh_from_db(fields=["status"])
        raise jobs.Busy(_refusal(job))
    job.status = after
    for name, value in fields.items():
        setattr(job, name, value)


def _refusal(job):
    if job.busy:
        return _("该导入正在进行中（%(s)s），请等待完成") % {"s": job.get_status_display()}
    if job.status == ImportJob.Status.FAILED:
        return _("该导入已失败，请点击“重试”")
    if job.status == ImportJob.Status.PREVIEWED:
        return _("该导入尚未确认，请先确认导入")
    return _("该导入已结束（%(s)s），如需再次导入请重新上传") % {"s": job.get_status_display()}


def _import(actor, job):
    """Import a claimed job now, or in the worker when the file is large."""
    if background(job.data):
        transaction.on_commit(lambda: tasks.process(job.pk))
        return job
    kill = hooks.after_batch()
    return engine.attempt(
        job, lambda: engine.run(actor, job, valid_only=job.valid_only, after_batch=kill)
    )
