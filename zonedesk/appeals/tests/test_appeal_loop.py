"""The closed loop: raise → accept → transfer (with reason) → return → re-route → answer →
close → rate; 不满意 reopens to the unit and tells its leader; every step logged and audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.appeals import services
from zonedesk.appeals.models import Appeal, AppealStep
from zonedesk.audit.models import AuditEvent
from zonedesk.conftest import make_user
from zonedesk.notify.models import Message
from zonedesk.orgs.models import Role

from .conftest import TODAY, closed_one, raise_one


def inbox(user):
    return list(Message.objects.filter(user=user).values_list("event", flat=True))


def test_enterprise_raises_for_its_own_enterprise_routed_to_the_category_unit(ap):
    appeal = raise_one(ap)
    assert appeal.channel == Appeal.Channel.SELF
    assert appeal.unit == ap.w.unit
    assert appeal.status == Appeal.Status.SUBMITTED
    assert appeal.received_on == TODAY
    # 用地: 10 working days from Wednesday 12 Nov 2025 is Wednesday 26 Nov.
    assert str(appeal.deadline) == "2025-11-26"
    assert not appeal.deadline_estimated
    assert appeal.title.startswith("厂区道路破损")
    assert "appeal.routed" in inbox(ap.w.unit_user)
    assert AuditEvent.objects.filter(action="appeal.raise", target_id=str(appeal.pk)).exists()
    assert [s.action for s in appeal.steps.all()] == ["raise"]


def test_enterprise_cannot_raise_for_another_enterprise(ap):
    with pytest.raises(PermissionDenied):
        services.raise_appeal(
            ap.w.enterprise_user,
            enterprise=ap.w.other_enterprise,
            category=ap.other_cat,
            description="x",
        )


def test_staff_log_a_meeting_appeal_for_any_enterprise_of_the_zone(ap):
    appeal = services.raise_appeal(
        ap.w.member,
        enterprise=ap.w.enterprise,
        category=ap.cats["融资"],
        description="流动资金贷款到期续贷困难",
        channel=Appeal.Channel.MEETING,
        received_on=TODAY.replace(day=3),
    )
    assert appeal.channel == Appeal.Channel.MEETING
    assert appeal.raised_by == ap.w.member
    with pytest.raises(ValidationError):
        services.raise_appeal(
            ap.w.member,
            enterprise=ap.w.enterprise,
            category=ap.cats["融资"],
            description="明天的诉求",
            received_on=TODAY.replace(day=20),
        )
    with pytest.raises(PermissionDenied):
        services.raise_appeal(
            ap.w.outsider, enterprise=ap.w.enterprise, category=ap.cats["融资"], description="x"
        )


def test_category_of_another_zone_is_refused(ap):
    with pytest.raises(ValidationError) as e:
        services.raise_appeal(
            ap.w.enterprise_user,
            enterprise=ap.w.enterprise,
            category=ap.other_cat,
            description="x",
        )
    assert "category" in e.value.message_dict


def test_full_loop_with_transfer_return_answer_and_unsatisfied_reopening(ap):
    w = ap.w
    appeal = raise_one(ap)
    # Only the routed unit acts; another unit's user cannot accept.
    with pytest.raises(PermissionDenied):
        services.accept(ap.land_user, appeal)
    services.accept(w.unit_user, appeal)
    assert "appeal.accepted" in inbox(w.enterprise_user)

    with pytest.raises(ValidationError):
        services.transfer(w.unit_user, appeal, to_unit=ap.land, reason="  ")
    services.transfer(w.unit_user, appeal, to_unit=ap.land, reason="属于用地审批，转自然资源所")
    appeal.refresh_from_db()
    assert appeal.unit == ap.land and appeal.status == Appeal.Status.SUBMITTED
    step = appeal.steps.get(action=AppealStep.Action.TRANSFER)
    assert (step.from_unit_name, step.to_unit_name) == ("企业服务中心", "自然资源所")
    assert step.text == "属于用地审批，转自然资源所" and step.actor_name == str(w.unit_user)
    assert "appeal.routed" in inbox(ap.land_user)
    # The old unit has let go of it.
    with pytest.raises(PermissionDenied):
        services.accept(w.unit_user, appeal)

    services.return_appeal(ap.land_user, appeal, reason="非本所职责")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.RETURNED
    assert "appeal.returned" in inbox(ap.leader)
    assert "appeal.returned" in inbox(w.enterprise_user)

    # A zone leader re-routes the returned appeal.
    services.transfer(ap.leader, appeal, to_unit=w.unit, reason="由企业服务中心牵头办理")
    services.accept(w.unit_user, appeal)
    services.answer(w.unit_user, appeal, text="已协调住建局本周修复。")
    assert "appeal.answered" in inbox(w.enterprise_user)
    with pytest.raises(PermissionDenied):
        services.rate(w.enterprise_user, appeal, rating="satisfied")
    services.close(w.unit_user, appeal)
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.CLOSED
    assert appeal.closed_on == TODAY and appeal.on_time is True

    with pytest.raises(ValidationError):
        services.rate(w.enterprise_user, appeal, rating="unsatisfied", comment="")
    with pytest.raises(PermissionDenied):
        services.rate(w.unit_user, appeal, rating="satisfied")
    services.rate(w.enterprise_user, appeal, rating="unsatisfied", comment="路面仍有坑洼")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ACCEPTED
    assert appeal.reopened == 1 and appeal.closed_on is None and appeal.on_time is None
    assert appeal.rating == Appeal.Rating.UNSATISFIED
    assert "appeal.reopened" in inbox(w.unit_user)
    assert "appeal.reopened" in inbox(ap.leader)  # no 分管领导 set: the zone's leaders

    services.answer(w.unit_user, appeal, text="已重新铺设路面。")
    services.close(w.unit_user, appeal)
    services.rate(w.enterprise_user, appeal, rating="satisfied", comment="")
    appeal.refresh_from_db()
    assert appeal.rating == Appeal.Rating.SATISFIED and appeal.status == Appeal.Status.CLOSED
    # Satisfied is final.
    with pytest.raises(PermissionDenied):
        services.rate(w.enterprise_user, appeal, rating="fairly")
    actions = list(appeal.steps.values_list("action", flat=True))
    assert actions == [
        "raise", "accept", "transfer", "return", "transfer", "accept", "answer", "close",
        "rate", "reopen", "answer", "close", "rate",
    ]  # fmt: skip
    audited = AuditEvent.objects.filter(target_id=str(appeal.pk), action__startswith="appeal.")
    assert audited.count() == 12  # every step but the reopen (part of the rating's event)


def test_unsatisfied_tells_the_category_leader_when_one_is_set(ap):
    deputy = make_user("deputy", ap.w.zone, Role.Name.LEADER)
    services.update_category(None, ap.cats["用地"], {"leader": deputy})
    appeal = closed_one(ap)
    services.rate(ap.w.enterprise_user, appeal, rating="unsatisfied", comment="不满意")
    assert "appeal.reopened" in inbox(deputy)
    assert "appeal.reopened" not in inbox(ap.leader)


def test_stale_version_is_refused(ap):
    from zonedesk.audit.services import Conflict

    appeal = raise_one(ap)
    stale = appeal.version
    services.accept(ap.w.unit_user, appeal)
    appeal.refresh_from_db()
    with pytest.raises(Conflict):
        services.answer(ap.w.unit_user, appeal, text="答复", expected_version=stale)


def test_category_without_active_unit_waits_for_a_leader_to_route(ap):
    services.update_category(None, ap.cats["其他"], {"unit": None})
    appeal = raise_one(ap, category="其他")
    assert appeal.unit is None
    assert "appeal.unrouted" in inbox(ap.leader)
    with pytest.raises(PermissionDenied):
        services.accept(ap.w.unit_user, appeal)
    services.transfer(ap.leader, appeal, to_unit=ap.land, reason="分派")
    appeal.refresh_from_db()
    assert appeal.unit == ap.land


def test_categories_are_managed_by_leaders_and_admins_only(ap):
    with pytest.raises(PermissionDenied):
        services.create_category(ap.w.member, org=ap.w.zone, name="安全生产", days=5)
    with pytest.raises(ValidationError):
        services.create_category(ap.leader, org=ap.w.zone, name="用地", days=5)
    with pytest.raises(ValidationError):
        services.create_category(ap.leader, org=ap.w.zone, name="安全生产", days=0)
    c = services.create_category(ap.leader, org=ap.w.zone, name="安全生产", unit=ap.land, days=3)
    assert c.unit == ap.land
