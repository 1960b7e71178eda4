import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.supervision import services
from zonedesk.supervision.models import Blocker, BlockerStep
from zonedesk.supervision.tests.conftest import raise_one

Status = Blocker.Status


def events(blocker):
    return list(
        AuditEvent.objects.filter(target_id=str(blocker.pk), action__startswith="blocker.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_full_cycle_is_audited_once_per_transition_and_on_the_timeline(sup, blocker):
    b = services.answer(sup.unit_user, blocker, text="已对接县自然资源局")
    assert b.status == Status.ANSWERED
    b = services.resolve(sup.unit_user, b, text="指标已下达")
    assert b.status == Status.RESOLVED and b.on_time is True and b.resolved_on
    b = services.reopen(sup.member, b, reason="批复文件未见")
    assert b.status == Status.REOPENED and b.resolved_on is None and b.on_time is None
    b = services.resolve(sup.unit_user, b, text="批复已上传")
    b = services.verify(sup.leader, b)
    assert b.status == Status.VERIFIED and b.closed_at
    assert events(b) == [
        "blocker.raise",
        "blocker.answer",
        "blocker.resolve",
        "blocker.reopen",
        "blocker.resolve",
        "blocker.verify",
    ]
    steps = list(BlockerStep.objects.filter(blocker=b).values_list("action", flat=True))
    assert steps == ["raise", "answer", "resolve", "reopen", "resolve", "verify"]


def test_only_the_units_staff_answer_and_resolve(sup, blocker):
    for user in (sup.unit2_user, sup.member, sup.leader, sup.outsider):
        with pytest.raises(PermissionDenied):
            services.answer(user, blocker, text="x")
        with pytest.raises(PermissionDenied):
            services.resolve(user, blocker, text="x")


def test_only_raiser_or_leader_verify(sup, blocker):
    b = services.resolve(sup.unit_user, blocker, text="done")
    for user in (sup.unit_user, sup.unit2_user, sup.outsider):
        with pytest.raises(PermissionDenied):
            services.verify(user, b)
    assert services.verify(sup.member, b).status == Status.VERIFIED


def test_unit_and_enterprise_users_cannot_raise(sup):
    for user in (sup.unit_user, sup.enterprise_user, sup.outsider, sup.viewer):
        with pytest.raises(PermissionDenied):
            raise_one(sup, "x", actor=user, deadline=3)


def test_raise_refuses_unit_of_another_zone_and_past_deadline(sup):
    kwargs = dict(org=sup.zone, title="x", description="", leader=None)
    with pytest.raises(ValidationError) as e:
        services.raise_blocker(sup.member, unit=sup.other_unit, deadline=3, **kwargs)
    assert "unit" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.raise_blocker(
            sup.member,
            unit=sup.unit,
            deadline=datetime.date.today() - datetime.timedelta(days=1),
            **kwargs,
        )
    assert "deadline" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.raise_blocker(sup.member, unit=sup.unit, deadline=3, **{**kwargs, "title": " "})
    assert "title" in e.value.error_dict
    assert not Blocker.objects.exists()


def test_cannot_verify_an_unresolved_blocker(sup, blocker):
    with pytest.raises(ValidationError):
        services.verify(sup.leader, blocker)


def test_reopen_requires_a_reason(sup, blocker):
    b = services.resolve(sup.unit_user, blocker, text="done")
    with pytest.raises(ValidationError):
        services.reopen(sup.leader, b, reason="  ")


def test_reassign_moves_the_blocker_to_the_new_units_inbox(sup, blocker):
    b = services.answer(sup.unit_user, blocker, text="不归我们管")
    b = services.reassign(sup.member, b, unit=sup.unit2, reason="属自然资源所职责")
    assert b.unit == sup.unit2 and b.status == Status.OPEN
    with pytest.raises(PermissionDenied):
        services.resolve(sup.unit_user, b, text="x")
    services.resolve(sup.unit2_user, b, text="已办")
    assert events(b)[-2:] == ["blocker.reassign", "blocker.resolve"]


def test_late_resolution_is_not_on_time(sup, blocker):
    Blocker.objects.filter(pk=blocker.pk).update(
        raised_on=datetime.date(2026, 1, 5), deadline=datetime.date(2026, 1, 9)
    )
    b = services.resolve(sup.unit_user, blocker, text="done", on=datetime.date(2026, 1, 12))
    assert b.on_time is False
