"""Large workbooks are read and imported by the worker, the job's row counting its progress."""

from huey.contrib.djhuey import db_task

from . import engine
from .models import ImportJob


def _progress(job):
    def report(done, total):
        job.done, job.total = done, total
        # Outside the import's transaction: the page sees the bar move while rows are checked.
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    return report


def work(job_id):
    """Preview a queued job, or import a confirmed one; a crash leaves the job failed."""
    job = ImportJob.objects.select_related("org", "created_by", "confirmed_by").get(pk=job_id)
    try:
        kind = engine.KINDS[job.kind]
        if job.status == ImportJob.Status.QUEUED:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.READING)
            engine.preview(
                job.created_by,
                job.org,
                kind,
                bytes(job.data),
                filename=job.filename,
                job=job,
                progress=_progress(job),
            )
        elif job.status == ImportJob.Status.IMPORTING:
            engine.run(job.confirmed_by, job, valid_only=job.valid_only, progress=_progress(job))
    except Exception as e:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, errors=[engine.failure_message(e)]
        )
        raise
    return job.status


@db_task()
def process(job_id):
    return work(job_id)
