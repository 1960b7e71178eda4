"""The weekly meeting's agenda builds itself from the zone's real data, people edit it before
the meeting, and a rebuild keeps what they did while adding what is new."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.meetings import services
from zonedesk.meetings.models import AgendaItem, Meeting
from zonedesk.meetings.tests.conftest import (
    ACTIVE_LEAD,
    GREEN,
    IDLE,
    LATE,
    NOT_DUE,
    OTHER_RED,
    OVERDUE,
    RED,
    YELLOW,
    events,
    file,
    fresh,
    project,
    weekly,
)

K = AgendaItem.Kind


def agenda(meeting):
    return [(i.kind, i.title) for i in meeting.agenda.filter(removed=False).order_by("order")]


def titles(meeting, kind=None):
    qs = meeting.agenda.filter(removed=False)
    if kind:
        qs = qs.filter(kind=kind)
    return [i.title for i in qs.order_by("order")]


def test_weekly_agenda_lists_red_and_yellow_projects_but_not_green(world, agenda_data):
    m = weekly(world)
    assert titles(m, K.RED_PROJECT) == [RED]
    assert titles(m, K.YELLOW_PROJECT) == [YELLOW]
    assert all(GREEN not in t for t in titles(m))
    red = m.agenda.get(kind=K.RED_PROJECT)
    assert red.project == agenda_data.red
    assert "完成率10.00%" in red.facts and "时序进度58.33%" in red.facts


def test_weekly_agenda_reads_the_figures_of_last_month(world, agenda_data):
    m = weekly(world)
    assert m.period == datetime.date(2025, 7, 1)


def test_overdue_blocker_appears_but_not_one_still_within_its_deadline(world, agenda_data):
    m = weekly(world)
    assert titles(m, K.OVERDUE_BLOCKER) == [OVERDUE]
    item = m.agenda.get(kind=K.OVERDUE_BLOCKER)
    assert item.blocker == agenda_data.overdue
    assert item.project == agenda_data.red
    assert "已逾期7天" in item.facts
    assert NOT_DUE not in titles(m)


def test_late_report_appears_with_its_deadline(world, agenda_data):
    m = weekly(world)
    assert LATE in titles(m, K.LATE_REPORT)
    item = m.agenda.get(kind=K.LATE_REPORT, project=agenda_data.late)
    assert item.facts == "2025-07月报未填报（截止2025-08-05）"


def test_report_filed_after_its_deadline_is_listed_as_late(world, agenda_data):
    file(agenda_data.late, 7, "10", on=datetime.date(2025, 8, 12))
    item = weekly(world).agenda.get(kind=K.LATE_REPORT, project=agenda_data.late)
    assert "逾期填报" in item.facts


def test_missing_report_is_not_late_before_its_deadline(world, agenda_data, clock):
    clock.today = datetime.date(2025, 8, 4)
    m = weekly(world)
    assert titles(m, K.LATE_REPORT) == []


def test_approval_past_its_committed_working_days_appears(world, agenda_data):
    m = weekly(world)
    item = m.agenda.get(kind=K.STALLED_APPROVAL)
    assert item.approval == agenda_data.step
    assert item.project == agenda_data.late
    assert "时限2025-07-08" in item.facts
    # the green project's 环评 started on 11 August has 20 working days: not stalled
    assert m.agenda.filter(kind=K.STALLED_APPROVAL).count() == 1


def test_approval_within_its_working_days_is_not_listed(world, agenda_data, clock):
    clock.today = datetime.date(2025, 7, 8)
    m = weekly(world)
    assert titles(m, K.STALLED_APPROVAL) == []


def test_lead_without_visit_or_stage_change_for_a_month_appears(world, agenda_data):
    m = weekly(world)
    assert titles(m, K.IDLE_LEAD) == [IDLE]
    assert ACTIVE_LEAD not in titles(m)


def test_other_zones_data_stays_off_the_agenda(world, agenda_data):
    assert OTHER_RED not in titles(weekly(world))


def test_agenda_kinds_come_in_a_fixed_order(world, agenda_data):
    kinds = [k for k, _t in agenda(weekly(world))]
    order = [k for k, _l in K.choices]
    assert kinds == sorted(kinds, key=order.index)


def test_daily_meeting_starts_without_agenda(world, agenda_data):
    m = weekly(world, kind="daily", title="日碰头")
    assert m.agenda.count() == 0
    assert m.period is None


def test_monthly_meeting_builds_for_the_month_it_is_given(world, agenda_data):
    m = weekly(world, kind="monthly", title="3月汇总", period=datetime.date(2025, 3, 1))
    # by March 100 of 1000 is 10% against 25%: yellow, no longer red
    assert RED in titles(m, K.YELLOW_PROJECT)


def test_creating_a_meeting_writes_one_event_with_the_agenda(world, agenda_data, leader):
    m = weekly(world, actor=leader)
    [event] = events("meeting.create", m)
    assert event.actor == leader
    assert RED in event.changes["agenda"][1]
    assert m.created_by == leader


def test_unit_user_cannot_create_a_meeting(world, agenda_data):
    with pytest.raises(PermissionDenied):
        weekly(world, actor=world.unit_user)
    with pytest.raises(PermissionDenied):
        weekly(world, actor=world.outsider)
    assert not Meeting.objects.exists()


def test_meeting_needs_a_title(world, clock):
    with pytest.raises(ValidationError) as e:
        weekly(world, title="  ")
    assert "title" in e.value.message_dict


def test_rebuild_keeps_edits_and_adds_new_items(world, agenda_data, leader):
    m = weekly(world, actor=leader)
    red = m.agenda.get(kind=K.RED_PROJECT)
    services.note_agenda_item(leader, red, note="请包联领导现场调度")
    yellow = m.agenda.get(kind=K.YELLOW_PROJECT)
    services.remove_agenda_item(leader, yellow)
    free = services.add_agenda_item(leader, m, title="防汛安全检查")
    idle = m.agenda.get(kind=K.IDLE_LEAD)
    # new since the build: another red project; gone: the idle lead was visited
    new_red = project(world.zone, "新增红色项目", plan="1000", invested="50")
    from zonedesk.leads import services as leads

    leads.add_visit(
        None,
        org=world.zone,
        team=agenda_data.team,
        lead=agenda_data.idle,
        kind="call",
        date=datetime.date(2025, 8, 14),
        place="太原",
        participants="招商局",
    )
    added, dropped = services.rebuild_agenda(leader, m)
    assert added == [new_red.name, new_red.name]  # red, and its July report is missing
    assert dropped == [IDLE]
    assert fresh(red).note == "请包联领导现场调度"
    assert fresh(yellow).removed is True
    assert fresh(free).title == "防汛安全检查"
    assert not AgendaItem.objects.filter(pk=idle.pk).exists()
    assert titles(m, K.YELLOW_PROJECT) == []
    [event] = events("meeting.agenda_rebuild", m)
    assert event.changes["dropped"] == [[IDLE], None]


def test_rebuild_twice_adds_nothing(world, agenda_data, leader):
    m = weekly(world)
    before = agenda(m)
    assert services.rebuild_agenda(leader, m) == ([], [])
    assert agenda(m) == before


def test_edited_item_stays_when_its_cause_is_gone(world, agenda_data, leader):
    m = weekly(world)
    item = m.agenda.get(kind=K.IDLE_LEAD)
    services.note_agenda_item(leader, item, note="战队说明情况")
    services.remove_agenda_item(leader, m.agenda.get(kind=K.RED_PROJECT))
    from zonedesk.leads import services as leads

    leads.advance(None, agenda_data.idle, "contacting", on=datetime.date(2025, 8, 14))
    services.rebuild_agenda(leader, m)
    assert fresh(item).note == "战队说明情况"
    red = m.agenda.get(source=f"project:{agenda_data.red.pk}")
    assert red.removed is True  # removed stays removed, not added again


def test_items_reorder_up_and_down(world, agenda_data, leader):
    m = weekly(world)
    first, second = m.agenda.order_by("order")[:2]
    services.move_agenda_item(leader, second, up=True)
    assert [i.pk for i in m.agenda.order_by("order")[:2]] == [second.pk, first.pk]
    services.move_agenda_item(leader, fresh(second), up=False)
    assert [i.pk for i in m.agenda.order_by("order")[:2]] == [first.pk, second.pk]
    assert len(events("agenda.move")) == 2


def test_agenda_is_frozen_once_the_meeting_is_held(world, agenda_data, leader):
    m = weekly(world)
    services.mark_held(leader, m)
    with pytest.raises(ValidationError):
        services.add_agenda_item(leader, fresh(m), title="临时议题")
    with pytest.raises(ValidationError):
        services.rebuild_agenda(leader, fresh(m))


def test_stale_note_is_refused(world, agenda_data, leader):
    from zonedesk.audit.services import Conflict

    m = weekly(world)
    item = m.agenda.get(kind=K.RED_PROJECT)
    services.note_agenda_item(leader, fresh(item), note="第一次")
    with pytest.raises(Conflict):
        services.note_agenda_item(leader, item, note="第二次", expected_version=item.version)
