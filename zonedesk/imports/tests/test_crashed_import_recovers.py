"""A worker killed mid-import (SIGKILL, by the engine's KILL_AFTER hook once it has written
rows inside the import's transaction) no longer leaves the job "importing" forever: the
recovery — when a worker starts and every minute — fails a running job whose heartbeat is
older than JOBS_STALE_AFTER with a message, nothing written; a confirm meanwhile is refused
(409); 重试 then imports every row or none."""

import datetime
import os
import signal
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from zonedesk.audit.models import AuditEvent
from zonedesk.imports import engine, flow, tasks
from zonedesk.imports.hooks import KILL_AFTER
from zonedesk.imports.models import ImportJob
from zonedesk.orgs.services import create_token
from zonedesk.projects.models import Project

from .test_background_job import database_url, ledger, upload, wait_for

ROWS = 2500
INTERRUPTED = "后台任务中断（处理进程意外停止），未写入任何数据，请重试"
Status = ImportJob.Status


@pytest.fixture
def queue(tmp_path, monkeypatch):
    """A huey queue of the test's own, shared by this process and the workers it starts."""
    path = str(tmp_path / "huey.sqlite3")
    monkeypatch.setattr(HUEY, "storage", SqliteStorage("zonedesk", filename=path))
    return path


def environment(queue, **extra):
    env = {**os.environ, "ZONEDESK_HUEY_DB": queue, "DATABASE_URL": database_url(), **extra}
    env.pop("REDIS_URL", None)
    return env


