"""Shared test world, in the spirit of healthchecks' hc/test.py.

Two zones under one province: zone A (寿阳) where `owner` administers and `member` is a
project officer, and zone B (太谷) whose admin is the `outsider`. Built through the
services, so the fixtures exercise the same code the pages do.
"""

import datetime
import os
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from zonedesk.catalog.validators import make_uscc
from zonedesk.enterprises.services import create_enterprise
from zonedesk.orgs import services
from zonedesk.orgs.models import Role, Team

PASSWORD = "Zonedesk@2026"

# The same examples on every run, and no per-example deadline: a red CI run must mean a bug,
# not an unlucky draw or a busy machine. `HYPOTHESIS_PROFILE=explore` (a nightly run) draws
# fresh examples, and more of them, to find what the fixed ones miss.
hypothesis_settings.register_profile("zonedesk", derandomize=True, deadline=None)
hypothesis_settings.register_profile("explore", max_examples=500, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "zonedesk"))

# "Today" for every test that takes `clock`: a Friday in mid-August, when July's reports are
# due (5 August) so "late" is meaningful. A folder whose tests need another day overrides
# `clock` and sets `clock.today`.
TODAY = datetime.date(2025, 8, 15)
_real_localdate = timezone.localdate


def make_user(username, org, role, **extra):
    return services.create_user(
        None,
        username=username,
        name=username.title(),
        password=PASSWORD,
        org=org,
        role=role,
        **extra,
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every `world` creates several users; PBKDF2 would make each test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Each test its own empty cache in memory: a list remembered from one test's database
    (common.cache) must not meet another test's rows under the same keys, nor another
    test process's (they would share the var directory's cache)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


class Clock:
    """Stands in for `django.utils.timezone.localdate`, the only "today" the services,
    selectors and views use; set `.today` to move time."""

    def __init__(self, today):
        self.today = today

    def __call__(self, value=None, timezone=None):
        if value is not None:
            return _real_localdate(value, timezone)
        return self.today


@pytest.fixture
def clock(monkeypatch):
    c = Clock(TODAY)
    monkeypatch.setattr(timezone, "localdate", c)
    return c


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.province = services.create_org(
        None, parent=None, kind="province", name="山西省", code="140000"
    )
    w.city = services.create_org(None, parent=w.province, kind="city", name="晋中市", code="140700")
    w.county = services.create_org(None, parent=w.city, kind="county", name="寿阳县", code="140725")
    w.zone = services.create_org(
        None, parent=w.county, kind="zone", name="寿阳经济技术开发区", code="140725"
    )
    w.park = services.create_org(None, parent=w.zone, kind="park", name="造纸产业园")
    w.other_county = services.create_org(
        None, parent=w.city, kind="county", name="太谷区", code="140703"
    )
    w.other_zone = services.create_org(
        None, parent=w.other_county, kind="zone", name="太谷经济技术开发区"
    )

    w.unit = services.create_unit(None, org=w.zone, name="企业服务中心")
    w.other_unit = services.create_unit(None, org=w.other_zone, name="招商局")
    w.enterprise = create_enterprise(
        None, org=w.zone, name="山西强伟纸业有限公司", uscc=make_uscc("强伟", "140725")
    )
    w.other_enterprise = create_enterprise(
        None, org=w.other_zone, name="山西亮拓精密铸造有限公司", uscc=make_uscc("亮拓", "140703")
    )

    w.owner = make_user("owner", w.zone, Role.Name.ADMIN)
    w.member = make_user("member", w.zone, Role.Name.OFFICER)
    w.outsider = make_user("outsider", w.other_zone, Role.Name.ADMIN)
    w.unit_user = make_user("unituser", w.zone, Role.Name.UNIT, unit=w.unit)
    w.enterprise_user = make_user("qiangwei", w.zone, Role.Name.ENTERPRISE, enterprise=w.enterprise)
    w.viewer = make_user("viewer", w.city, Role.Name.VIEWER)

    w.team = services.create_team(
        None, org=w.zone, kind=Team.Kind.TASK_FORCE, name="强伟项目专班", members=[w.member]
    )
    w.other_team = services.create_team(
        None, org=w.other_zone, kind=Team.Kind.INVESTMENT, name="精密制造招商战队"
    )
    return w


@pytest.fixture
def client_for():
    """A logged-in test client for a user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; CI sets ZONEDESK_REQUIRE_BROWSER=1 so a
    missing browser fails the run instead of skipping the tests."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if os.environ.get("ZONEDESK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required for the browser tests")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    """A page the size of a 375-px-wide phone."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


def login(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
