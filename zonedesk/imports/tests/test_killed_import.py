"""An import killed mid-way, after it has written rows inside its transaction, leaves the
database as it was: the process SIGKILLs itself at a fixed row count (hooks.KILL_AFTER)."""

import os
import signal
import subprocess
import sys

import pytest
from django.db import connection

from zonedesk.audit.models import AuditEvent
from zonedesk.imports.hooks import KILL_AFTER
from zonedesk.imports.models import ImportJob
from zonedesk.projects.models import Project

from .conftest import sheet
from .test_background_job import database_url

ROWS = 2500


def command(world, path, **env):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "zonedesk.cli",
            "import_xlsx",
            str(path),
            "--kind",
            "projects",
            "--org",
            world.zone.name,
            "--user",
            "owner",
            "--confirm",
        ],
        env={**os.environ, "DATABASE_URL": database_url(), **env},
        capture_output=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_after_writing_rows_leaves_the_database_as_before(world, tmp_path):
    path = tmp_path / "台账.xlsx"
    rows = [[f"项目{i:04d}", 100 + i, "新建", 50] for i in range(ROWS)]
    path.write_bytes(sheet(["项目名称", "总投资（万元）", "建设性质", "今年计划投资"], *rows))
    events = AuditEvent.objects.count()

    killed = command(world, path, **{KILL_AFTER: "1000"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    connection.close()  # a fresh connection sees what a restarted server would
    assert not Project.objects.exists()
    assert AuditEvent.objects.count() == events
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEWED  # never marked done

    # The same file and command without the hook import every row: the kill made the difference.
    done = command(world, path)
    assert done.returncode == 0, done.stderr.decode()
    assert Project.objects.count() == ROWS
