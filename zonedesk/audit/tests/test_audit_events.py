"""Every change made through a service leaves its AuditEvent, and only a real change does.

The event is written in the same transaction as the change: a refused change leaves no
event and no half-written record; a stale version is refused with a Conflict.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.audit.services import Conflict
from zonedesk.catalog.validators import make_uscc
from zonedesk.conftest import make_user
from zonedesk.enterprises.models import Enterprise
from zonedesk.enterprises.services import create_enterprise, update_enterprise
from zonedesk.orgs import services
from zonedesk.orgs.models import Org, Role, Team, Unit, User


def enterprise_data(e, **changes):
    """The full form data of an enterprise, with some fields changed."""
    data = {
        "name": e.name,
        "short_name": e.short_name,
        "uscc": e.uscc,
        "legal_rep": e.legal_rep,
        "industry": e.industry,
        "above_scale": e.above_scale,
    }
    return data | changes


@pytest.fixture
def new_events():
    """The events written after this fixture was set up, oldest first."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return lambda: list(AuditEvent.objects.filter(id__gt=last).order_by("id"))


def assert_event(event, *, actor, action, target, org, changes):
    assert event.actor == actor
    assert event.actor_name == str(actor)
    assert event.action == action
    assert event.target_type == ContentType.objects.get_for_model(type(target))
    assert event.target_id == str(target.pk)
    assert event.target_repr == str(target)
    assert event.org == org
    assert event.changes == changes


# --- enterprises -----------------------------------------------------------------------


def test_creating_an_enterprise_records_its_initial_values(world, new_events):
    uscc = make_uscc("美锦", "140725")
    e = create_enterprise(
        world.member,
        org=world.zone,
        name="山西美锦钢铁有限公司",
        uscc=uscc,
        legal_rep="张三",
        above_scale=True,
    )

    [event] = new_events()
    assert_event(
        event,
        actor=world.member,
        action="enterprise.create",
        target=e,
        org=world.zone,
        changes={
            "org": [None, "寿阳经济技术开发区"],
            "name": [None, "山西美锦钢铁有限公司"],
            "short_name": [None, ""],
            "uscc": [None, uscc],
            "legal_rep": [None, "张三"],
            "industry": [None, None],
            "above_scale": [None, True],
            "chain": [None, ""],
            "park": [None, None],
            "address": [None, ""],
            "registered_capital": [None, None],
            "established_on": [None, None],
        },
    )


def test_updating_an_enterprise_records_old_and_new_of_changed_fields_only(world, new_events):
    e = world.enterprise
    update_enterprise(
        world.owner, e, enterprise_data(e, name="山西强伟纸业股份有限公司", legal_rep="李四")
    )

    [event] = new_events()
    assert_event(
        event,
        actor=world.owner,
        action="enterprise.update",
        target=e,
        org=world.zone,
        changes={
            "name": ["山西强伟纸业有限公司", "山西强伟纸业股份有限公司"],
            "legal_rep": ["", "李四"],
        },
    )
    stored = Enterprise.objects.get(pk=e.pk)
    assert (stored.name, stored.legal_rep, stored.version) == (
        "山西强伟纸业股份有限公司",
        "李四",
        2,
    )
    assert e.version == 2


def test_an_update_that_changes_nothing_writes_no_event_and_keeps_the_version(world, new_events):
    e = world.enterprise
    update_enterprise(world.owner, e, enterprise_data(e))

    assert new_events() == []
    assert Enterprise.objects.get(pk=e.pk).version == 1


def test_a_no_op_update_with_only_whitespace_and_case_differences_writes_nothing(world, new_events):
    e = world.enterprise
    update_enterprise(world.owner, e, enterprise_data(e, name=f"  {e.name} ", uscc=e.uscc.lower()))

    assert new_events() == []
    assert Enterprise.objects.get(pk=e.pk).version == 1


def test_a_refused_update_changes_nothing_and_writes_no_event(world, new_events):
    e = world.enterprise
    with pytest.raises(ValidationError) as refused:
        update_enterprise(
            world.owner, e, enterprise_data(e, name="新名称", uscc="91140725MA0000000X")
        )

    assert "uscc" in refused.value.message_dict
    assert new_events() == []
    stored = Enterprise.objects.get(pk=e.pk)
    assert (stored.name, stored.uscc, stored.version) == ("山西强伟纸业有限公司", e.uscc, 1)
    assert e.name == "山西强伟纸业有限公司"


def test_a_change_refused_after_its_first_write_is_rolled_back_with_its_event(world, new_events):
    """create_user saves the user and its event, then grant_role refuses: nothing remains."""
    with pytest.raises(ValidationError) as refused:
        services.create_user(
            world.owner,
            username="halfway",
            name="半途",
            password="Zonedesk@2026",
            org=world.zone,
            role=Role.Name.ENTERPRISE,
        )  # no enterprise given

    assert "enterprise" in refused.value.message_dict
    assert not User.objects.filter(username="halfway").exists()
    assert new_events() == []


# --- version check ---------------------------------------------------------------------


