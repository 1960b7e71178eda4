"""Monthly progress (月度进展): project × month; a locked month is an error naming its row."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from zonedesk.audit.models import AuditEvent
from zonedesk.imports import engine
from zonedesk.imports.models import ImportJob
from zonedesk.projects import services
from zonedesk.projects.models import ProgressReport

from .conftest import sheet

HEADER = ["项目名称", "月份", "本月完成投资（万元）", "形象进度", "存在问题"]
PROGRESS = engine.KINDS["progress"]


@pytest.fixture
def paper(world):
    return services.create_project(
        None,
        org=world.zone,
        name="强伟生活用纸二期",
        category="industry",
        nature="new",
        total_investment=Decimal(50000),
    )


def months_ago(n):
    today = timezone.localdate().replace(day=1)
    index = today.year * 12 + today.month - 1 - n
    return datetime.date(index // 12, index % 12 + 1, 1)


def run(world, *rows):
    job = engine.preview(
        world.owner, world.zone, PROGRESS, sheet(HEADER, *rows), filename="月报.xlsx"
    )
    return engine.run(world.owner, job) if not job.errors else job


def test_reports_are_filed_for_each_month_in_every_date_form(world, paper):
    march, april = months_ago(3), months_ago(2)
    done = run(
        world,
        ["强伟生活用纸二期", f"{march.year}年{march.month}月", 1200, "基础施工", ""],
        ["强伟生活用纸二期", f"{april:%Y-%m-%d}", "0.15亿元", "主体施工", "缺少用工"],
    )
    assert done.status == ImportJob.Status.DONE and done.counts["create"] == 2
    reports = {r.period: r for r in ProgressReport.objects.filter(project=paper)}
    assert reports[march].invested == 1200 and reports[april].invested == 1500
    assert reports[april].problems == "缺少用工" and reports[march].filed_by == world.owner
    assert reports[march].is_late  # three months on, the deadline has passed
    assert AuditEvent.objects.filter(action="progress.file").count() == 2


def test_a_locked_month_is_an_error_naming_its_row_and_nothing_is_written(world, paper):
    locked = months_ago(2)
    services.lock_period(None, world.zone, locked)
    job = run(
        world,
        ["强伟生活用纸二期", f"{months_ago(1):%Y-%m}", 100, "施工", ""],
        ["强伟生活用纸二期", f"{locked:%Y-%m}", 100, "施工", ""],
    )
    assert job.errors == [
        f"第3行「月份」：{locked:%Y-%m}已关账，不能通过导入新增或修改月报；如需更正，请在项目页面填写更正原因"
    ]
    assert not ProgressReport.objects.exists()


def test_reimporting_a_locked_month_unchanged_is_no_error(world, paper):
    month = months_ago(2)
    row = ["强伟生活用纸二期", f"{month:%Y-%m}", 100, "施工", ""]
    run(world, row)
    services.lock_period(None, world.zone, month)
    job = run(world, row)
    assert job.errors == [] and job.counts["unchanged"] == 1


def test_a_future_month_and_an_update_are_told_apart(world, paper):
    month = months_ago(1)
    run(world, ["强伟生活用纸二期", f"{month:%Y-%m}", 100, "施工", ""])
    nxt = months_ago(-2)
    job = run(
        world,
        ["强伟生活用纸二期", f"{month:%Y-%m}", 300, "封顶", ""],
        ["强伟生活用纸二期", f"{nxt:%Y-%m}", 100, "施工", ""],
    )
    assert job.errors == ["第3行「月份」：不能填报未来月份"]
    job = run(world, ["强伟生活用纸二期", f"{month:%Y-%m}", 300, "封顶", ""])
    assert job.counts["update"] == 1
    report = ProgressReport.objects.get()
    assert report.invested == 300 and report.progress == "封顶" and report.version == 2
    assert AuditEvent.objects.filter(action="progress.update", target_id=str(report.pk)).exists()
