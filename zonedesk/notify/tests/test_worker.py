"""The job worker is a real huey consumer: a job queued by the app runs in another process."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from zonedesk.notify.models import Heartbeat
from zonedesk.notify.selectors import worker_status
from zonedesk.notify.tasks import heartbeat


def database_url():
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_worker_process_runs_a_queued_job_and_home_shows_it_alive(tmp_path, monkeypatch):
    queue = str(tmp_path / "huey.sqlite3")
    env = {**os.environ, "ZONEDESK_HUEY_DB": queue, "DATABASE_URL": database_url()}
    env.pop("REDIS_URL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "zonedesk.cli", "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert not HUEY.immediate and worker_status() == (False, None)
        monkeypatch.setattr(HUEY, "storage", SqliteStorage("zonedesk", filename=queue))
        heartbeat()  # queued, not run here: the app's huey is not in immediate mode
        # Waiting is not what is tested: the assertion is that the job ran at all.
        for _ in range(600):
            if Heartbeat.objects.filter(name="worker").exists() or worker.poll() is not None:
                break
            time.sleep(0.1)
        assert worker.poll() is None, worker.stderr.read().decode()
        alive, last_seen = worker_status()
        assert alive and last_seen is not None
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_heartbeat_job_records_the_time(db):
    heartbeat.call_local()
    assert worker_status()[0] is True