def worker(queue, *args, **env):
    return subprocess.Popen(
        [sys.executable, "-m", "zonedesk.cli", "worker", "--workers", "1", *args],
        env=environment(queue, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop(process):
    if process.poll() is None:
        process.terminate()
    process.wait(timeout=60)


def dead_workers_transaction_ended(job):
    """PostgreSQL rolls a killed client's transaction back once it sees the connection
    drop: taking the job's row waits for that (SQLite: the next connection rolls back)."""
    with transaction.atomic():
        ImportJob.objects.select_for_update().get(pk=job.pk)


def api_client(user):
    return Client(headers={"Authorization": f"Bearer {create_token(user, 'api')[1]}"})


@pytest.fixture
def always_background(settings):
    settings.IMPORTS_BACKGROUND_BYTES = 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_is_failed_when_a_worker_starts_and_a_retry_imports_all(
    world, client_for, always_background, queue
):
    client = client_for(world.owner)
    upload(client, world, ledger(ROWS))
    job = ImportJob.objects.get()
    first = worker(queue, **{KILL_AFTER: "1000"})
    try:
        wait_for(job, Status.PREVIEWED, first)
        client.post(f"/imports/{job.pk}/confirm/")
        # The worker takes the job and dies, unannounced, with 1000 rows written.
        assert first.wait(timeout=300) == -signal.SIGKILL
    finally:
        stop(first)
    dead_workers_transaction_ended(job)
    job.refresh_from_db()
    # What the defect showed: "importing 2500/2500", with the dead worker's last heartbeat.
    assert (job.status, job.done, job.total) == (Status.IMPORTING, ROWS, ROWS)
    assert job.heartbeat is not None
    assert not Project.objects.exists()

    # Confirming it again is refused, saying why, on the page and through the API.
    again = client.post(f"/imports/{job.pk}/confirm/")
    assert again.status_code == 409
    assert "该导入正在进行中（导入中），请等待完成" in again.content.decode()
    answer = api_client(world.owner).post(
        f"/api/v1/imports/{job.pk}/confirm", {}, content_type="application/json"
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == "该导入正在进行中（导入中），请等待完成"

    # A restarted worker (here told that any heartbeat is stale, and without the periodic
    # recovery, which would otherwise fail the retry it then runs) fails the job first.
    second = worker(queue, "--no-periodic", ZONEDESK_JOBS_STALE_AFTER="0")
    try:
        wait_for(job, Status.FAILED, second)
        assert job.errors == [INTERRUPTED]
        assert not Project.objects.exists()
        assert AuditEvent.objects.filter(
            action="import.interrupted", target_id=str(job.pk)
        ).exists()
        page = client.get(f"/imports/{job.pk}/").content.decode()
        assert INTERRUPTED in page and f'action="/imports/{job.pk}/retry/"' in page

        assert client.post(f"/imports/{job.pk}/retry/").status_code == 302
        wait_for(job, Status.DONE, second)
    finally:
        stop(second)
    assert Project.objects.filter(org=world.zone).count() == ROWS
    assert job.counts["create"] == ROWS and job.errors == []
    retried = AuditEvent.objects.get(action="import.retry", target_id=str(job.pk))
    assert retried.actor == world.owner
    assert retried.changes == {"status": ["failed", "importing"]}


@pytest.mark.django_db(transaction=True)
def test_the_periodic_recovery_fails_a_killed_import_and_a_retry_through_the_api_imports_it(
    world, settings, queue
):
    api = api_client(world.owner)
    file = SimpleUploadedFile("台账.xlsx", ledger(ROWS))
    api.post("/api/v1/imports", {"kind": "projects", "org_id": world.zone.pk, "file": file})
    job = ImportJob.objects.get()  # small: previewed at once
    assert job.status == Status.PREVIEWED
    settings.IMPORTS_BACKGROUND_BYTES = 0  # so that the confirm leaves it to a worker
    api.post(f"/api/v1/imports/{job.pk}/confirm", {}, content_type="application/json")
    # The worker's task body, in a process of its own that dies with 1000 rows written.
    killed = subprocess.run(
        [
            sys.executable,
            "-m",
            "zonedesk.cli",
            "shell",
            "-c",
            f"from zonedesk.imports import tasks; tasks.work({job.pk})",
        ],
        env=environment(queue, **{KILL_AFTER: "1000"}),
        capture_output=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    dead_workers_transaction_ended(job)

    settings.JOBS_STALE_AFTER = 0
    assert tasks.recover_imports.call_local() == 1
    job.refresh_from_db()
    assert (job.status, job.errors) == (Status.FAILED, [INTERRUPTED])
    assert not Project.objects.exists()

    del settings.IMPORTS_BACKGROUND_BYTES  # the retry imports this small file at once
    retried = api.post(f"/api/v1/imports/{job.pk}/retry")
    assert retried.status_code == 200, retried.content
    assert retried.json()["status"] == "done" and retried.json()["counts"]["create"] == ROWS
    assert Project.objects.filter(org=world.zone).count() == ROWS
    refused = api.post(f"/api/v1/imports/{job.pk}/retry")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "该导入已结束（已导入），如需再次导入请重新上传"


def taken_by_a_worker(job, when):
    """The job as a worker that took it at `when` and then died leaves it."""
    ImportJob.objects.filter(pk=job.pk).update(heartbeat=when)
    job.refresh_from_db()


def test_a_running_job_with_a_recent_heartbeat_or_none_yet_is_left_alone(
    world, always_background, settings
):
    kind = engine.KINDS["projects"]
    waiting = flow.start(world.owner, world.zone, kind, ledger(3), filename="排队.xlsx")
    running = flow.start(world.owner, world.zone, kind, ledger(3), filename="导入.xlsx")
    tasks.process.call_local(running.pk)
    running.refresh_from_db()
    flow.confirm(world.owner, running)
    now = timezone.now()
    taken_by_a_worker(running, now)

    bound = datetime.timedelta(seconds=settings.JOBS_STALE_AFTER)
    assert engine.recover(now=now + bound) == 0  # exactly at the bound: still alive
    assert engine.recover(now=now + bound + datetime.timedelta(seconds=1)) == 1
    running.refresh_from_db()
    assert (running.status, running.errors) == (Status.FAILED, [INTERRUPTED])
    # Queued and never taken by a worker: its task is still in the queue.
    assert engine.recover(now=now + 10 * bound) == 0
    waiting.refresh_from_db()
    assert waiting.status == Status.QUEUED


def test_a_failed_preview_is_read_again_by_a_retry_and_then_confirmed(
    world, client_for, always_background
):
    client = client_for(world.owner)
    upload(client, world, ledger(5))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=Status.READING)
    taken_by_a_worker(job, timezone.now() - datetime.timedelta(hours=1))
    assert engine.recover() == 1

    assert client.post(f"/imports/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert (job.status, job.errors, job.heartbeat) == (Status.QUEUED, [], None)
    tasks.process.call_local(job.pk)
    job.refresh_from_db()
    assert job.status == Status.PREVIEWED and job.counts["create"] == 5

    assert client.post(f"/imports/{job.pk}/confirm/").status_code == 302
    tasks.process.call_local(job.pk)
    job.refresh_from_db()
    assert job.status == Status.DONE and Project.objects.count() == 5


def test_the_dead_workers_job_is_no_longer_its_own_once_failed_and_retried(
    world, always_background
):
    """A worker stalled past the bound and failed as dead that wakes up again writes
    nothing: the retry's worker imports the file, once."""
    kind = engine.KINDS["projects"]
    job = flow.start(world.owner, world.zone, kind, ledger(4), filename="台账.xlsx")
    tasks.process.call_local(job.pk)
    job.refresh_from_db()
    flow.confirm(world.owner, job)
    stalled = ImportJob.objects.get(pk=job.pk)
    engine.beat(stalled, statuses=[Status.IMPORTING])  # the worker took it
    assert engine.recover(now=timezone.now() + datetime.timedelta(hours=1)) == 1
    flow.retry(world.owner, ImportJob.objects.get(pk=job.pk))

    engine.attempt(stalled, lambda: engine.run(world.owner, stalled))
    assert not Project.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == Status.IMPORTING  # the retry's

    tasks.process.call_local(job.pk)
    assert ImportJob.objects.get(pk=job.pk).status == Status.DONE
    assert Project.objects.count() == 4


def test_only_a_failed_job_is_retried_and_only_in_the_zone(world, client_for, always_background):
    upload(client_for(world.owner), world, ledger(2))
    job = ImportJob.objects.get()
    response = client_for(world.owner).post(f"/imports/{job.pk}/retry/")
    assert response.status_code == 409
    assert "该导入正在进行中（排队中），请等待完成" in response.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED)
    assert client_for(world.outsider).post(f"/imports/{job.pk}/retry/").status_code == 404
    assert client_for(world.viewer).post(f"/imports/{job.pk}/retry/").status_code == 404
    assert api_client(world.outsider).post(f"/api/v1/imports/{job.pk}/retry").status_code == 404
    assert ImportJob.objects.get(pk=job.pk).status == Status.FAILED
    assert not AuditEvent.objects.filter(action="import.retry").exists()
