"""招商大比拼 and the funnel: ranks by signed amount, 签约完成率 = signed ÷ target (the seed
76.64 亿元 against 72 亿元 reads 106.44%), rank change since last month, visits and leads
advanced in the period, conversion and median days — and every figure equals, and links
to, the rows the lead list gives for the same filter."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zonedesk.leads import demo, selectors, services
from zonedesk.projects import services as project_services

from .conftest import YEAR, fresh, make_lead

D = datetime.date


def signed(team, amount, on, *, created=None, contacting=None, negotiating=None, **over):
    """A lead registered, optionally advanced, and signed through the services."""
    lead = make_lead(team, created_on=created or D(on.year, 1, 1), **over)
    if contacting:
        services.advance(None, lead, "contacting", on=contacting)
    if negotiating:
        services.advance(None, lead, "negotiating", on=negotiating)
    services.sign(None, fresh(lead), amount=Decimal(amount), on=on)
    return fresh(lead)


def visit(team, on, place="赴江苏、河南考察招商"):
    return services.add_visit(
        None,
        org=team.org,
        team=team,
        kind="inspection",
        date=on,
        place=place,
        participants="李志强",
    )


def row_of(rows, team):
    [row] = [r for r in rows if r["team"].pk == team.pk]
    return row


def tr_of(page, team):
    """The <tr> of the leaderboard page that names the team."""
    [tr] = [t for t in page.split("<tr>") if f">{team.name}</a>" in t]
    return tr


def cell(tr, label):
    """The inner HTML of the <td> with this data-label."""
    m = re.search(rf'<td data-label="{label}"[^>]*>(.*?)</td>', tr, re.S)
    assert m, label
    return m.group(1)


def links(fragment):
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', fragment)]


def listed(client, url):
    """The leads the lead list shows for a URL: (count, sum of signed amounts)."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["leads"]
    rows = list(page.paginator.object_list)
    return page.paginator.count, sum((x.signed_amount or Decimal(0) for x in rows), Decimal(0))


# --- 签约完成率 and the seed figure -------------------------------------------------------


@pytest.fixture
def seed(world, clock, paper, digital):
    """Targets 42 + 30 亿元; signings 44.64 + 32 亿元 = 76.64 亿元, all before August."""
    services.set_target(None, paper, year=YEAR, amount=Decimal("420000"), count=8, start_rate=60)
    services.set_target(None, digital, year=YEAR, amount=Decimal("300000"), count=6, start_rate=50)
    signed(paper, "176400", D(YEAR, 3, 18))
    signed(paper, "270000", D(YEAR, 4, 18))
    signed(digital, "120000", D(YEAR, 6, 18))
    signed(digital, "200000", D(YEAR, 7, 18))


def test_the_seed_signings_against_the_targets_read_106_44_percent(seed, leader, paper, digital):
    rows = selectors.leaderboard(leader, YEAR, 7)
    total = selectors.board_total(rows)

    assert (total["amount"], total["target_amount"]) == (Decimal("766400"), Decimal("720000"))
    assert total["amount_rate"] == Decimal("106.44")
    assert (total["count"], total["target_count"], total["count_rate"]) == (4, 14, Decimal("28.57"))
    assert [r["team"] for r in rows] == [paper, digital]
    assert [r["rank"] for r in rows] == [1, 2]
    assert (row_of(rows, paper)["amount_rate"], row_of(rows, paper)["count_rate"]) == (
        Decimal("106.29"),
        Decimal("25.00"),
    )
    assert (row_of(rows, digital)["amount_rate"], row_of(rows, digital)["count_rate"]) == (
        Decimal("106.67"),
        Decimal("33.33"),
    )


def test_the_leaderboard_page_prints_106_44_percent(seed, leader, client_for):
    response = client_for(leader).get("/leads/leaderboard/")  # default period: 2025-07

    assert response.status_code == 200
    foot = response.content.decode().split("<tfoot>")[1]
    assert "106.44%" in foot
    assert "766400.00" in re.sub(r"[,\s\u00a0\u202f]", "", foot)


def test_a_team_without_a_target_has_no_completion_rate(world, clock, paper, digital, leader):
    services.set_target(None, paper, year=YEAR, amount=Decimal("1000"), count=1)
    signed(digital, "500", D(YEAR, 2, 1))

    rows = selectors.leaderboard(leader, YEAR, 7)

    assert row_of(rows, digital)["amount_rate"] is None
    assert row_of(rows, paper)["amount_rate"] == Decimal("0.00")


