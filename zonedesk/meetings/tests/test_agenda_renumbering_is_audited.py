"""Moving an agenda item renumbers the items around it; each item whose place changes gets an
`agenda.renumber` event saying from where to where, and keeps its version."""

import pytest
from django.core.exceptions import PermissionDenied

from zonedesk.meetings import services
from zonedesk.meetings.tests.conftest import events, fresh, weekly


def orders(meeting):
    return dict(meeting.agenda.values_list("pk", "order"))


def renumbered(item):
    return [e.changes for e in events("agenda.renumber", item)]


def test_the_neighbour_swapped_with_the_moved_item_gets_an_event(world, agenda_data, leader):
    m = weekly(world)
    first, second = m.agenda.order_by("order")[:2]
    services.move_agenda_item(leader, second, up=True)
    assert renumbered(first) == [{"order": [1, 2]}]
    assert renumbered(second) == []  # the moved item's own event is agenda.move
    assert [e.changes["order"] for e in events("agenda.move", second)] == [[2, 1]]
    assert fresh(first).version == first.version
    [event] = events("agenda.renumber")
    assert (event.actor, event.org) == (leader, world.zone)


def test_closing_the_gap_of_a_removed_item_records_every_item_that_moved(
    world, agenda_data, leader
):
    m = weekly(world)
    items = list(m.agenda.order_by("order"))
    assert len(items) >= 5
    services.remove_agenda_item(leader, items[0])
    before = orders(m)
    services.move_agenda_item(leader, fresh(items[2]), up=True)
    after = orders(m)
    assert after[items[2].pk] == 1 and after[items[1].pk] == 2  # swapped, gap closed
    for item in items[1:]:
        if item.pk == items[2].pk:
            continue
        expected = [] if before[item.pk] == after[item.pk] else [[before[item.pk], after[item.pk]]]
        assert [c["order"] for c in renumbered(item)] == expected, item.title
    assert len(events("agenda.renumber")) == len(items) - 3  # all but the removed, 2nd, 3rd


def test_a_reader_moving_an_item_renumbers_nothing(world, agenda_data, leader):
    m = weekly(world)
    services.remove_agenda_item(leader, m.agenda.order_by("order").first())
    before = orders(m)
    second = m.agenda.filter(removed=False).order_by("order")[1]
    with pytest.raises(PermissionDenied):
        services.move_agenda_item(world.viewer, second, up=True)
    assert orders(m) == before
    assert events("agenda.renumber") == [] and events("agenda.move") == []
