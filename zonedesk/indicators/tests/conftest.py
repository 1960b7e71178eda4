"""Fixtures for the indicator tests, on top of the shared `world` (zonedesk/conftest.py).

晋中市 gets a third county, 榆次区, so that ranks among the city's counties mean something; 寿阳县
gets a statistician (`tongji`) and a leader (`xianzhang`); the city's `viewer` is the world's.
`clock` pins today to TODAY (2025-08-15), so 2024's and 2025's first half are past periods.
"""

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from zonedesk.conftest import make_user
from zonedesk.indicators import demo
from zonedesk.indicators.models import Indicator
from zonedesk.orgs import services
from zonedesk.orgs.models import Role
from zonedesk.orgs.services import create_token


@pytest.fixture
def iw(world, clock):
    w = world
    w.third_county = services.create_org(None, parent=w.city, kind="county", name="榆次区")
    w.statistician = make_user("tongji", w.county, Role.Name.STATISTICIAN)
    w.county_leader = make_user("xianzhang", w.county, Role.Name.LEADER)
    w.other_statistician = make_user("taigutongji", w.other_county, Role.Name.STATISTICIAN)
    w.ind = {i.code: i for i in Indicator.objects.all()}
    return w


@pytest.fixture
def corpus(iw):
    """Corpus 002's first half of 2024 for 晋中市's three counties (indicators/demo.py)."""
    demo.enter(
        {
            "寿阳县": iw.county,
            "太谷区": iw.other_county,
            "榆次区": iw.third_county,
            "晋中市": iw.city,
        }
    )
    return iw


def api_client(user):
    _token, secret = create_token(user, "测试")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    client.raise_request_exception = False
    return client


def read_xlsx(content):
    """The rows of the first sheet of an xlsx file, read back with python-calamine."""
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
