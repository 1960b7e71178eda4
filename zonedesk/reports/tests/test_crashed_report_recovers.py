"""A worker killed while building a document no longer leaves it "生成中" forever: each
section's progress carries a heartbeat, and the recovery — when a worker starts and every
minute — fails a running document whose heartbeat is older than JOBS_STALE_AFTER, saying so;
重试 builds it again."""

import datetime
import os
import signal
import subprocess
import sys

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from zonedesk.audit.models import AuditEvent
from zonedesk.notify.tests.test_worker import database_url
from zonedesk.reports import services, tasks
from zonedesk.reports.models import ReportJob

from .conftest import YEAR
from .documents import fresh_user

INTERRUPTED = "后台任务中断（处理进程意外停止），未写入任何数据，请重试"

# The task's body, dying unannounced once a few sections are done, as an OOM kill would.
KILLED_MID_BUILD = """
import os, signal
from zonedesk.reports import services
told = services.set_progress
def set_progress(job, progress, message=""):
    told(job, progress, message)
    if progress >= 40:
        os.kill(os.getpid(), signal.SIGKILL)
services.set_progress = set_progress
services.run({pk})
"""


@pytest.mark.django_db(transaction=True)
def test_a_document_whose_worker_was_killed_is_failed_and_a_retry_builds_it(
    seeded, client_for, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    # The request queues the job here, where no worker runs: the process below builds it.
    queue = SqliteStorage("zonedesk", filename=str(tmp_path / "huey.sqlite3"))
    monkeypatch.setattr(HUEY, "storage", queue)
    job = services.request_report(fresh_user(seeded.leader), seeded.world.zone, "monthly", YEAR, 7)
    killed = subprocess.run(
        [sys.executable, "-m", "zonedesk.cli", "shell", "-c", KILLED_MID_BUILD.format(pk=job.pk)],
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "ZONEDESK_VAR_DIR": str(tmp_path / "var"),
        },
        capture_output=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING and job.progress >= 40
    assert job.heartbeat is not None

    settings.JOBS_STALE_AFTER = 0
    # The hook a starting worker runs first (the periodic task runs the same recovery).
    HUEY._startup["recover_reports"]()
    job.refresh_from_db()
    assert (job.status, job.message) == (ReportJob.Status.FAILED, INTERRUPTED)
    assert not job.docx and not job.xlsx
    event = AuditEvent.objects.get(action="reports.interrupted", target_id=str(job.pk))
    assert event.changes == {"error": [None, INTERRUPTED]}

    client = client_for(seeded.leader)
    page = client.get(f"/reports/{job.pk}/").content.decode()
    assert INTERRUPTED in page and f'action="/reports/{job.pk}/retry/"' in page
    assert client.post(f"/reports/{job.pk}/retry/").status_code == 302
    services.build_report.call_local(job.pk)
    job.refresh_from_db()
    assert (job.status, job.progress) == (ReportJob.Status.DONE, 100)
    assert (settings.MEDIA_ROOT / job.docx.name).read_bytes().startswith(b"PK")


def test_a_document_still_being_built_is_left_alone_until_its_heartbeat_is_stale(seeded, settings):
    running = services.request_report(
        fresh_user(seeded.leader), seeded.world.zone, "monthly", YEAR, 7
    )
    queued = services.request_report(fresh_user(seeded.leader), seeded.world.zone, "annual", YEAR)
    services.set_progress(running, 40, "已完成：主要指标")
    ReportJob.objects.filter(pk=running.pk).update(status=ReportJob.Status.RUNNING)
    beat = ReportJob.objects.get(pk=running.pk).heartbeat
    bound = datetime.timedelta(seconds=settings.JOBS_STALE_AFTER)

    assert tasks.recover_reports.call_local() == 0
    assert services.recover(now=beat + bound) == 0
    assert services.recover(now=beat + bound + datetime.timedelta(seconds=1)) == 1
    assert ReportJob.objects.get(pk=running.pk).status == ReportJob.Status.FAILED
    # Never started by a worker: its task is still in the queue.
    assert services.recover(now=timezone.now() + 10 * bound) == 0
    assert ReportJob.objects.get(pk=queued.pk).status == ReportJob.Status.QUEUED
