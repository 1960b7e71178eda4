from django.core.management import call_command
from django.utils import timezone

from zonedesk.supervision import demo
from zonedesk.supervision.models import Blocker


def test_demo_blockers_load_once_with_some_overdue_and_some_resolved(db):
    call_command("demo", verbosity=0)
    demo.load()
    demo.load()
    assert Blocker.objects.count() == len(demo.BLOCKERS)
    statuses = set(Blocker.objects.values_list("status", flat=True))
    assert {"open", "answered", "resolved", "verified"} <= statuses
    assert Blocker.objects.filter(level="county").count() == 1
    overdue = Blocker.objects.filter(
        status__in=Blocker.OPEN_STATUSES, deadline__lt=timezone.localdate()
    )
    assert overdue.count() == 2
    assert Blocker.objects.get(title="专项债资金拨付未到位").on_time is False
