"""The county's monthly key-project report imports as it is, in one step: the projects, the
year plan of the title's year, the month's progress, 今年累计完成投资 reconciled with the months
filed (the months before ZoneDesk as the year's opening balance), and 建设阶段 through the
stage rule, its missing date taken from 计划开工时间 and marked 据台账."""

import datetime
from decimal import Decimal

import pytest

from zonedesk.audit.models import AuditEvent
from zonedesk.imports import engine
from zonedesk.imports.models import Alias, ImportJob
from zonedesk.orgs.services import create_unit
from zonedesk.projects.demo import SHOUYANG
from zonedesk.projects.models import ProgressReport, Project, YearPlan

from .monthly_report import month_invested, workbook, ytd

KIND = engine.KINDS["projects"]


@pytest.fixture
def county(world, clock):
    """The county's 工业和信息化局 and the zone's leader 张建国, whom the sheet calls 县工信局
    and 张县长; the officer answered the alias questions once."""
    world.owner.name = "张建国"
    world.owner.save()
    world.industry = create_unit(None, org=world.county, name="工业和信息化局")
    first = engine.preview(world.member, world.zone, KIND, workbook(2024, 10), filename="a.xlsx")
    assert first.questions == [
        {
            "field": "unit",
            "name": "县工信局",
            "suggestions": [{"id": world.industry.pk, "name": "工业和信息化局"}],
        },
        {
            "field": "leader",
            "name": "张县长",
            "suggestions": [{"id": world.owner.pk, "name": "张建国"}],
        },
    ]
    assert first.errors[0] == (
        "第5行「责任单位」：找不到名为“县工信局”的单位；最接近的有：工业和信息化局；"
        "第5行「包联领导」：找不到名为“张县长”的包联领导；最接近的有：张建国"
    )
    world.answers = {
        "aliases": {"unit": {"县工信局": world.industry.pk}, "leader": {"张县长": world.owner.pk}}
    }
    return world


def imported(world, data, name="月报.xlsx", **options):
    job = engine.preview(world.member, world.zone, KIND, data, filename=name, options=options)
    assert job.errors == []
    assert job.questions == []
    return engine.run(world.member, job)


def test_the_monthly_report_imports_projects_plans_progress_ytd_and_stages(county):
    job = imported(county, workbook(2024, 10), **county.answers)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.options == {"year": 2024, "month": 10, **county.answers}
    assert job.counts == {"create": len(SHOUYANG), "update": 0, "unchanged": 0, "errors": 0}
    october = datetime.date(2024, 10, 1)
    for name, _c, _n, total, plan, start, started, *_ in SHOUYANG:
        project = Project.objects.get(org=county.zone, name=name)
        assert project.total_investment == Decimal(total)
        assert project.team == county.team  # the officer's task force
        assert project.leader == county.owner and project.unit == county.industry
        assert YearPlan.objects.get(project=project, year=2024).planned_investment == Decimal(plan)
        reports = {r.period: r for r in ProgressReport.objects.filter(project=project)}
        if started is None:
            assert project.stage == Project.Stage.RESERVE and not reports
            continue
        assert project.stage == Project.Stage.STARTED
        year = 2024 if start else 2023
        assert project.started_on == datetime.date(year, start or 3, 1)
        assert reports[october].invested == month_invested(plan, 10)
        assert not reports[october].is_opening
        # January to September were never filed: their sum is the year's opening balance.
        opening = reports[datetime.date(2024, 1, 1)]
        assert opening.is_opening and "期初累计" in opening.progress
        assert opening.invested == ytd(plan, 10) - month_invested(plan, 10)
        assert sum(r.invested for r in reports.values()) == ytd(plan, 10)
    started = AuditEvent.objects.filter(action="project.create", changes__has_key="started_on")
    assert started.exists()
    assert all(e.changes["reason"] == [None, "开工日期据台账"] for e in started)


def test_the_next_month_imports_with_no_question_and_the_same_file_again_changes_nothing(county):
    imported(county, workbook(2024, 10), **county.answers)
    again = imported(county, workbook(2024, 10))
    assert again.counts == {"create": 0, "update": 0, "unchanged": len(SHOUYANG), "errors": 0}

    november = imported(county, workbook(2024, 11))
    moving = sum(1 for row in SHOUYANG if row[6] is not None)
    assert november.counts["update"] == moving and november.counts["errors"] == 0
    for name, _c, _n, _t, plan, _s, started, *_ in SHOUYANG:
        if started is None:
            continue
        reports = ProgressReport.objects.filter(project__name=name, period__year=2024)
        assert sum(r.invested for r in reports) == ytd(plan, 11)
        assert reports.get(period=datetime.date(2024, 11, 1)).invested == month_invested(plan, 11)
        assert reports.filter(is_opening=True).count() == 1


def test_a_ytd_that_disagrees_with_the_months_filed_is_refused_naming_row_and_column(county):
    imported(county, workbook(2024, 10), **county.answers)
    # November's 今年累计 written as a tenth of itself: less than October and November filed.
    wrong = workbook(2024, 11, ytd_factor=Decimal("0.1"))
    job = engine.preview(county.member, county.zone, KIND, wrong, filename="y.xlsx")
    assert any("「今年累计完成投资」" in e and "不符" in e for e in job.errors), job.errors


def test_a_title_without_year_and_month_makes_the_preview_ask(county):
    data = workbook(2024, 10, titled=False)
    job = engine.preview(
        county.member, county.zone, KIND, data, filename="a.xlsx", options=county.answers
    )
    assert job.options == county.answers
    assert "第5行：无法确定报表所属月份：标题中未写明年月，请在预览中选择年度和月份" in job.errors
    answered = {"year": 2024, "month": 10, **county.answers}
    job = engine.preview(
        county.member, county.zone, KIND, data, filename="a.xlsx", options=answered
    )
    assert job.errors == [] and job.options == answered


def test_aliases_are_the_zones_own_and_a_sibling_zones_names_are_never_matched(county):
    imported(county, workbook(2024, 10), **county.answers)
    assert Alias.objects.filter(org=county.zone).count() == 2
    # The other zone's officer: the same sheet's names are unknown there, and the other
    # zone's own unit is no suggestion for a name our zone's sheet uses.
    other = engine.preview(
        county.outsider, county.other_zone, KIND, workbook(2024, 10), filename="b.xlsx"
    )
    assert any("找不到名为“县工信局”的单位" in e for e in other.errors)
    ours = engine.preview(
        county.member,
        county.zone,
        KIND,
        workbook(2024, 10, unit=county.other_unit.name),
        filename="c.xlsx",
    )
    assert ours.errors[0] == "第5行「责任单位」：找不到名为“招商局”的单位"  # nor suggested