def test_the_start_rate_counts_signed_projects_started_in_the_period(world, clock, paper, leader):
    a = signed(paper, "1000", D(YEAR, 2, 1))
    signed(paper, "1000", D(YEAR, 2, 2))
    project_services.change_stage(None, a.project, "started", on=D(YEAR, 3, 1))

    row = row_of(selectors.leaderboard(leader, YEAR, 7), paper)

    assert (row["count"], row["started"], row["start_rate"]) == (2, 1, Decimal("50.0"))


@pytest.mark.parametrize(
    "today",
    [D(2025, 12, 31), D(2025, 8, 15), D(2026, 2, 10)],
    ids=["december", "mid-august", "february"],
)
def test_the_demo_loads_on_any_day_and_reads_106_44_percent(
    world, clock, paper, digital, leader, today
):
    """`zonedesk demo` is run whenever someone sets up a trial; its signing dates must not
    fall after the day it is run."""
    clock.today = today

    demo.load()

    total = selectors.board_total(selectors.leaderboard(leader, today.year, 12))
    assert total["amount_rate"] == Decimal("106.44")


# --- rank change --------------------------------------------------------------------------


@pytest.fixture
def race(world, clock, paper, digital):
    """Paper leads in March, digital overtakes in April, paper takes the lead back in May."""
    signed(paper, "176400", D(YEAR, 3, 18))
    signed(digital, "200000", D(YEAR, 4, 10))
    signed(paper, "270000", D(YEAR, 5, 5))


def test_the_rank_change_compares_with_the_month_before(race, leader, paper, digital):
    april = selectors.leaderboard(leader, YEAR, 4)
    may = selectors.leaderboard(leader, YEAR, 5)

    assert [(r["team"], r["rank"], r["previous_rank"], r["rank_change"]) for r in april] == [
        (digital, 1, 2, 1),
        (paper, 2, 1, -1),
    ]
    assert [(r["team"], r["rank"], r["rank_change"]) for r in may] == [
        (paper, 1, 1),
        (digital, 2, -1),
    ]
    assert [r["amount"] for r in may] == [Decimal("446400"), Decimal("200000")]


def test_january_has_no_previous_month_to_compare(race, leader):
    rows = selectors.leaderboard(leader, YEAR, 1)

    assert all(r.get("rank_change") is None for r in rows)


def test_the_page_shows_the_rank_changes_as_arrows(race, leader, client_for, paper, digital):
    page = (
        client_for(leader).get("/leads/leaderboard/", {"year": YEAR, "month": 5}).content.decode()
    )

    assert "↑1" in cell(tr_of(page, paper), "名次")
    assert "↓1" in cell(tr_of(page, digital), "名次")
    # Nobody signed anything in January or February: no arrows.
    steady = (
        client_for(leader).get("/leads/leaderboard/", {"year": YEAR, "month": 2}).content.decode()
    )
    assert "↑" not in steady and "↓" not in steady


# --- every figure equals the list -------------------------------------------------------


@pytest.fixture
def board(world, clock, paper, digital):
    """Signings inside January–May and outside it, in both zones, and visits around it."""
    inside = [
        signed(paper, "176400", D(YEAR, 3, 18)),
        signed(paper, "1200.50", D(YEAR, 5, 31)),
        signed(digital, "200000", D(YEAR, 1, 1)),
        signed(world.other_team, "26000", D(YEAR, 2, 1)),
    ]
    signed(paper, "999", D(YEAR - 1, 12, 31), created=D(YEAR - 1, 12, 1))  # last year
    signed(digital, "888", D(YEAR, 6, 1))  # after May
    make_lead(paper, created_on=D(YEAR, 2, 1))  # never signed
    for on in (D(YEAR - 1, 12, 20), D(YEAR, 1, 5), D(YEAR, 5, 16), D(YEAR, 6, 2)):
        visit(paper, on)
    return inside


@pytest.mark.parametrize("who", ["leader", "viewer"])
def test_each_signed_figure_equals_the_list_it_links_to(board, world, client_for, request, who):
    user = request.getfixturevalue("leader") if who == "leader" else world.viewer
    client = client_for(user)
    response = client.get("/leads/leaderboard/", {"year": YEAR, "month": 5})
    page = response.content.decode()
    rows = response.context["rows"]
    assert len(rows) == (3 if who == "viewer" else 2)

    for r in rows:
        tr = tr_of(page, r["team"])
        [amount_link] = links(cell(tr, "签约金额（万元）"))
        [count_link] = links(cell(tr, "签约项目"))
        assert f"team={r['team'].pk}" in amount_link
        assert listed(client, amount_link) == (r["count"], r["amount"])
        assert listed(client, count_link)[0] == r["count"]

    total = selectors.board_total(rows)
    foot = page.split("<tfoot>")[1]
    [total_link] = [h for h in links(foot) if h.startswith("/leads/?") and "signed_from" in h]
    assert listed(client, total_link) == (total["count"], total["amount"])


