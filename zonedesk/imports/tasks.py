"""Large workbooks are read and imported by the worker, the job's row counting its progress
and carrying the worker's heartbeat; jobs whose worker died are failed, to be retried."""

from huey import crontab
from huey.contrib.djhuey import close_db, db_periodic_task, db_task, on_startup

from . import engine, hooks
from .models import ImportJob


def _progress(job):
    def report(done, total):
        job.done, job.total = done, total
        # Outside the import's transaction: the page sees the bar move while rows are checked.
        engine.beat(job, done=done, total=total)

    return report


def work(job_id):
    """Preview a queued job, or import a confirmed one; a crash leaves the job failed. The
    first heartbeat claims the job: one another worker has taken is left to it."""
    job = ImportJob.objects.select_related("org", "created_by", "confirmed_by").get(pk=job_id)

    def run():
        kind = engine.KINDS[job.kind]
        if job.heartbeat is not None:
            return
        if job.status == ImportJob.Status.QUEUED:
            engine.beat(job, statuses=[job.status], status=ImportJob.Status.READING)
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
            engine.beat(job, statuses=[job.status])
            engine.run(
                job.confirmed_by,
                job,
                valid_only=job.valid_only,
                progress=_progress(job),
                after_batch=hooks.after_batch(),
            )

    engine.attempt(job, run)
    return job.status


@db_task()
def process(job_id):
    return work(job_id)


@db_periodic_task(crontab(minute="*"))
def recover_imports():
    """Every minute: fail the imports whose worker died, so their page offers 重试."""
    return engine.recover()


@on_startup("recover_imports")
@close_db
def recover_imports_at_start():
    """A restarted worker first fails the imports its predecessor left running."""
    engine.recover()