def test_an_update_against_a_stale_version_raises_conflict_and_writes_nothing(world, new_events):
    e = world.enterprise
    update_enterprise(world.owner, e, enterprise_data(e, legal_rep="李四"))  # now version 2
    fresh = Enterprise.objects.get(pk=e.pk)

    with pytest.raises(Conflict) as conflict:
        update_enterprise(
            world.member, fresh, enterprise_data(fresh, legal_rep="王五"), expected_version=1
        )

    assert conflict.value.changes == {"legal_rep": ("王五", "李四")}
    assert conflict.value.current.version == 2
    assert [ev.action for ev in new_events()] == ["enterprise.update"]
    stored = Enterprise.objects.get(pk=e.pk)
    assert (stored.legal_rep, stored.version) == ("李四", 2)


def test_of_two_people_editing_the_same_version_the_second_gets_a_conflict(world, new_events):
    first = Enterprise.objects.get(pk=world.enterprise.pk)
    second = Enterprise.objects.get(pk=world.enterprise.pk)
    assert first.version == second.version == 1

    update_enterprise(world.owner, first, enterprise_data(first, short_name="强伟"))
    with pytest.raises(Conflict) as conflict:
        update_enterprise(world.member, second, enterprise_data(second, short_name="强伟纸业"))

    assert conflict.value.changes == {"short_name": ("强伟纸业", "强伟")}
    stored = Enterprise.objects.get(pk=world.enterprise.pk)
    assert (stored.short_name, stored.version) == ("强伟", 2)
    [event] = new_events()
    assert event.actor == world.owner and event.changes == {"short_name": ["", "强伟"]}


def test_the_expected_version_from_a_form_is_accepted_as_text(world, new_events):
    e = world.enterprise
    update_enterprise(world.owner, e, enterprise_data(e, short_name="强伟"), expected_version="1")
    assert Enterprise.objects.get(pk=e.pk).version == 2
    assert len(new_events()) == 1


# --- organisations, units, teams, users, tokens ---------------------------------------------


def test_creating_an_org_records_its_initial_values(world, new_events):
    park = services.create_org(
        world.owner, parent=world.zone, kind=Org.Kind.PARK, name="新材料产业园"
    )

    [event] = new_events()
    assert_event(
        event,
        actor=world.owner,
        action="org.create",
        target=park,
        org=park,
        changes={
            "parent": [None, "寿阳经济技术开发区"],
            "kind": [None, "park"],
            "name": [None, "新材料产业园"],
            "code": [None, ""],
            "stat_code": [None, ""],
            "is_active": [None, True],
        },
    )


def test_updating_an_org_records_the_changed_name(world, new_events):
    org = world.park
    services.update_org(
        world.owner,
        org,
        {
            "kind": org.kind,
            "name": "造纸循环产业园",
            "code": "",
            "stat_code": "",
            "is_active": True,
        },
    )

    [event] = new_events()
    assert_event(
        event,
        actor=world.owner,
        action="org.update",
        target=org,
        org=org,
        changes={"name": ["造纸产业园", "造纸循环产业园"]},
    )
    assert Org.objects.get(pk=org.pk).version == 2


def test_a_refused_org_update_writes_no_event(world, new_events):
    zone = world.zone  # has a park beneath it, so its kind cannot change
    with pytest.raises(ValidationError) as refused:
        services.update_org(
            world.owner, zone, {"kind": Org.Kind.PARK, "name": "改名", "code": "", "stat_code": ""}
        )

    assert "kind" in refused.value.message_dict
    assert new_events() == []
    stored = Org.objects.get(pk=zone.pk)
    assert (stored.kind, stored.name, stored.version) == ("zone", "寿阳经济技术开发区", 1)


def test_creating_and_updating_a_unit_each_record_one_event(world, new_events):
    unit = services.create_unit(
        world.owner, org=world.zone, name="自然资源所", phone="0354-1234567"
    )
    services.update_unit(world.owner, unit, {"name": "自然资源所", "phone": "0354-7654321"})

    create, update = new_events()
    assert_event(
        create,
        actor=world.owner,
        action="unit.create",
        target=unit,
        org=world.zone,
        changes={
            "org": [None, "寿阳经济技术开发区"],
            "name": [None, "自然资源所"],
            "phone": [None, "0354-1234567"],
            "is_active": [None, True],
        },
    )
    assert_event(
        update,
        actor=world.owner,
        action="unit.update",
        target=unit,
        org=world.zone,
        changes={"phone": ["0354-1234567", "0354-7654321"]},
    )


def test_creating_a_team_records_the_team_and_then_its_members(world, new_events):
    team = services.create_team(
        world.owner,
        org=world.zone,
        kind=Team.Kind.INVESTMENT,
        name="新材料招商战队",
        chain="新材料",
        members=[world.member],
    )

    create, members = new_events()
    assert_event(
        create,
        actor=world.owner,
        action="team.create",
        target=team,
        org=world.zone,
        changes={
            "org": [None, "寿阳经济技术开发区"],
            "kind": [None, "investment"],
            "name": [None, "新材料招商战队"],
            "chain": [None, "新材料"],
            "leader": [None, None],
            "is_active": [None, True],
        },
    )
    assert_event(
        members,
        actor=world.owner,
        action="team.members",
        target=team,
        org=world.zone,
        changes={"members": [[], ["Member"]]},
    )


