"""Minutes, decisions, and a decision turned into a blocker (转为督办) in one step; the meeting's
lifecycle 待召开 → 已召开 → 已归档, each step audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.services import Conflict
from zonedesk.meetings import services
from zonedesk.meetings.models import AgendaItem, Meeting
from zonedesk.meetings.tests.conftest import RED, events, fresh, weekly
from zonedesk.supervision.models import Blocker

K = AgendaItem.Kind


@pytest.fixture
def meeting(world, agenda_data, leader):
    m = weekly(world, actor=leader, chair=leader)
    return m


def test_minutes_are_recorded_with_an_event(meeting, leader):
    services.record_minutes(leader, meeting, minutes="一、听取红色预警项目汇报。")
    assert fresh(meeting).minutes == "一、听取红色预警项目汇报。"
    [event] = events("meeting.minutes", meeting)
    assert event.changes["minutes"] == ["", "一、听取红色预警项目汇报。"]


def test_stale_minutes_are_refused(meeting, leader):
    services.record_minutes(leader, fresh(meeting), minutes="甲记录")
    with pytest.raises(Conflict) as c:
        services.record_minutes(leader, meeting, minutes="乙记录", expected_version=1)
    assert c.value.changes["minutes"] == ("乙记录", "甲记录")
    assert fresh(meeting).minutes == "甲记录"


def test_decision_becomes_a_blocker_in_one_step(world, meeting, leader):
    item = meeting.agenda.get(kind=K.RED_PROJECT)
    decision = services.add_decision(
        leader, meeting, text="协调电力公司完成线路迁改", agenda_item=item
    )
    blocker = services.decision_to_blocker(
        leader, decision, unit=world.unit, deadline=datetime.date(2025, 8, 29)
    )
    blocker = Blocker.objects.get(pk=blocker.pk)
    decision = fresh(decision)
    assert decision.blocker == blocker
    assert blocker.unit == world.unit
    assert blocker.deadline == datetime.date(2025, 8, 29)
    assert blocker.project.name == RED
    assert blocker.title == "协调电力公司完成线路迁改"
    assert meeting.title in blocker.source_note
    assert blocker.leader == leader  # the chair, the project having no 包联领导
    assert decision.unit == world.unit and decision.deadline == blocker.deadline
    assert [e.action for e in events(obj=blocker)] == ["blocker.raise"]
    [event] = events("decision.blocker", decision)
    assert event.actor == leader


def test_deadline_in_working_days_follows_the_calendar(world, meeting, leader):
    decision = services.add_decision(leader, meeting, text="完成用地报批")
    blocker = services.decision_to_blocker(leader, decision, unit=world.unit, working_days=5)
    # Friday 15 August 2025 + 5 working days = Friday 22 August
    assert blocker.deadline == datetime.date(2025, 8, 22)


def test_a_decision_becomes_only_one_blocker(world, meeting, leader):
    decision = services.add_decision(leader, meeting, text="完成用地报批")
    services.decision_to_blocker(leader, decision, unit=world.unit, working_days=5)
    with pytest.raises(ValidationError) as e:
        services.decision_to_blocker(leader, fresh(decision), unit=world.unit, working_days=5)
    assert "blocker" in e.value.message_dict
    assert Blocker.objects.filter(title="完成用地报批").count() == 1


def test_blocker_needs_a_unit_and_a_deadline_and_nothing_is_half_written(world, meeting, leader):
    decision = services.add_decision(leader, meeting, text="完成用地报批")
    with pytest.raises(ValidationError) as e:
        services.decision_to_blocker(leader, decision, unit=None, working_days=5)
    assert "unit" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.decision_to_blocker(leader, decision, unit=world.unit)
    assert "deadline" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.decision_to_blocker(leader, decision, unit=world.other_unit, working_days=5)
    assert fresh(decision).blocker is None
    assert not Blocker.objects.filter(title="完成用地报批").exists()


def test_decision_needs_text_and_a_unit_of_the_zone(world, meeting, leader):
    with pytest.raises(ValidationError) as e:
        services.add_decision(leader, meeting, text=" ")
    assert "text" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.add_decision(leader, meeting, text="x", unit=world.other_unit)
    assert "unit" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.add_decision(leader, meeting, text="x", deadline=datetime.date(2025, 8, 1))
    assert "deadline" in e.value.message_dict


def test_unit_user_and_other_zone_cannot_take_decisions(world, meeting):
    for user in (world.unit_user, world.outsider, world.viewer):
        with pytest.raises(PermissionDenied):
            services.add_decision(user, meeting, text="越权")
        with pytest.raises(PermissionDenied):
            services.record_minutes(user, meeting, minutes="越权")


def test_officer_may_edit_the_meeting(world, meeting):
    services.record_minutes(world.member, meeting, minutes="专员记录")
    assert fresh(meeting).minutes == "专员记录"


def test_lifecycle_draft_held_closed(meeting, leader):
    services.mark_held(leader, meeting)
    with pytest.raises(ValidationError) as e:
        services.close_meeting(leader, fresh(meeting))
    assert "minutes" in e.value.message_dict
    services.record_minutes(leader, fresh(meeting), minutes="纪要")
    services.close_meeting(leader, fresh(meeting))
    m = fresh(meeting)
    assert m.status == Meeting.Status.CLOSED
    assert [e.changes["status"] for e in events(obj=m) if "status" in e.changes] == [
        ["draft", "held"],
        ["held", "closed"],
    ]
    with pytest.raises(ValidationError):
        services.record_minutes(leader, m, minutes="改")
    with pytest.raises(ValidationError):
        services.add_decision(leader, m, text="改")
    with pytest.raises(ValidationError):
        services.mark_held(leader, m)


def test_update_meeting_changes_its_fields(world, meeting, leader):
    services.update_meeting(leader, meeting, {"place": "二楼会议室"}, expected_version=1)
    assert fresh(meeting).place == "二楼会议室"
    [event] = events("meeting.update", meeting)
    assert event.changes == {"place": ["管委会三楼会议室", "二楼会议室"]}
