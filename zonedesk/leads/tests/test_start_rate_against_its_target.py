"""当年签约项目开工率 against the team's target: 50% against 40% is 完成率 125% (corpus 002), on
the 招商大比拼 page and in its export; no target, or none signed, shows "—"."""

import datetime
from decimal import Decimal

from zonedesk.leads import selectors, services
from zonedesk.projects import services as project_services

from .conftest import YEAR, read_xlsx
from .test_leaderboard_and_funnel import cell, row_of, signed, tr_of

D = datetime.date


def two_signed_one_started(paper):
    a = signed(paper, "1000", D(YEAR, 2, 1))
    signed(paper, "1000", D(YEAR, 2, 2))
    project_services.change_stage(None, a.project, "started", on=D(YEAR, 3, 1))


def test_fifty_percent_against_forty_is_125_percent(world, clock, paper, digital, leader):
    services.set_target(None, paper, year=YEAR, amount=Decimal("1000"), count=2, start_rate=40)
    two_signed_one_started(paper)
    rows = selectors.leaderboard(leader, YEAR, 7)
    assert row_of(rows, paper)["start_rate"] == Decimal("50.0")
    assert row_of(rows, paper)["start_completion"] == Decimal("125.00")
    assert row_of(rows, digital)["start_completion"] is None  # no target, nothing signed


def test_the_page_and_the_export_print_125_percent(
    world, clock, paper, digital, leader, client_for
):
    services.set_target(None, paper, year=YEAR, amount=Decimal("1000"), count=2, start_rate=40)
    two_signed_one_started(paper)
    client = client_for(leader)
    page = client.get("/leads/leaderboard/").content.decode()
    started = cell(tr_of(page, paper), "当年签约项目开工率")
    assert "50.0%" in started and "目标 40.00%" in started and "完成率 125.00%" in started
    assert "—" in cell(tr_of(page, digital), "当年签约项目开工率")
    response = client.get("/leads/leaderboard/export.xlsx?year=2025&month=7")
    rows = read_xlsx(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    header = next(r for r in rows if "开工率完成率（%）" in r)
    line = next(r for r in rows if paper.name in r)
    assert line[header.index("开工率目标（%）")] == 40
    assert line[header.index("开工率完成率（%）")] == 125
    assert line[header.index("当年签约项目开工率（%）")] == 50