def test_the_total_equals_its_list_when_a_team_was_disbanded_mid_year(
    board, world, leader, client_for, digital
):
    """Digital signed 20 亿元 in January and was disbanded in June: the zone's total and the
    list it links to must still agree."""
    from zonedesk.orgs.services import update_team

    update_team(None, digital, {"is_active": False})
    client = client_for(leader)
    response = client.get("/leads/leaderboard/", {"year": YEAR, "month": 5})
    total = selectors.board_total(response.context["rows"])
    [total_link] = [
        h
        for h in links(response.content.decode().split("<tfoot>")[1])
        if h.startswith("/leads/?") and "signed_from" in h
    ]

    assert listed(client, total_link) == (total["count"], total["amount"])


def test_the_board_counts_only_what_lies_in_the_period(board, leader, paper, digital):
    rows = selectors.leaderboard(leader, YEAR, 5)

    assert (row_of(rows, paper)["amount"], row_of(rows, paper)["count"]) == (
        Decimal("177600.50"),
        2,
    )
    assert (row_of(rows, digital)["amount"], row_of(rows, digital)["count"]) == (
        Decimal("200000"),
        1,
    )


def test_visits_are_counted_in_the_period_only(board, leader, paper, digital):
    rows = selectors.leaderboard(leader, YEAR, 5)

    assert row_of(rows, paper)["visits"] == 2
    assert row_of(rows, digital)["visits"] == 0
    assert selectors.board_total(rows)["visits"] == 2


def test_leads_advanced_are_counted_in_the_period_only(world, clock, paper, digital, leader):
    # Each lead below takes at most one step inside January–May.
    a = make_lead(paper, created_on=D(YEAR - 1, 11, 1))
    services.advance(None, a, "contacting", on=D(YEAR - 1, 12, 1))  # last year: no
    services.advance(None, fresh(a), "negotiating", on=D(YEAR, 2, 1))  # yes
    b = make_lead(paper, created_on=D(YEAR, 1, 2))
    services.advance(None, b, "contacting", on=D(YEAR, 6, 3))  # after May: no
    c = make_lead(paper, created_on=D(YEAR, 1, 2))
    services.drop(None, c, reason="企业变卦", on=D(YEAR, 3, 1))  # dropping is no advance
    signed(
        digital,
        "1000",
        D(YEAR, 4, 1),
        created=D(YEAR - 1, 10, 1),
        contacting=D(YEAR - 1, 10, 2),
        negotiating=D(YEAR - 1, 10, 3),
    )  # only the signing is inside: yes

    rows = selectors.leaderboard(leader, YEAR, 5)

    assert (row_of(rows, paper)["advanced"], row_of(rows, digital)["advanced"]) == (1, 1)
    assert selectors.board_total(rows)["advanced"] == 2


def test_the_visits_figure_links_to_the_visits_it_counts(board, leader, client_for, paper):
    """The 考察拜访 figure links to the team page, which must list the period's visits only."""
    client = client_for(leader)
    response = client.get("/leads/leaderboard/", {"year": YEAR, "month": 5})
    row = row_of(response.context["rows"], paper)
    [link] = links(cell(tr_of(response.content.decode(), paper), "考察拜访"))

    shown = list(client.get(link).context["visits"])

    assert row["visits"] == 2
    assert len(shown) == row["visits"], [v.date for v in shown]


def test_the_leads_advanced_figure_links_to_the_leads_it_counts(
    world, clock, paper, leader, client_for
):
    a = make_lead(paper, created_on=D(YEAR, 1, 2))
    services.advance(None, a, "contacting", on=D(YEAR, 2, 1))
    make_lead(paper, created_on=D(YEAR, 1, 3))
    client = client_for(leader)
    response = client.get("/leads/leaderboard/", {"year": YEAR, "month": 5})
    row = row_of(response.context["rows"], paper)

    found = links(cell(tr_of(response.content.decode(), paper), "推进线索"))

    assert row["advanced"] == 1
    assert found, "the 推进线索 figure links nowhere"
    assert listed(client, found[0])[0] == row["advanced"]


def test_the_leaderboard_shows_only_teams_in_scope(board, world, client_for, paper):
    page = client_for(world.outsider).get("/leads/leaderboard/", {"year": YEAR, "month": 5})

    assert [r["team"] for r in page.context["rows"]] == [world.other_team]
    assert paper.name not in page.content.decode()


# --- funnel -------------------------------------------------------------------------------


