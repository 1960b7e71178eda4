import datetime

import pytest

from zonedesk.catalog.models import CalendarDay, CalendarYear
from zonedesk.conftest import make_user
from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Role
from zonedesk.supervision import services


@pytest.fixture
def sup(world):
    """The world plus a second unit of zone A with its own user, and leaders at the zone,
    the county and the city for escalation."""
    w = world
    w.unit2 = orgs.create_unit(None, org=w.zone, name="自然资源所")
    w.unit2_user = make_user("unit2user", w.zone, Role.Name.UNIT, unit=w.unit2)
    w.leader = make_user("zoneleader", w.zone, Role.Name.LEADER)
    w.county_leader = make_user("countyleader", w.county, Role.Name.LEADER)
    w.city_leader = make_user("cityleader", w.city, Role.Name.LEADER)
    w.other_unit_user = make_user("otherunit", w.other_zone, Role.Name.UNIT, unit=w.other_unit)
    return w


def raise_one(w, title, *, unit=None, actor=None, deadline=5, **extra):
    """A blocker in zone A raised by the officer (or `actor`) for `unit` (the first unit)."""
    return services.raise_blocker(
        actor or w.member,
        org=w.zone,
        title=title,
        description=extra.pop("description", ""),
        unit=unit or w.unit,
        leader=extra.pop("leader", None),
        deadline=deadline,
        **extra,
    )


@pytest.fixture
def blocker(sup):
    return raise_one(
        sup,
        "用地指标未落实",
        description="二期厂房用地指标需县里协调",
        leader=sup.leader,
        deadline=datetime.date.today() + datetime.timedelta(days=10),
    )


@pytest.fixture
def theirs(sup):
    """A blocker of the second unit, which the first unit's staff must never see."""
    return raise_one(sup, "环评批复滞后", unit=sup.unit2)


@pytest.fixture
def calendar_2026(db):
    """The State Council schedule around National Day 2026: 10-01..10-07 off (the weekdays
    among them stored), Sunday 09-20 and Saturday 10-10 adjusted workdays."""
    CalendarYear.objects.update_or_create(
        year=2026, defaults={"published": True, "source": "manual"}
    )
    for day in (1, 2, 5, 6, 7):
        CalendarDay.objects.update_or_create(
            date=datetime.date(2026, 10, day), defaults={"is_workday": False}
        )
    for d in (datetime.date(2026, 9, 20), datetime.date(2026, 10, 10)):
        CalendarDay.objects.update_or_create(date=d, defaults={"is_workday": True})
