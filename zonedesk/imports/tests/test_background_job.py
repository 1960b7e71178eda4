"""Large files are previewed and imported by the worker; the page shows a progress bar and
"我的导入" lists the user's jobs to come back to."""

import os
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from zonedesk.imports import engine, flow, tasks
from zonedesk.imports.models import ImportJob
from zonedesk.projects.models import Project

from .conftest import sheet

HEADER = ["项目名称", "总投资（万元）", "建设性质"]


def ledger(n):
    return sheet(HEADER, *[[f"项目{i:04d}", 100 + i, "新建"] for i in range(n)])


@pytest.fixture
def always_background(settings):
    settings.IMPORTS_BACKGROUND_BYTES = 0


def upload(client, world, data, name="台账.xlsx"):
    return client.post(
        "/imports/",
        {"kind": "projects", "org": world.zone.pk, "file": SimpleUploadedFile(name, data)},
    )


def test_a_large_file_is_queued_and_the_worker_previews_then_imports_it(
    world, client_for, always_background
):
    client = client_for(world.owner)
    upload(client, world, ledger(1200))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED and not Project.objects.exists()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert f'hx-get="/imports/{job.pk}/progress/"' in page and "<progress" in page

    tasks.process.call_local(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.counts["create"] == 1200 and (job.done, job.total) == (1200, 1200)
    # The bar's poll sees the job finished and has htmx reload the page with the result.
    poll = client.get(f"/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"

    client.post(f"/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING and not Project.objects.exists()
    assert "hx-get" in client.get(f"/imports/{job.pk}/").content.decode()
    tasks.process.call_local(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Project.objects.count() == 1200
    assert job.confirmed_by == world.owner


def test_a_job_is_imported_once_however_often_it_is_confirmed(world, client_for, always_background):
    client = client_for(world.owner)
    upload(client, world, ledger(3))
    job = ImportJob.objects.get()
    tasks.process.call_local(job.pk)
    client.post(f"/imports/{job.pk}/confirm/")
    client.post(f"/imports/{job.pk}/confirm/")
    tasks.process.call_local(job.pk)
    tasks.process.call_local(job.pk)
    assert Project.objects.count() == 3
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


def test_a_crash_in_the_worker_leaves_the_job_failed_with_a_message(world, always_background):
    job = flow.start(world.owner, world.zone, engine.KINDS["projects"], b"x", filename="a.xlsx")
    job.kind = "gone"  # a kind no longer registered: the worker cannot process it
    job.save()
    with pytest.raises(KeyError):
        tasks.process.call_local(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.errors[0].startswith("处理失败")


def test_my_imports_lists_only_my_jobs(world, client_for, always_background):
    upload(client_for(world.owner), world, ledger(2), name="我的.xlsx")
    upload(client_for(world.member), world, ledger(2), name="别人的.xlsx")
    page = client_for(world.owner).get("/imports/mine/").content.decode()
    assert "我的.xlsx" in page and "别人的.xlsx" not in page


def test_progress_is_the_zones_only(world, client_for, always_background):
    upload(client_for(world.owner), world, ledger(2))
    job = ImportJob.objects.get()
    assert client_for(world.outsider).get(f"/imports/{job.pk}/progress/").status_code == 404
    assert client_for(world.viewer).get(f"/imports/{job.pk}/progress/").status_code == 404
    assert client_for(world.owner).get(f"/imports/{job.pk}/progress/").status_code == 200


def test_my_imports_and_progress_take_a_bounded_number_of_queries(
    world, client_for, always_background, django_assert_max_num_queries
):
    client = client_for(world.owner)
    for _ in range(3):
        upload(client, world, ledger(2))
    job = ImportJob.objects.first()
    with django_assert_max_num_queries(6):
        client.get("/imports/mine/")
    with django_assert_max_num_queries(6):
        client.get(f"/imports/{job.pk}/progress/")


def test_the_api_lists_my_imports(world, always_background):
    from django.test import Client

    from zonedesk.orgs.services import create_token

    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(world.owner, 'api')[1]}")
    upload = SimpleUploadedFile("台账.xlsx", ledger(2))
    job = client.post(
        "/api/v1/imports", {"kind": "projects", "org_id": world.zone.pk, "file": upload}
    ).json()
    assert job["status"] == "queued"
    assert [j["id"] for j in client.get("/api/v1/imports").json()] == [job["id"]]


def database_url():
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def wait_for(job, status, worker):
    # Waiting is not what is tested: the assertion is that the worker got there at all.
    for _ in range(1200):
        job.refresh_from_db()
        if job.status == status or worker.poll() is not None:
            break
        time.sleep(0.1)
    assert worker.poll() is None, worker.stderr.read().decode()
    assert job.status == status, job.errors


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_previews_and_imports_a_large_file(
    world, client_for, always_background, tmp_path, monkeypatch
):
    queue = str(tmp_path / "huey.sqlite3")
    env = {**os.environ, "ZONEDESK_HUEY_DB": queue, "DATABASE_URL": database_url()}
    env.pop("REDIS_URL", None)
    monkeypatch.setattr(HUEY, "storage", SqliteStorage("zonedesk", filename=queue))
    worker = subprocess.Popen(
        [sys.executable, "-m", "zonedesk.cli", "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        client = client_for(world.owner)
        upload(client, world, ledger(1500))
        job = ImportJob.objects.get()
        wait_for(job, ImportJob.Status.PREVIEWED, worker)
        assert job.counts["create"] == 1500 and job.done == 1500
        client.post(f"/imports/{job.pk}/confirm/")
        wait_for(job, ImportJob.Status.DONE, worker)
        assert Project.objects.filter(org=world.zone).count() == 1500
    finally:
        worker.terminate()
        worker.wait(timeout=30)
