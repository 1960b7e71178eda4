"""Each demo role's home page in Chromium at phone and desktop width: its cards are there,
nothing is wider than the screen, the phone's menu is a button labelled 菜单, and a
screenshot of each is written to var/screenshots/home-<role>-<width>.png for people to see."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from zonedesk.conftest import login

from .test_home_per_role import CARDS

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.mark.parametrize("username", list(CARDS))
def test_each_role_finds_its_work_on_its_home_at_375_and_1280_px(browser, live_server, username):
    call_command("demo", stdout=io.StringIO())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    expected, _link = CARDS[username]
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        login(page, live_server, username)
        for card in expected:
            assert page.locator(f"section#{card}").is_visible(), (username, width, card)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (username, width)
        menu = page.locator("details.menu summary")
        if width == 375:
            assert menu.is_visible() and "菜单" in menu.inner_text()
            assert not page.locator("nav.sidenav").is_visible()
        else:
            assert not menu.is_visible() and page.locator("nav.sidenav").is_visible()
        page.screenshot(path=str(SCREENSHOTS / f"home-{username}-{width}.png"), full_page=True)
        if width == 375:
            menu.click()
            nav = page.locator("details.menu nav")
            assert nav.is_visible() and "首页" in nav.inner_text()
            page.screenshot(path=str(SCREENSHOTS / f"menu-{username}-375.png"))
        context.close()
