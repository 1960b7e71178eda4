"""Approval steps (审批事项: 立项备案, 用地, 环评 …) through their services.

Each refusal names its field in Chinese and writes nothing; each change is one audit event.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.services import Conflict
from zonedesk.orgs import services as orgs
from zonedesk.projects import services
from zonedesk.projects.models import ApprovalStep

from .conftest import events, fresh, make_project, refused

MAY_6, MAY_20 = datetime.date(2025, 5, 6), datetime.date(2025, 5, 20)


@pytest.fixture
def project(world):
    return make_project(world, name="强伟30万吨生活用纸加工基地项目")


def step_data(**changes):
    data = {"kind": "eia", "status": "pending", "committed_days": 20}
    return data | changes


def refuse_add(world, project, data, field):
    with pytest.raises(ValidationError) as e:
        services.add_approval_step(world.member, project, **data)
    assert not ApprovalStep.objects.exists()
    assert not events("approval.create")
    return refused(e, field)


# --- adding -------------------------------------------------------------------------------


def test_officer_adds_a_step_with_one_audit_event(world, project):
    step = services.add_approval_step(
        world.member,
        project,
        **step_data(
            kind="land",
            title=" 用地审批 ",
            status="active",
            started_on=MAY_6,
            unit=world.unit,
            agent=world.member,
            note=" 承诺制办理 ",
            is_commitment=True,
        ),
    )

    stored = fresh(step)
    assert (stored.project, stored.kind, stored.status) == (project, "land", "active")
    assert (stored.title, stored.note) == ("用地审批", "承诺制办理")
    assert (stored.unit, stored.agent, stored.started_on) == (world.unit, world.member, MAY_6)
    (event,) = events("approval.create", step)
    assert event.actor == world.member
    assert event.org == world.zone
    assert event.changes["kind"] == [None, "land"]
    assert event.changes["committed_days"] == [None, 20]
    assert event.changes["started_on"] == [None, "2025-05-06"]
    assert event.changes["unit"] == [None, "企业服务中心"]


@pytest.mark.parametrize("days", [None, 0, -3], ids=["missing", "zero", "negative"])
def test_committed_days_are_required_and_positive(world, project, days):
    """A negative number passes `not committed_days` and reaches the database's CHECK
    constraint: an IntegrityError instead of a message naming the field."""
    message = refuse_add(world, project, step_data(committed_days=days), "committed_days")

    assert "承诺办结时限" in message


@pytest.mark.parametrize("status", ["active", "done"])
def test_an_active_or_done_step_needs_its_acceptance_date(world, project, status):
    data = step_data(status=status, done_on=MAY_20 if status == "done" else None)

    message = refuse_add(world, project, data, "started_on")

    assert "受理日期" in message


def test_a_pending_step_needs_no_dates(world, project):
    step = services.add_approval_step(world.member, project, **step_data())

    assert (fresh(step).started_on, fresh(step).done_on) == (None, None)


def test_a_done_step_needs_its_completion_date(world, project):
    message = refuse_add(world, project, step_data(status="done", started_on=MAY_6), "done_on")

    assert "办结日期" in message


def test_completion_before_acceptance_is_refused(world, project):
    data = step_data(status="done", started_on=MAY_20, done_on=MAY_6)

    message = refuse_add(world, project, data, "done_on")

    assert "不能早于受理日期" in message


def test_completion_on_the_acceptance_day_is_accepted(world, project):
    step = services.add_approval_step(
        world.member, project, **step_data(status="done", started_on=MAY_6, done_on=MAY_6)
    )

    assert fresh(step).done_on == MAY_6


def test_a_unit_of_another_zone_is_refused(world, project):
    message = refuse_add(world, project, step_data(unit=world.other_unit), "unit")

    assert "招商局" in message and "寿阳经济技术开发区" in message


def test_a_unit_of_the_county_above_is_accepted(world, project):
    county_unit = orgs.create_unit(None, org=world.county, name="寿阳县行政审批服务管理局")

    step = services.add_approval_step(world.member, project, **step_data(unit=county_unit))

    assert fresh(step).unit == county_unit


def test_a_title_longer_than_its_column_is_refused_naming_it(world, project):
    message = refuse_add(world, project, step_data(title="环" * 101), "title")

    assert "100" in message


@pytest.mark.parametrize("who", ["other_officer", "leader", "outsider", "unit_user", "viewer"])
def test_only_the_task_force_or_an_admin_adds_steps(world, project, request, who):
    actor = getattr(world, who) if hasattr(world, who) else request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.add_approval_step(actor, project, **step_data())

    assert not ApprovalStep.objects.exists()


# --- updating -----------------------------------------------------------------------------


@pytest.fixture
def step(world, project):
    return services.add_approval_step(world.member, project, **step_data())


def current(step, **changes):
    return {f: getattr(step, f) for f in services.STEP_FIELDS} | changes


def test_moving_a_step_to_done_records_old_and_new_in_one_event(world, step):
    services.update_approval_step(
        world.owner, step, {"status": "done", "started_on": MAY_6, "done_on": MAY_20}
    )

    stored = fresh(step)
    assert (stored.status, stored.started_on, stored.done_on) == ("done", MAY_6, MAY_20)
    assert stored.version == 2
    (event,) = events("approval.update", step)
    assert event.actor == world.owner
    assert event.changes == {
        "status": ["pending", "done"],
        "started_on": [None, "2025-05-06"],
        "done_on": [None, "2025-05-20"],
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"committed_days": 0}, "committed_days"),
        ({"status": "active"}, "started_on"),
        ({"status": "done", "started_on": MAY_6}, "done_on"),
        ({"status": "done", "started_on": MAY_20, "done_on": MAY_6}, "done_on"),
        ({"unit": "other_unit"}, "unit"),
    ],
    ids=["no-days", "active-no-start", "done-no-end", "end-before-start", "foreign-unit"],
)
def test_update_checks_the_same_rules_and_writes_nothing(world, step, changes, field):
    if changes.get("unit") == "other_unit":
        changes = {"unit": world.other_unit}

    with pytest.raises(ValidationError) as e:
        services.update_approval_step(world.member, step, changes)

    refused(e, field)
    stored = fresh(step)
    assert (stored.status, stored.committed_days, stored.unit, stored.version) == (
        "pending",
        20,
        None,
        1,
    )
    assert not events("approval.update")


def test_update_checks_the_merged_record_not_only_the_changes(world, project):
    step = services.add_approval_step(
        world.member, project, **step_data(status="active", started_on=MAY_20)
    )

    with pytest.raises(ValidationError) as e:
        services.update_approval_step(world.member, step, {"status": "done", "done_on": MAY_6})

    refused(e, "done_on")


def test_an_unchanged_update_writes_no_event(world, step):
    services.update_approval_step(world.member, step, current(step))

    assert fresh(step).version == 1
    assert not events("approval.update")


def test_a_stale_version_raises_conflict(world, step):
    mine, theirs = fresh(step), fresh(step)
    services.update_approval_step(world.member, theirs, {"committed_days": 15})

    with pytest.raises(Conflict) as e:
        services.update_approval_step(world.owner, mine, {"committed_days": 30})

    assert e.value.changes == {"committed_days": (30, 15)}
    assert fresh(step).committed_days == 15
    assert len(events("approval.update", step)) == 1


def test_an_explicit_stale_version_raises_conflict(world, step):
    services.update_approval_step(world.member, step, {"note": "已补正材料"})

    with pytest.raises(Conflict):
        services.update_approval_step(world.member, step, {"note": "再次补正"}, expected_version=1)

    assert fresh(step).note == "已补正材料"


def test_only_the_task_force_or_an_admin_updates_steps(world, step, other_officer):
    with pytest.raises(PermissionDenied):
        services.update_approval_step(other_officer, step, {"committed_days": 10})
    with pytest.raises(PermissionDenied):
        services.update_approval_step(world.outsider, step, {"committed_days": 10})

    assert fresh(step).committed_days == 20
