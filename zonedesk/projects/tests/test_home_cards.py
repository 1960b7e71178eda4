"""The projects' home cards: red and yellow projects with the rule's reason, the officer's
own among them, late reports by each zone's report day, and the statistician's periods."""

import datetime
from decimal import Decimal

import pytest

from zonedesk.audit.models import PeriodLock
from zonedesk.projects import selectors, services
from zonedesk.projects.models import ZoneSettings

from .conftest import make_project, start

# `clock` pins today to 2025-08-15: July's reports were due on 5 August.
YEAR, MONTH = 2025, 7


@pytest.fixture
def cards(world, clock):
    behind = start(make_project(world, name="落后项目"), datetime.date(2025, 1, 10))
    services.set_year_plan(None, behind, year=YEAR, planned_investment=Decimal("1200"))
    for month in range(1, 7):  # July is not filed
        services.file_progress(
            None,
            behind,
            period=datetime.date(YEAR, month, 1),
            invested=Decimal("10"),
            progress="施工",
        )
    idle = make_project(world, name="未开工项目", team=None)
    services.set_year_plan(
        None, idle, year=YEAR, planned_investment=Decimal("500"), planned_start_month=3
    )
    make_project(world, name="储备项目")
    return behind, idle


def test_warned_projects_say_why_they_are_red(world, cards):
    found = selectors.warned(selectors.projects_for(world.owner), YEAR, MONTH)
    assert (found["red"], found["yellow"]) == (2, 0)
    reasons = {p.name: p.reason for p in found["rows"]}
    assert reasons == {
        "落后项目": "投资完成率5.00%，落后时序进度（58.33%）53.33个百分点",
        "未开工项目": "计划3月开工，截至7月底未开工；投资完成率0.00%，落后时序进度（58.33%）58.33个百分点",
    }


def test_the_officer_card_holds_only_the_officers_task_force_projects(world, cards):
    found = selectors.home_my_warnings(world.member)["my_warnings"]
    assert [p.name for p in found["rows"]] == ["落后项目"]


def test_a_report_is_late_once_its_zones_report_day_has_passed(world, cards):
    behind, _idle = cards
    assert list(selectors.late_report_rows(world.owner, YEAR, MONTH)) == [behind]
    ZoneSettings.objects.create(org=world.zone, report_day=20)
    assert list(selectors.late_report_rows(world.owner, YEAR, MONTH)) == []


def test_the_statistician_sees_each_month_filed_and_closed(world, cards, statistician):
    PeriodLock.objects.create(org=world.zone, period=datetime.date(YEAR, 6, 1))
    periods = selectors.home_periods(statistician)["periods"]
    assert [(p["zone"], p["period"].month, p["filed"], p["due"], p["locked"]) for p in periods] == [
        (world.zone, 7, 0, 1, False),
        (world.zone, 6, 1, 1, True),
    ]
