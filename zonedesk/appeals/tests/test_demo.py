"""The demo appeals load on top of the demo command's data, in every state, once."""

from django.core.management import call_command

from zonedesk.appeals import demo, selectors, tasks
from zonedesk.appeals.models import Appeal
from zonedesk.orgs.models import User


def test_demo_appeals_load_once_in_every_state(db):
    call_command("demo", verbosity=0)
    demo.load()
    demo.load()
    appeals = Appeal.objects.all()
    assert appeals.count() == 13
    assert set(appeals.values_list("status", flat=True)) == set(Appeal.Status.values)
    assert appeals.filter(channel="meeting").count() == 3
    assert appeals.filter(reopened=1).count() == 1
    tasks.overdue_sweep()
    assert appeals.filter(level__gt=0).exists()
    enterprise = User.objects.get(username="enterprise")
    assert selectors.appeals_for(enterprise).count() == 3
    assert selectors.appeals_for(User.objects.get(username="unit")).count() >= 1
