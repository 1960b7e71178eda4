"""The funnel drawn as a funnel, each step a link to the leads it counts, and 招商大比拼 at
375 px: the totals row a card like the rows, nothing wider than the phone."""

import html
import re

import pytest

from zonedesk.conftest import login

from .conftest import YEAR
from .test_leaderboard_and_funnel import listed, pipeline, seed  # noqa: F401  (fixtures)

PHONE_WIDTH = 375


def funnel_page(client):
    response = client.get("/leads/funnel/", {"year": YEAR, "month": 12})
    assert response.status_code == 200
    return response.content.decode()


def test_the_funnel_is_drawn_with_every_step_a_link_to_its_leads(
    pipeline,
    leader,
    client_for,
    django_assert_max_num_queries,
):
    client = client_for(leader)
    with django_assert_max_num_queries(10):
        page = funnel_page(client)
    svg = page[page.index('<svg class="chart"') : page.index("</svg>")]
    steps = re.findall(r'<a href="([^"]+)"><title>([^<]+)</title><polygon', svg)
    assert [title for _url, title in steps] == [
        "线索：4 条",
        "接洽：3 条",
        "在谈：2 条",
        "签约：1 条",
        "开工：1 条",
    ]
    for url, title in steps:
        count = int(re.search(r"：(\d+)", title).group(1))
        assert listed(client, html.unescape(url))[0] == count, title
    assert "转化率 75.0%" in svg
    # Each step narrower than the one before, as many leads fall away.
    widths = [
        float(b) - float(a)
        for a, b in re.findall(r'<polygon points="([\d.]+),\d+ ([\d.]+),\d+', svg)
    ]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]


@pytest.mark.parametrize("who,status", [("leader", 200), ("enterprise_user", 403)])
def test_the_funnel_page_is_for_readers_of_leads(pipeline, world, leader, client_for, who, status):
    user = leader if who == "leader" else getattr(world, who)
    assert client_for(user).get("/leads/funnel/").status_code == status


def test_the_funnel_of_another_zone_counts_its_own_leads(pipeline, world, client_for):
    page = funnel_page(client_for(world.outsider))
    assert "线索：1 条" in page and "接洽：0 条" in page


def test_the_leaderboards_totals_cells_are_labelled_for_phones(seed, leader, client_for):
    foot = client_for(leader).get("/leads/leaderboard/").content.decode().split("<tfoot>")[1]
    for label in ("签约金额（万元）", "金额完成率", "签约项目", "个数完成率", "推进线索"):
        assert f'data-label="{label}"' in foot


@pytest.mark.browser
def test_the_leaderboard_fits_a_phone(seed, leader, phone, live_server):
    login(phone, live_server, leader.username)
    phone.goto(f"{live_server.url}/leads/leaderboard/")
    phone.locator("tfoot").wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the leaderboard is {width}px wide"
    assert "106.44%" in phone.locator("tfoot").inner_text()