@pytest.fixture
def pipeline(world, clock, paper, digital):
    """Four leads registered on 1 January, one last year, one in zone B."""
    jan = D(YEAR, 1, 1)
    one = signed(
        paper,
        "5000",
        D(YEAR, 2, 10),
        created=jan,
        contacting=D(YEAR, 1, 11),
        negotiating=D(YEAR, 1, 31),
    )
    project_services.change_stage(None, one.project, "started", on=D(YEAR, 3, 12))
    two = make_lead(digital, created_on=jan)
    services.advance(None, two, "contacting", on=D(YEAR, 1, 21))
    services.advance(None, fresh(two), "negotiating", on=D(YEAR, 2, 20))
    three = make_lead(paper, created_on=jan)
    services.advance(None, three, "contacting", on=D(YEAR, 1, 5))
    services.drop(None, fresh(three), reason="企业变卦", on=D(YEAR, 2, 1))
    make_lead(paper, created_on=jan)
    old = make_lead(paper, created_on=D(YEAR - 1, 12, 1))
    services.advance(None, old, "contacting", on=D(YEAR - 1, 12, 5))
    make_lead(world.other_team, created_on=jan)


def test_the_funnel_counts_conversions_and_median_days(pipeline, leader):
    steps = selectors.funnel(leader, YEAR)

    assert [(s["stage"], s["count"]) for s in steps] == [
        ("lead", 4),
        ("contacting", 3),
        ("negotiating", 2),
        ("signed", 1),
        ("started", 1),
    ]
    assert [s["conversion"] for s in steps] == [
        None,
        Decimal("75.0"),
        Decimal("66.7"),
        Decimal("50.0"),
        Decimal("100.0"),
    ]
    # created→contacting 10, 20, 4 days; contacting→negotiating 20, 30; →signed 10; →started 30.
    assert [s["median_days"] for s in steps] == [None, 10, 25, 10, 30]


def test_the_funnel_page_prints_the_rates(pipeline, leader, client_for):
    response = client_for(leader).get("/leads/funnel/", {"year": YEAR, "month": 12})

    assert response.status_code == 200
    text = response.content.decode()
    for figure in ("75.0%", "66.7%", "50.0%", "100.0%"):
        assert figure in text


def test_the_funnel_is_scoped(pipeline, world):
    assert [s["count"] for s in selectors.funnel(world.outsider, YEAR)] == [1, 0, 0, 0, 0]
    assert selectors.funnel(world.viewer, YEAR)[0]["count"] == 5


def test_a_lead_that_skipped_a_stage_still_counts_as_having_passed_it(world, clock, paper, leader):
    """A lead may be signed straight from 接洽 (services.sign allows it); it has passed 在谈
    all the same, so no stage of the funnel holds more leads than the one before it."""
    for _ in range(2):
        make_lead(paper, created_on=D(YEAR, 1, 1))
    signed(paper, "1000", D(YEAR, 3, 1), created=D(YEAR, 1, 1), contacting=D(YEAR, 2, 1))

    steps = selectors.funnel(leader, YEAR)

    counts = [s["count"] for s in steps[:4]]
    assert counts == [3, 1, 1, 1], counts
    assert all(s["conversion"] is None or s["conversion"] <= 100 for s in steps)


def test_every_funnel_figure_links_to_the_leads_it_counts(pipeline, leader, client_for):
    client = client_for(leader)
    response = client.get("/leads/funnel/", {"year": YEAR, "month": 12})
    cells = re.findall(r'<td data-label="到达"[^>]*>(.*?)</td>', response.content.decode(), re.S)
    steps = response.context["steps"]
    assert len(cells) == len(steps)

    for step, inner in zip(steps, cells, strict=True):
        found = [h for h in links(inner) if h.startswith("/leads/")]
        assert found, f"the {step['stage']} count ({step['count']}) links nowhere"
        assert listed(client, found[0])[0] == step["count"], step["stage"]


# --- bounded queries ----------------------------------------------------------------------


def _grow(world, paper, digital, n):
    for i in range(n):
        team = (paper, digital, world.other_team)[i % 3]
        lead = signed(team, str(1000 + i), D(YEAR, 1 + i % 6, 10), contacting=D(YEAR, 1, 5))
        visit(team, D(YEAR, 1 + i % 6, 12))
        project_services.change_stage(None, lead.project, "started", on=D(YEAR, 7, 1))


@pytest.mark.parametrize(
    "url", ["/leads/leaderboard/?year=2025&month=7", "/leads/funnel/?year=2025&month=12"]
)
def test_the_pages_query_count_does_not_grow_with_more_leads(
    world, clock, paper, digital, client_for, django_assert_max_num_queries, url
):
    client = client_for(world.viewer)
    _grow(world, paper, digital, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    _grow(world, paper, digital, 24)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(few.captured_queries) <= 25