def test_updating_a_team_records_the_new_leader(world, new_events):
    team = world.team
    services.update_team(
        world.owner,
        team,
        {
            "kind": team.kind,
            "name": team.name,
            "chain": "",
            "leader": world.owner,
            "is_active": True,
        },
    )

    [event] = new_events()
    assert_event(
        event,
        actor=world.owner,
        action="team.update",
        target=team,
        org=world.zone,
        changes={"leader": [None, "Owner"]},
    )
    assert Team.objects.get(pk=team.pk).leader == world.owner


def test_changing_a_leader_to_another_person_of_the_same_name_is_saved_and_recorded(world):
    """Two officers are both called 张伟: switching between them is a change."""
    first = services.create_user(
        None,
        username="zhangwei1",
        name="张伟",
        password="Zonedesk@2026",
        org=world.zone,
        role=Role.Name.OFFICER,
    )
    second = services.create_user(
        None,
        username="zhangwei2",
        name="张伟",
        password="Zonedesk@2026",
        org=world.zone,
        role=Role.Name.OFFICER,
    )
    team = services.create_team(
        None, org=world.zone, kind=Team.Kind.TASK_FORCE, name="钢铁项目专班", leader=first
    )
    last = AuditEvent.objects.order_by("-id").first().pk

    services.update_team(
        world.owner,
        team,
        {"kind": team.kind, "name": team.name, "chain": "", "leader": second, "is_active": True},
    )

    assert Team.objects.get(pk=team.pk).leader_id == second.pk
    [event] = AuditEvent.objects.filter(pk__gt=last)
    assert (event.action, event.changes) == ("team.update", {"leader": ["张伟", "张伟"]})


def test_creating_a_user_records_the_user_and_the_first_role(world, new_events):
    user = services.create_user(
        world.owner,
        username="tongji",
        name="统计员甲",
        password="Zonedesk@2026",
        org=world.zone,
        role=Role.Name.STATISTICIAN,
    )

    create, grant = new_events()
    assert_event(
        create,
        actor=world.owner,
        action="user.create",
        target=user,
        org=world.zone,
        changes={
            "username": [None, "tongji"],
            "name": [None, "统计员甲"],
            "email": [None, ""],
            "phone": [None, ""],
            "is_active": [None, True],
        },
    )
    assert_event(
        grant,
        actor=world.owner,
        action="user.grant_role",
        target=user,
        org=world.zone,
        changes={"role": [None, "寿阳经济技术开发区 · 统计员"]},
    )


def test_granting_and_revoking_a_role_each_record_one_event(world, new_events):
    grant = services.grant_role(
        world.owner, user=world.member, org=world.park, role=Role.Name.LEADER
    )
    services.revoke_role(world.owner, grant)

    granted, revoked = new_events()
    assert_event(
        granted,
        actor=world.owner,
        action="user.grant_role",
        target=world.member,
        org=world.park,
        changes={"role": [None, "造纸产业园 · 领导"]},
    )
    assert_event(
        revoked,
        actor=world.owner,
        action="user.revoke_role",
        target=world.member,
        org=world.park,
        changes={"role": ["造纸产业园 · 领导", None]},
    )


def test_updating_a_user_records_the_changed_fields(world, new_events):
    user = world.member
    services.update_user(
        world.owner,
        user,
        {"name": "王专员", "email": "wang@example.cn", "phone": "", "is_active": True},
    )

    [event] = new_events()
    assert_event(
        event,
        actor=world.owner,
        action="user.update",
        target=user,
        org=world.zone,
        changes={"name": ["Member", "王专员"], "email": ["", "wang@example.cn"]},
    )


def test_a_token_records_its_creation_and_revocation_without_the_secret(world, new_events):
    token, secret = services.create_token(world.member, "数据同步")
    services.revoke_token(world.member, token)

    created, revoked = new_events()
    assert_event(
        created,
        actor=world.member,
        action="token.create",
        target=world.member,
        org=world.zone,
        changes={"token": [None, str(token)]},
    )
    assert_event(
        revoked,
        actor=world.member,
        action="token.revoke",
        target=world.member,
        org=world.zone,
        changes={"token": [str(token), None]},
    )
    assert secret not in str(created.changes) and token.digest not in str(created.changes)


def test_an_admin_of_another_zone_cannot_change_a_unit_and_leaves_no_event(world, new_events):
    unit = world.unit
    with pytest.raises(PermissionDenied):
        services.update_unit(world.outsider, unit, {"name": "被改名", "phone": ""})

    assert new_events() == []
    assert Unit.objects.get(pk=unit.pk).name == "企业服务中心"


def test_system_changes_are_recorded_under_the_system_name(world, new_events):
    make_user("robot", world.zone, Role.Name.VIEWER)

    create, _grant = new_events()
    assert create.actor is None and create.actor_name == "系统"
