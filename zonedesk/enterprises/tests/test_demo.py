"""The demo data: loads after the demo command, twice without duplicates, and shows what the
registry is for — designations up for renewal and funds by chain."""

import datetime
from decimal import Decimal

from django.core.management import call_command

from zonedesk.enterprises import demo, selectors
from zonedesk.enterprises.models import Contact, Designation, Enterprise, SupportFund
from zonedesk.orgs.models import User


def test_the_demo_loads_twice_with_designations_expiring_and_funds_by_chain(db):
    call_command("demo", stdout=open("/dev/null", "w"))
    today = datetime.date(2026, 11, 22)
    demo.load(today=today)
    counts = (Contact.objects.count(), Designation.objects.count(), SupportFund.objects.count())
    demo.load(today=today)
    assert (Contact.objects.count(), Designation.objects.count(), SupportFund.objects.count()) == (
        counts
    )

    qiangwei = Enterprise.objects.get(short_name="强伟纸业")
    assert (qiangwei.chain, qiangwei.park.name) == ("造纸", "造纸产业园")
    soon = selectors.expiring(Designation.objects.all(), today)
    assert soon.count() >= 2
    assert all(today <= d.expires_on <= today + datetime.timedelta(days=90) for d in soon)

    admin = User.objects.get(username="admin")
    t = selectors.fund_totals(selectors.funds_for(admin))
    by_chain = {r["label"]: r["total"] for r in t["by_chain"]}
    assert by_chain["造纸"] == Decimal("2050.00")
    assert t["total"] == sum(by_chain.values())
