from django.core.management import call_command

from zonedesk.meetings import demo
from zonedesk.meetings.models import AgendaItem, Meeting
from zonedesk.supervision import demo as supervision_demo


def test_demo_meetings_load_once_on_the_demo_data(db):
    call_command("demo", verbosity=0)
    supervision_demo.load()
    demo.load()
    demo.load()
    held, draft = Meeting.objects.order_by("held_at")
    assert (held.status, draft.status) == ("held", "draft")
    assert held.minutes and held.decisions.count() == len(demo.DECISIONS)
    assert held.decisions.filter(blocker__isnull=False).count() == 2
    # the demo's plans and blockers put red projects and overdue blockers on the agenda
    kinds = set(draft.agenda.values_list("kind", flat=True))
    assert {AgendaItem.Kind.OVERDUE_BLOCKER} <= kinds
    assert kinds & {AgendaItem.Kind.RED_PROJECT, AgendaItem.Kind.YELLOW_PROJECT}
