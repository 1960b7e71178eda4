"""Fixtures for the indicator tests, on top of the shared `world` (zonedesk/conftest.py).

晋中市 gets a third county, 榆次区, so that ranks among the city's counties mean something; 寿阳县
gets a statistician (`tongji`) and a leader (`xianzhang`); the city's `viewer` is the world's.
`clock` pins today to TODAY (2025-08-15), so 2024's and 2025's first half are past periods.
"""

import pytest

from zonedesk.conftest import make_user
from zonedesk.indicators.models import Indicator
from zonedesk.orgs import services
from zonedesk.orgs.models import Role


@pytest.fixture
def iw(world, clock):
    w = world
    w.third_county = services.create_org(None, parent=w.city, kind="county", name="榆次区")
    w.statistician = make_user("tongji", w.county, Role.Name.STATISTICIAN)
    w.county_leader = make_user("xianzhang", w.county, Role.Name.LEADER)
    w.other_statistician = make_user("taigutongji", w.other_county, Role.Name.STATISTICIAN)
    w.ind = {i.code: i for i in Indicator.objects.all()}
    return w
