"""The 四库 board and the 领导驾驶舱: scoping, their figures against the list they link to,
the board's htmx stage change, and bounded query counts."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zonedesk.catalog.rates import rate
from zonedesk.projects import selectors, services
from zonedesk.projects.models import Project
from zonedesk.projects.tests.fixtures import (  # noqa: F401  (fixtures)
    GREEN,
    MONTHLY_A,
    NOPLAN,
    PLAN_A,
    RED,
    YELLOW,
    add_projects,
    fresh,
    projects,
    warnings,
)

# The columns take three statements (sums, the first cards, their figures), 在谈 two.
BOARD_MAX_QUERIES = 9
COCKPIT_MAX_QUERIES = 16


def board(client, query=""):
    response = client.get(f"{reverse('projects:board')}?{query}")
    assert response.status_code == 200
    return {c.stage: [p.name for p in c.cards] for c in response.context["columns"]}


def cards(columns):
    """Every card name on the board, column after column."""
    return [name for column in columns for name in column]


def cockpit(client, query=""):
    response = client.get(f"{reverse('projects:cockpit')}?{query}")
    assert response.status_code == 200
    return response


def list_count(client, query):
    response = client.get(f"{reverse('projects:list')}?{query}")
    assert response.status_code == 200
    return response.context["totals"]["count"]


# --- board --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(world):
    for name in ("board", "cockpit"):
        url = reverse(f"projects:{name}")
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_board_has_the_four_ledgers(world, projects, client_for):
    response = client_for(world.owner).get(reverse("projects:board"))
    assert [c.label for c in response.context["columns"]] == [
        "储备",
        "签约",
        "在建",
        "投产",
    ]
    cols = board(client_for(world.owner))
    assert cols == {
        "reserve": [projects.c.name],
        "signed": [projects.b.name],
        "started": [projects.a.name],
        "operating": [],
    }
    body = response.content.decode()
    assert f'id="card-{projects.a.pk}"' in body and 'class="pcard green"' in body


def test_board_puts_completed_with_operating_and_leaves_cancelled_out(world, projects, client_for):
    today = timezone.localdate()
    services.change_stage(None, projects.a, Project.Stage.COMPLETED, on=today)
    services.change_stage(None, projects.c, Project.Stage.CANCELLED, reason="选址调整")
    cols = board(client_for(world.owner))
    assert cols["operating"] == [projects.a.name]
    assert projects.c.name not in cards(cols.values())


@pytest.mark.parametrize("who", ["member", "viewer", "leader"])
def test_staff_of_zone_a_see_the_zones_board(world, projects, client_for, who):
    if who == "leader":
        from zonedesk.conftest import make_user
        from zonedesk.orgs.models import Role

        user = make_user("leader", world.zone, Role.Name.LEADER)
    else:
        user = getattr(world, who)
    names = set(cards(board(client_for(user)).values()))
    assert {projects.a.name, projects.b.name, projects.c.name} <= names
    assert (projects.other.name in names) is (who == "viewer")


def test_board_of_the_outsider_has_no_zone_a_project(world, projects, client_for):
    cols = board(client_for(world.outsider))
    assert cols == {"reserve": [], "signed": [], "started": [projects.other.name], "operating": []}


def test_board_of_unit_staff_is_scoped_and_refused_to_an_enterprise(world, projects, client_for):
    assert set(cards(board(client_for(world.unit_user)).values())) == {
        projects.a.name,
        projects.b.name,
    }
    # The board is the government's (warning colours of every project): not for a contact.
    assert client_for(world.enterprise_user).get(reverse("projects:board")).status_code == 403


def test_board_follows_the_filter_but_not_its_stage(world, projects, client_for):
    client = client_for(world.owner)
    assert cards(board(client, "q=供热").values()) == [projects.b.name]
    # Every column stays filled: a stage filter would empty all columns but one.
    cols = board(client, "stage=signed")
    assert cols["started"] == [projects.a.name] and cols["reserve"] == [projects.c.name]


def test_a_big_column_shows_its_count_and_total_and_the_first_cards_with_a_way_to_the_rest(
    world, projects, client_for, monkeypatch
):
    monkeypatch.setattr(selectors, "BOARD_CARDS", 3)
    add_projects(world.zone, 5, projects.year, projects.month)
    client = client_for(world.owner)
    started = client.get(reverse("projects:board")).context["columns"][2]
    expected = Project.objects.filter(org=world.zone, stage=Project.Stage.STARTED)
    assert started.count == expected.count() > 3
    assert started.total == sum(p.total_investment for p in expected)
    biggest = expected.order_by("-total_investment", "pk")[:3]
    assert [p.name for p in started.cards] == [p.name for p in biggest]
    html = client.get(reverse("projects:board")).content.decode()
    assert f"在列表中查看全部 {started.count} 个" in html
    assert "stage=started" in html


def test_board_stage_change_over_htmx_returns_the_card(world, projects, client_for):
    client = client_for(world.owner)
    url = reverse("projects:stage", args=[projects.b.pk])
    today = timezone.localdate()
    response = client.post(
        url,
        {"stage": "started", "on": f"{today}", "version": projects.b.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("<article") and f'data-version="{projects.b.version + 1}"' in body
    assert "阶段已更新为“在建”" in body
    assert fresh(projects.b).stage == "started"
    refused = client.post(
        url,
        {"stage": "signed", "on": f"{today}", "version": projects.b.version + 1},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 200
    assert 'class="flash error"' in refused.content.decode()
    assert "项目不能从“在建”退回“签约”" in refused.content.decode()
    assert fresh(projects.b).stage == "started"


def test_board_stage_change_is_refused_to_readers(world, projects, client_for):
    url = reverse("projects:stage", args=[projects.b.pk])
    data = {"stage": "started", "on": f"{timezone.localdate()}", "version": projects.b.version}
    assert (
        client_for(world.viewer).post(url, data, headers={"HX-Request": "true"}).status_code == 403
    )
    assert (
        client_for(world.member).post(url, data, headers={"HX-Request": "true"}).status_code == 403
    )
    assert fresh(projects.b).stage == "signed"


# --- cockpit ------------------------------------------------------------------------------


def test_cockpit_figures_for_the_zone(world, projects, client_for):
    response = cockpit(client_for(world.owner))
    t = response.context["t"]
    ytd = MONTHLY_A * (projects.month - 1)
    assert (response.context["year"], response.context["month"]) == (projects.year, projects.month)
    assert (t["projects"], t["n_reserve"], t["n_signed"], t["n_started"], t["n_operating"]) == (
        3,
        1,
        1,
        1,
        0,
    )
    assert t["investment"] == Decimal("76200")
    assert (t["plan"], t["ytd"]) == (PLAN_A, ytd)
    assert t["completion"] == rate(ytd, PLAN_A, 2)
    assert (t["planned"], t["planned_new"], t["started_new"]) == (1, 1, 1)
    assert t["start_rate"] == Decimal("100.0")
    assert t["time_progress"] == rate(projects.month, 12, 2)
    # One zone: no side-by-side table.
    assert response.context["zones"] == []
    # The monthly bars add up to the year-to-date figure, one bar per month.
    bars = response.context["by_month"]
    assert [b["label"] for b in bars] == [f"{m}月" for m in range(1, projects.month + 1)]
    assert sum(b["value"] for b in bars) == ytd
    if ytd:
        assert [b["label"] for b in response.context["by_chain"]] == ["造纸"]


def test_cockpit_of_the_city_viewer_compares_the_zones(world, projects, client_for):
    response = cockpit(client_for(world.viewer))
    zones = response.context["zones"]
    assert sorted(z["name"] for z in zones) == [z["name"] for z in zones]
    by_name = {z["name"]: z["projects"] for z in zones}
    assert by_name == {"寿阳经济技术开发区": 3, "太谷经济技术开发区": 1}
    t = response.context["t"]
    assert t["projects"] == 4
    assert t["plan"] == sum(z["plan"] for z in zones)
    assert t["ytd"] == sum(z["ytd"] for z in zones)
    body = response.content.decode()
    assert f"org={world.zone.pk}&warning=red" in body


def test_cockpit_of_the_outsider_has_no_zone_a_figure(world, projects, client_for):
    response = cockpit(client_for(world.outsider))
    t = response.context["t"]
    assert (t["projects"], t["investment"], t["plan"]) == (1, Decimal("26000"), Decimal("8000"))
    body = response.content.decode()
    assert "寿阳" not in body and "造纸" not in body


def test_cockpit_of_unit_staff_is_scoped_and_refused_to_an_enterprise(world, projects, client_for):
    assert cockpit(client_for(world.unit_user)).context["t"]["projects"] == 2
    assert client_for(world.enterprise_user).get(reverse("projects:cockpit")).status_code == 403


def test_cockpit_red_and_yellow_counts_match_the_list_they_link_to(
    world, projects, warnings, client_for
):
    client = client_for(world.owner)
    response = cockpit(client, warnings.query)
    t = response.context["t"]
    assert (t["red"], t["yellow"]) == (1, 1)
    body = response.content.decode()
    for colour in ("red", "yellow"):
        href = re.search(rf'href="([^"]*warning={colour})"', body)[1].replace("&amp;", "&")
        assert href == f"{reverse('projects:list')}?{warnings.query}&warning={colour}"
        listed = client.get(href)
        assert listed.context["totals"]["count"] == t[colour]
    assert [
        p.name
        for p in client.get(f"{reverse('projects:list')}?{warnings.query}&warning=red").context[
            "projects"
        ]
    ] == [RED]
    # Stage KPIs match the list too.
    for stage in ("reserve", "signed", "started", "operating"):
        assert t[f"n_{stage}"] == list_count(client, f"{warnings.query}&stage={stage}")
    assert t["projects"] == list_count(client, warnings.query)


def test_cockpit_of_last_year_counts_late_and_missing_reports(
    world, projects, warnings, client_for
):
    t = cockpit(client_for(world.owner), warnings.query).context["t"]
    # Three projects under construction last year filed no December report.
    assert t["late"] == 3
    assert (t["plan"], t["ytd"]) == (Decimal("3000"), Decimal("1900"))
    assert t["completion"] == Decimal("63.33")


def test_cockpit_with_a_malformed_period_falls_back_to_the_reporting_month(
    world, projects, client_for
):
    response = cockpit(client_for(world.owner), "year=abc&month=99")
    assert (response.context["year"], response.context["month"]) == (projects.year, projects.month)


# --- query counts -------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "name, limit", [("board", BOARD_MAX_QUERIES), ("cockpit", COCKPIT_MAX_QUERIES)]
)
@pytest.mark.parametrize("who", ["owner", "viewer"])
def test_query_count_is_bounded_and_does_not_grow(
    world, projects, client_for, django_assert_max_num_queries, name, limit, who
):
    client = client_for(getattr(world, who))
    url = reverse(f"projects:{name}")
    client.get(url)  # the filter's choices, remembered (test_filter_choices_are_remembered)
    before = count_queries(client, url)
    add_projects(world.zone, 30, projects.year, projects.month)
    add_projects(world.other_zone, 5, projects.year, projects.month, prefix="太谷批量")
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    if name == "board":
        assert len(response.context["columns"][2].cards) >= 31
    else:
        assert response.context["t"]["projects"] >= 33
    assert count_queries(client, url) <= before <= limit
