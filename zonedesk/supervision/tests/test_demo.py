from django.core.management import call_command
from django.utils import timezone

from zonedesk.supervision import demo
from zonedesk.supervision.models import Blocker


def test_demo_blockers_load_once_with_some_overdue_and_some_resolved(db):
    call_command("demo", verbosity=0)
    demo.load()  # the demo command has loaded it once already; a second run adds nothing
    mine = Blocker.objects.filter(title__in=[row[1] for row in demo.BLOCKERS])
    assert mine.count() == len(demo.BLOCKERS)
    statuses = set(mine.values_list("status", flat=True))
    assert {"open", "answered", "resolved", "verified"} <= statuses
    assert mine.filter(level="county").count() == 1
    overdue = mine.filter(status__in=Blocker.OPEN_STATUSES, deadline__lt=timezone.localdate())
    assert overdue.count() == 2
    assert Blocker.objects.get(title="专项债资金拨付未到位").on_time is False
