"""Year plans (年度投资计划): project × year, the project found by code or by name."""

from decimal import Decimal

from zonedesk.audit.models import AuditEvent
from zonedesk.imports import engine
from zonedesk.imports.models import ImportJob
from zonedesk.projects import services
from zonedesk.projects.models import YearPlan

from .conftest import sheet

HEADER = [
    "统一项目代码",
    "项目名称",
    "年度",
    "年度计划投资（亿元）",
    "计划开工月份",
    "年度建设目标",
]
PLANS = engine.KINDS["yearplans"]
CODE = "2026-140725-04-01-000001"


def project(world, **over):
    fields = {"name": "强伟生活用纸二期", "category": "industry", "nature": "new"}
    return services.create_project(
        None, org=world.zone, total_investment=Decimal(50000), **(fields | over)
    )


def run(world, *rows, actor=None):
    actor = actor or world.owner
    job = engine.preview(actor, world.zone, PLANS, sheet(HEADER, *rows), filename="计划.xlsx")
    preview = ImportJob.objects.get(pk=job.pk)
    return preview, engine.run(actor, job) if not job.errors else job


def test_plans_are_created_per_year_and_matched_by_code_or_name(world):
    paper = project(world, project_code=CODE)
    job, done = run(
        world,
        [CODE, "", 2026, 1.8, 3, "主体封顶"],
        ["", "强伟生活用纸二期", 2027, "1.2亿元", "2027年5月", ""],
    )
    assert job.counts == {"create": 2, "update": 0, "unchanged": 0, "errors": 0}
    assert job.matched == {} and done.status == ImportJob.Status.DONE
    plans = {p.year: p for p in YearPlan.objects.filter(project=paper)}
    assert plans[2026].planned_investment == 18000 and plans[2026].planned_start_month == 3
    assert plans[2027].planned_investment == 12000 and plans[2027].planned_start_month == 5
    assert AuditEvent.objects.filter(action="yearplan.create").count() == 2


def test_reimport_is_unchanged_and_a_correction_updates_the_plan_with_its_event(world):
    paper = project(world, project_code=CODE)
    run(world, [CODE, "", 2026, 1.8, 3, ""])
    again, _ = run(world, [CODE, "", 2026, 1.8, 3, ""])
    assert again.counts["unchanged"] == 1 and again.matched == {"统一项目代码": 1}
    _job, done = run(world, [CODE, "", 2026, 2, 3, ""])
    assert done.counts == {"create": 0, "update": 1, "unchanged": 0, "errors": 0}
    plan = YearPlan.objects.get(project=paper, year=2026)
    assert plan.planned_investment == 20000 and plan.version == 2
    event = AuditEvent.objects.get(action="yearplan.update")
    assert event.changes == {"planned_investment": ["18000.00", "20000.00"]}


def test_an_unknown_project_and_a_bad_month_name_their_rows(world):
    project(world)
    job, _ = run(
        world, ["", "不存在的项目", 2026, 100, "", ""], ["", "强伟生活用纸二期", 2026, 1, 13, ""]
    )
    assert job.errors == [
        "第2行：找不到项目“不存在的项目”：请先导入或登记该项目",
        "第3行「计划开工月份」：月份应在1到12之间，而不是“13”",
    ]
    assert not YearPlan.objects.exists()


def test_an_officer_outside_the_task_force_is_refused_per_row(world):
    project(world)
    job, _ = run(world, ["", "强伟生活用纸二期", 2026, 1, 3, ""], actor=world.member)
    assert job.errors == ["第2行：只有该项目专班的项目专员或管理员可以修改此项目"]
