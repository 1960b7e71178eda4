"""The phone flow: upload a ledger, watch the worker's progress bar, read the preview,
confirm, see the result — in real Chromium at 375 px."""

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from zonedesk.conftest import login
from zonedesk.imports import tasks
from zonedesk.imports.models import ImportJob
from zonedesk.projects.models import Project

from .test_background_job import ledger

pytestmark = pytest.mark.browser


def test_admin_imports_a_large_ledger_on_a_phone_and_follows_the_progress(
    phone, live_server, world, settings, tmp_path, monkeypatch
):
    settings.IMPORTS_BACKGROUND_BYTES = 0
    monkeypatch.setattr(
        HUEY, "storage", SqliteStorage("zonedesk", filename=str(tmp_path / "q.sqlite3"))
    )
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger(600))
    login(phone, live_server, "owner")
    phone.goto(f"{live_server.url}/imports/")
    phone.select_option("select[name=kind]", "projects")
    phone.set_input_files("input[name=file]", str(path))
    phone.get_by_role("button", name="上传并预览").click()
    phone.wait_for_selector("#job-progress progress")
    job = ImportJob.objects.get()
    assert phone.url == f"{live_server.url}/imports/{job.pk}/"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    tasks.process.call_local(job.pk)  # the worker's part, run here
    # The bar polls every second and reloads the page once the preview is ready.
    phone.get_by_role("button", name="确认导入").wait_for(timeout=15_000)
    assert "600" in phone.locator(".kpis").inner_text()
    phone.get_by_role("button", name="确认导入").click()
    phone.wait_for_selector("#job-progress")
    tasks.process.call_local(job.pk)
    phone.locator("h1 .tag", has_text="已导入").wait_for(timeout=15_000)
    assert Project.objects.count() == 600
    phone.goto(f"{live_server.url}/imports/mine/")
    assert "台账.xlsx" in phone.locator("table.list").inner_text()
