"""The document job: queued by the request, built section by section by the task (here
with call_local, and once by a real worker process), its files stored and served."""

import os
import subprocess
import sys
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from zonedesk.audit.models import AuditEvent
from zonedesk.notify.tests.test_worker import database_url
from zonedesk.orgs.models import Role
from zonedesk.orgs.services import grant_role, revoke_role
from zonedesk.reports import documents, selectors, services
from zonedesk.reports.models import ReportJob

from .conftest import YEAR
from .documents import docx_tables, fresh_user, generate


def test_task_stores_word_and_excel_under_media_and_records_the_request(seeded, media):
    job = generate(seeded.leader, seeded.world.zone)
    assert (job.status, job.progress, job.message) == ("done", 100, "")
    assert job.finished_at is not None
    for stored in (job.docx, job.xlsx):
        path = media / stored.name
        assert path.is_file() and path.read_bytes().startswith(b"PK")
        assert stored.name.startswith("reports/")
    actions = list(
        AuditEvent.objects.filter(action__startswith="reports.", target_id=str(job.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["reports.request", "reports.done"]


def test_progress_is_told_after_each_section_up_to_the_files(seeded):
    told = []
    documents.content(
        selectors.narrowed(fresh_user(seeded.leader), seeded.world.zone),
        seeded.world.zone,
        "annual",
        YEAR,
        progress=lambda pct, label: told.append((pct, label)),
    )
    assert [p for p, _label in told] == sorted({p for p, _label in told})
    assert [label for _p, label in told] == [
        "主要指标",
        "同比与计划完成",
        "红黄预警项目",
        "问题督办",
        "审批办理",
        "招商签约",
        "年度目标与完成",
        "图表",
    ]


def test_job_fails_with_a_message_when_the_requester_lost_the_role(seeded):
    job = services.request_report(fresh_user(seeded.leader), seeded.world.zone, "monthly", YEAR, 7)
    grant_role(None, user=seeded.leader, org=seeded.world.zone, role=Role.Name.VIEWER)
    revoke_role(None, Role.objects.get(user=seeded.leader, role=Role.Name.LEADER))
    services.build_report.call_local(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.message == "申请人已无权为该范围生成报告"
    assert not job.docx and not job.xlsx
    assert AuditEvent.objects.filter(action="reports.failed", target_id=str(job.pk)).exists()


def test_a_finished_job_is_not_built_again(seeded):
    job = generate(seeded.leader, seeded.world.zone)
    name = job.docx.name
    services.build_report.call_local(job.pk)
    job.refresh_from_db()
    assert job.docx.name == name


def test_the_same_request_while_it_waits_returns_the_waiting_job(seeded):
    user = fresh_user(seeded.leader)
    first = services.request_report(user, seeded.world.zone, "quarterly", YEAR, quarter=2)
    again = services.request_report(user, seeded.world.zone, "quarterly", YEAR, quarter=2)
    other = services.request_report(user, seeded.world.zone, "quarterly", YEAR, quarter=1)
    assert first.pk == again.pk != other.pk
    assert ReportJob.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "year", "month", "quarter", "field", "message"),
    [
        ("monthly", YEAR, None, None, "month", "月汇总须选择1—12月"),
        ("monthly", YEAR, 13, None, "month", "月汇总须选择1—12月"),
        ("quarterly", YEAR, 7, None, "quarter", "季分析须选择第1—4季度"),
        ("monthly", YEAR, 9, None, "year", "所选期间尚未开始"),
        ("annual", YEAR + 1, None, None, "year", "年度应在2000—2025之间"),
        ("weekly", YEAR, None, None, "kind", "未知的报告类型"),
    ],
)
def test_bad_periods_are_refused_naming_the_field(
    seeded, kind, year, month, quarter, field, message
):
    with pytest.raises(ValidationError) as e:
        services.request_report(
            fresh_user(seeded.leader), seeded.world.zone, kind, year, month, quarter
        )
    assert e.value.message_dict == {field: [message]}
    assert not ReportJob.objects.exists()


def test_a_viewer_cannot_request_through_the_service(seeded):
    with pytest.raises(PermissionDenied):
        services.request_report(fresh_user(seeded.world.viewer), seeded.world.zone, "annual", YEAR)


def test_job_page_polls_while_waiting_and_offers_downloads_when_done(seeded, client_for):
    client = client_for(seeded.leader)
    job = services.request_report(fresh_user(seeded.leader), seeded.world.zone, "monthly", YEAR, 7)
    page = client.get(f"/reports/{job.pk}/").content.decode()
    assert f'hx-get="/reports/{job.pk}/progress/"' in page and 'hx-trigger="every 2s"' in page
    assert "后台任务进程未运行" in page
    services.build_report.call_local(job.pk)
    fragment = client.get(f"/reports/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment
    assert f'href="/reports/{job.pk}/report.docx"' in fragment
    assert f'href="/reports/{job.pk}/report.xlsx"' in fragment
    assert 'value="100"' in fragment


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_builds_the_requested_document(
    seeded, tmp_path, monkeypatch, settings
):
    queue = str(tmp_path / "huey.sqlite3")
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    env = {
        **os.environ,
        "ZONEDESK_HUEY_DB": queue,
        "ZONEDESK_VAR_DIR": str(var),
        "DATABASE_URL": database_url(),
    }
    env.pop("REDIS_URL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "zonedesk.cli", "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert not HUEY.immediate
        monkeypatch.setattr(HUEY, "storage", SqliteStorage("zonedesk", filename=queue))
        # Queued on commit, not run here: the app's huey is not in immediate mode.
        job = services.request_report(
            fresh_user(seeded.leader), seeded.world.zone, "monthly", YEAR, 7
        )
        # Waiting is not what is tested: the assertion is that the worker built it.
        for _ in range(1200):
            job.refresh_from_db()
            if job.finished or worker.poll() is not None:
                break
            time.sleep(0.1)
        assert worker.poll() is None, worker.stderr.read().decode()
        assert (job.status, job.progress) == ("done", 100), job.message
        assert (settings.MEDIA_ROOT / job.docx.name).read_bytes().startswith(b"PK")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_the_document_is_written_in_the_language_of_the_request(seeded):
    with translation.override("en"):
        job = services.request_report(fresh_user(seeded.leader), seeded.world.zone, "annual", YEAR)
    assert job.language == "en"
    services.build_report.call_local(job.pk)  # here, in Chinese
    job.refresh_from_db()
    with job.docx.open("rb") as f:
        tables = docx_tables(f.read())
    assert tables[0][0][0] == "Indicator" and tables[0][1][0] == "Projects"
