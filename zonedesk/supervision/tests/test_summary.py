import datetime
from decimal import Decimal

from zonedesk.supervision import selectors
from zonedesk.supervision.models import Blocker
from zonedesk.supervision.tests.conftest import raise_one

D = datetime.date


def make(sup, unit, raised, deadline, resolved=None):
    b = raise_one(sup, "问题", unit=unit, deadline=30)
    data = {"raised_on": raised, "deadline": deadline}
    if resolved:
        data |= {
            "status": Blocker.Status.RESOLVED,
            "resolved_on": resolved,
            "on_time": resolved <= deadline,
        }
    Blocker.objects.filter(pk=b.pk).update(**data)
    return b


def test_blocker_summary_counts_the_period_in_scope(sup):
    make(sup, sup.unit, D(2026, 3, 2), D(2026, 3, 10), resolved=D(2026, 3, 9))  # on time
    make(sup, sup.unit, D(2026, 3, 2), D(2026, 3, 10), resolved=D(2026, 4, 2))  # late, April
    make(sup, sup.unit2, D(2026, 3, 20), D(2026, 4, 10))  # open, not yet due at end of March
    make(sup, sup.unit2, D(2026, 2, 20), D(2026, 3, 5))  # open and overdue
    s = selectors.blocker_summary(sup.member, D(2026, 3, 1), D(2026, 3, 31))
    assert s == {"opened": 3, "closed": 1, "closed_on_time": 1, "open_overdue": 2}
    assert selectors.blocker_summary(sup.outsider, D(2026, 3, 1), D(2026, 3, 31)) == {
        "opened": 0,
        "closed": 0,
        "closed_on_time": 0,
        "open_overdue": 0,
    }
    mine = selectors.blocker_summary(sup.unit2_user, D(2026, 3, 1), D(2026, 3, 31))
    assert mine == {"opened": 1, "closed": 0, "closed_on_time": 0, "open_overdue": 1}


def test_on_time_rate_rounds_half_up_to_one_place(sup):
    # 2 of 3 on time is 66.666…% → 66.7%; 1 of 8 is 12.5% exactly; 1 of 16 is 6.25% → 6.3%.
    for i in range(3):
        make(sup, sup.unit, D(2026, 3, 2), D(2026, 3, 10), resolved=D(2026, 3, 9 + i // 2 * 9))
    for i in range(16):
        make(
            sup, sup.unit2, D(2026, 3, 2), D(2026, 3, 10), resolved=D(2026, 3, 9 if i == 0 else 20)
        )
    rows, total = selectors.by_unit(selectors.blockers_for(sup.member), today=D(2026, 4, 1))
    rates = {r["unit__name"]: r["rate"] for r in rows}
    assert rates == {"企业服务中心": Decimal("66.7"), "自然资源所": Decimal("6.3")}
    assert total["resolved"] == 19 and total["on_time"] == 3
    assert total["rate"] == Decimal("15.8")  # 3/19 = 15.789…


def test_by_unit_without_resolutions_has_no_rate(sup, blocker):
    rows, total = selectors.by_unit(selectors.blockers_for(sup.member))
    assert total["open"] == 1
    assert rows[0]["open"] == 1 and rows[0]["rate"] is None
