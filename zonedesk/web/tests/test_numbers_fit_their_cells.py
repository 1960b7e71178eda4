"""In real Chromium at 375 and 1280 px, on the pages full of figures, no number is wider than
its cell or card and no page scrolls sideways; the screenshots go to var/screenshots/."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from zonedesk.conftest import login
from zonedesk.demo.management.commands.demo import PASSWORD

pytestmark = pytest.mark.browser

PAGES = [
    ("leader", "/projects/cockpit/"),
    ("leader", "/projects/"),
    ("leader", "/leads/leaderboard/"),
    ("leader", "/enterprises/funds/"),
    ("leader", "/supervision/"),
    ("leader", "/appeals/report/"),
    ("viewer", "/projects/cockpit/"),
]
# A figure's box: table cells of numbers, the cards' big figures, the bars' values.
OVERFLOWING = """() => [...document.querySelectorAll('.num, .kpi span, .bar-value')]
  .filter(e => e.scrollWidth > e.clientWidth + 1
            || e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => e.textContent.trim())"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1280])
def test_no_figure_is_wider_than_its_cell(browser, live_server, width):
    call_command("demo", stdout=io.StringIO())
    out = Path(__file__).resolve().parents[3] / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    current, problems = None, []
    for username, path in PAGES:
        if username != current:
            page.context.clear_cookies()
            login(page, live_server, username, PASSWORD)
            current = username
        page.goto(f"{live_server.url}{path}")
        name = f"figures-{username}-{path.strip('/').replace('/', '-')}-{width}.png"
        page.screenshot(path=str(out / name), full_page=True)
        if page.locator(".num, .kpi span").count() == 0:
            problems.append(f"{path}: no figures to check")
        if wide := page.evaluate(OVERFLOWING):
            problems.append(f"{path}: {wide[:5]}")
        if (scroll := page.evaluate("document.documentElement.scrollWidth")) > width:
            problems.append(f"{path}: the page is {scroll}px wide")
    context.close()
    assert problems == []
