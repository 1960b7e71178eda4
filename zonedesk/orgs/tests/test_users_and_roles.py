"""Users and their roles through the services: creation, grants, revocation, passwords."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.audit.services import Conflict
from zonedesk.conftest import PASSWORD, make_user
from zonedesk.orgs import services
from zonedesk.orgs.models import Role, User

NEW_PASSWORD = "Shouyang#Kaifaqu9"
CJK = re.compile(r"[\u4e00-\u9fff]")


def events(action, obj=None):
    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.filter(target_id=str(obj.pk))
    return qs


def refused(exc_info, field):
    errors = exc_info.value.message_dict
    assert field in errors, errors
    return errors[field]


def fresh(user):
    return User.objects.get(pk=user.pk)


def user_data(user, **changes):
    data = {f: getattr(user, f) for f in ("name", "email", "phone", "is_active")}
    data.update(changes)
    return data


def new_user(actor, org, **extra):
    kwargs = {
        "username": "zhangwei",
        "name": "张伟",
        "password": NEW_PASSWORD,
        "org": org,
        "role": Role.Name.OFFICER,
    }
    kwargs.update(extra)
    return services.create_user(actor, **kwargs)


# --- create_user -----------------------------------------------------------------------


def test_create_user_stores_user_first_role_and_two_events_without_password(world):
    user = new_user(world.owner, world.zone, email=" zw@example.cn ", phone=" 13800000000 ")

    stored = fresh(user)
    assert (stored.username, stored.name, stored.email, stored.phone) == (
        "zhangwei",
        "张伟",
        "zw@example.cn",
        "13800000000",
    )
    assert stored.check_password(NEW_PASSWORD)
    (grant,) = stored.roles.all()
    assert (grant.org, grant.role) == (world.zone, "officer")
    (created,) = events("user.create", user)
    assert created.actor == world.owner and created.org == world.zone
    assert "password" not in created.changes
    assert created.changes["username"] == [None, "zhangwei"]
    (granted,) = events("user.grant_role", user)
    assert granted.changes == {"role": [None, "寿阳经济技术开发区 · 项目专员"]}


@pytest.mark.parametrize("password", ["12345678", "password", "zhangwei2026"])
def test_create_user_refuses_weak_password_on_password_field_and_creates_nothing(world, password):
    with pytest.raises(ValidationError) as e:
        new_user(world.owner, world.zone, username="zhangwei2026", password=password)
    assert refused(e, "password")
    assert not User.objects.filter(username="zhangwei2026").exists()
    assert not events("user.create").filter(target_repr="张伟").exists()


@pytest.mark.parametrize("password", ["Ab1!", "12345678", "zhangwei2026"])
def test_password_refusals_are_in_chinese(world, password):
    with pytest.raises(ValidationError) as e:
        new_user(world.owner, world.zone, username="zhangwei2026", password=password)
    messages = refused(e, "password")
    untranslated = [m for m in messages if not CJK.search(m)]
    assert not untranslated


@pytest.mark.parametrize("username", ["OWNER", "Owner", " owner "])
def test_create_user_refuses_username_taken_in_any_case(world, username):
    with pytest.raises(ValidationError) as e:
        new_user(world.owner, world.zone, username=username)
    (message,) = refused(e, "username")
    assert message == f"用户名“{username.strip()}”已被使用"
    assert User.objects.filter(username__iexact="owner").count() == 1


def test_create_user_requires_a_name(world):
    with pytest.raises(ValidationError) as e:
        new_user(world.owner, world.zone, name="  ")
    assert refused(e, "name") == ["姓名不能为空"]


def test_create_user_rolls_back_when_the_first_role_is_refused(world):
    with pytest.raises(ValidationError) as e:
        new_user(world.owner, world.zone, role=Role.Name.UNIT)  # a unit role without a unit
    assert refused(e, "unit") == ["部门人员角色须指定所属部门"]
    assert not User.objects.filter(username="zhangwei").exists()
    assert not events("user.create").filter(target_repr="张伟").exists()


@pytest.mark.parametrize("actor", ["member", "outsider", "viewer"])
def test_only_an_admin_over_the_org_creates_users_there(world, actor):
    with pytest.raises(PermissionDenied):
        new_user(getattr(world, actor), world.zone)
    assert not User.objects.filter(username="zhangwei").exists()


# --- grant_role ---------------------------------------------------------------------------


def test_grant_role_records_event_and_keeps_unit_only_for_unit_roles(world):
    grant = services.grant_role(
        world.owner, user=world.member, org=world.park, role=Role.Name.LEADER, unit=world.unit
    )
    assert grant.unit is None
    unit_grant = services.grant_role(
        world.owner, user=world.member, org=world.zone, role=Role.Name.UNIT, unit=world.unit
    )
    assert Role.objects.get(pk=unit_grant.pk).unit == world.unit
    descriptions = [
        e.changes["role"][1] for e in events("user.grant_role", world.member).order_by("id")
    ]
    assert descriptions[-2:] == [
        "造纸产业园 · 领导",
        "寿阳经济技术开发区 · 部门人员 · 企业服务中心",
    ]


def test_unit_role_requires_a_unit(world):
    with pytest.raises(ValidationError) as e:
        services.grant_role(world.owner, user=world.member, org=world.zone, role=Role.Name.UNIT)
    assert refused(e, "unit") == ["部门人员角色须指定所属部门"]
    assert not world.member.roles.filter(role="unit").exists()


def test_enterprise_role_requires_an_enterprise(world):
    with pytest.raises(ValidationError) as e:
        services.grant_role(
            world.owner, user=world.member, org=world.zone, role=Role.Name.ENTERPRISE
        )
    assert refused(e, "enterprise") == ["企业联系人角色须指定企业"]
    assert not world.member.roles.filter(role="enterprise").exists()


def test_unit_outside_the_node_is_refused(world):
    with pytest.raises(ValidationError) as e:
        services.grant_role(
            world.owner,
            user=world.member,
            org=world.zone,
            role=Role.Name.UNIT,
            unit=world.other_unit,
        )
    (message,) = refused(e, "unit")
    assert "招商局" in message and "寿阳经济技术开发区" in message
    assert not world.member.roles.filter(role="unit").exists()
    assert events("user.grant_role", world.member).count() == 1  # only the one from the fixture


def test_enterprise_outside_the_node_is_refused(world):
    with pytest.raises(ValidationError) as e:
        services.grant_role(
            world.owner,
            user=world.member,
            org=world.zone,
            role=Role.Name.ENTERPRISE,
            enterprise=world.other_enterprise,
        )
    assert "山西亮拓精密铸造有限公司" in refused(e, "enterprise")[0]


def test_unit_role_at_a_park_may_act_for_a_unit_of_its_zone(world):
    grant = services.grant_role(
        world.owner, user=world.member, org=world.park, role=Role.Name.UNIT, unit=world.unit
    )
    assert grant.unit == world.unit


def test_the_same_role_twice_at_one_node_is_refused(world):
    with pytest.raises(ValidationError) as e:
        services.grant_role(world.owner, user=world.member, org=world.zone, role=Role.Name.OFFICER)
    assert "寿阳经济技术开发区" in refused(e, "role")[0]
    assert world.member.roles.count() == 1


@pytest.mark.parametrize("actor", ["member", "outsider", "viewer"])
def test_only_an_admin_over_the_node_grants_roles_there(world, actor):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            getattr(world, actor), user=world.member, org=world.zone, role=Role.Name.LEADER
        )
    assert not world.member.roles.filter(role="leader").exists()


# --- revoke_role --------------------------------------------------------------------------


def test_admin_revokes_a_role_with_event(world):
    grant = world.member.roles.get()
    services.grant_role(None, user=world.member, org=world.park, role=Role.Name.VIEWER)
    services.revoke_role(world.owner, grant)
    assert not Role.objects.filter(pk=grant.pk).exists()
    (event,) = events("user.revoke_role", world.member)
    assert event.actor == world.owner and event.org == world.zone
    assert event.changes == {"role": ["寿阳经济技术开发区 · 项目专员", None]}


def test_a_users_last_role_cannot_be_revoked(world):
    grant = world.member.roles.get()
    with pytest.raises(ValidationError) as e:
        services.revoke_role(world.owner, grant)
    assert refused(e, "role") == ["这是该用户唯一的角色：请先授予其他角色，或停用该账号"]
    assert Role.objects.filter(pk=grant.pk).exists()
    assert not events("user.revoke_role").exists()


def test_admin_cannot_revoke_own_admin_role(world):
    grant = world.owner.roles.get()
    with pytest.raises(ValidationError) as e:
        services.revoke_role(fresh(world.owner), grant)
    assert refused(e, "role") == ["不能撤销自己的管理员角色"]
    assert Role.objects.filter(pk=grant.pk).exists()
    assert not events("user.revoke_role").exists()


def test_admin_may_revoke_own_other_roles(world):
    extra = services.grant_role(None, user=world.owner, org=world.zone, role=Role.Name.LEADER)
    services.revoke_role(fresh(world.owner), extra)
    assert list(fresh(world.owner).roles.values_list("role", flat=True)) == ["admin"]


@pytest.mark.parametrize("actor", ["member", "outsider"])
def test_only_an_admin_over_the_node_revokes_roles_there(world, actor):
    grant = world.member.roles.get()
    with pytest.raises(PermissionDenied):
        services.revoke_role(getattr(world, actor), grant)
    assert Role.objects.filter(pk=grant.pk).exists()


# --- set_password ---------------------------------------------------------------------------


def test_set_password_is_audited_without_the_hash(world):
    old_hash = fresh(world.member).password
    services.set_password(world.owner, world.member, NEW_PASSWORD)

    stored = fresh(world.member)
    assert stored.check_password(NEW_PASSWORD)
    (event,) = events("user.password", world.member)
    assert event.actor == world.owner
    assert event.changes == {"password": ["******", "******"]}
    everything = json.dumps([e.changes for e in AuditEvent.objects.all()], ensure_ascii=False)
    for secret in (old_hash, stored.password, NEW_PASSWORD, PASSWORD):
        assert secret not in everything


def test_set_password_refuses_weak_password_and_keeps_the_old_one(world):
    with pytest.raises(ValidationError) as e:
        services.set_password(world.owner, world.member, "member12")
    assert refused(e, "password")
    assert fresh(world.member).check_password(PASSWORD)
    assert not events("user.password").exists()


def test_a_user_may_set_own_password(world):
    services.set_password(world.member, world.member, NEW_PASSWORD)
    assert fresh(world.member).check_password(NEW_PASSWORD)


def test_officer_cannot_set_anothers_password(world):
    with pytest.raises(PermissionDenied):
        services.set_password(world.member, world.unit_user, NEW_PASSWORD)
    assert fresh(world.unit_user).check_password(PASSWORD)


# --- update_user -----------------------------------------------------------------------------


def test_update_user_records_exactly_the_changed_fields(world):
    services.update_user(
        world.owner,
        world.member,
        user_data(world.member, name="李明", phone="13900000000"),
        expected_version=1,
    )
    stored = fresh(world.member)
    assert (stored.name, stored.phone, stored.version) == ("李明", "13900000000", 2)
    (event,) = events("user.update", world.member)
    assert event.org == world.zone
    assert event.changes == {"name": ["Member", "李明"], "phone": ["", "13900000000"]}


def test_admin_cannot_deactivate_self(world):
    with pytest.raises(ValidationError) as e:
        services.update_user(world.owner, world.owner, user_data(world.owner, is_active=False))
    assert refused(e, "is_active") == ["不能停用自己的账号"]
    assert fresh(world.owner).is_active is True
    assert not events("user.update").exists()


def test_admin_deactivates_a_user_of_their_zone(world):
    services.update_user(world.owner, world.member, user_data(world.member, is_active=False))
    assert fresh(world.member).is_active is False
    assert events("user.update", world.member).get().changes == {"is_active": [True, False]}


def test_officer_edits_own_name_but_not_own_active_flag(world):
    services.update_user(world.member, world.member, {"name": "李明", "phone": "139"})
    assert fresh(world.member).name == "李明"
    with pytest.raises(PermissionDenied):
        services.update_user(world.member, world.member, {"name": "李明", "is_active": True})


def test_update_user_refuses_username_of_another_in_any_case(world):
    with pytest.raises(ValidationError) as e:
        services.update_user(
            world.owner, world.member, {**user_data(world.member), "username": "OWNER"}
        )
    assert refused(e, "username")
    assert fresh(world.member).username == "member"


def test_stale_user_update_raises_conflict_and_keeps_first_save(world):
    services.update_user(
        world.owner, world.member, user_data(world.member, name="李明"), expected_version=1
    )
    with pytest.raises(Conflict) as c:
        services.update_user(
            world.owner,
            fresh(world.member),
            user_data(world.member, name="王强"),
            expected_version=1,
        )
    assert c.value.changes == {"name": ("王强", "李明")}
    assert fresh(world.member).name == "李明"
    assert events("user.update").count() == 1


# --- across zones -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "operation",
    [
        lambda w: services.update_user(w.outsider, w.member, user_data(w.member, name="被改名")),
        lambda w: services.update_user(w.outsider, w.member, user_data(w.member, is_active=False)),
        lambda w: services.set_password(w.outsider, w.member, NEW_PASSWORD),
        lambda w: services.grant_role(w.outsider, user=w.member, org=w.zone, role=Role.Name.ADMIN),
        lambda w: services.revoke_role(w.outsider, w.member.roles.get()),
        lambda w: services.create_user(
            w.outsider, username="x1", name="X", password=NEW_PASSWORD, org=w.zone, role="officer"
        ),
    ],
    ids=["rename", "deactivate", "password", "grant", "revoke", "create"],
)
def test_zone_b_admin_cannot_manage_a_zone_a_user(world, operation):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        operation(world)
    stored = fresh(world.member)
    assert (stored.name, stored.is_active) == ("Member", True)
    assert stored.check_password(PASSWORD)
    assert list(stored.roles.values_list("role", flat=True)) == ["officer"]
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "operation",
    [
        lambda w, u: services.set_password(w.outsider, u, NEW_PASSWORD),
        lambda w, u: services.update_user(w.outsider, u, user_data(u, is_active=False)),
    ],
    ids=["password", "deactivate"],
)
def test_zone_b_admin_cannot_take_over_a_zone_a_admin_who_also_works_in_zone_b(world, operation):
    """A role in zone B must not hand zone B's admin the account of zone A's administrator.

    Otherwise the zone B admin resets the password and logs in as zone A's admin.
    """
    services.grant_role(None, user=world.owner, org=world.other_zone, role=Role.Name.OFFICER)
    owner = fresh(world.owner)
    with pytest.raises(PermissionDenied):
        operation(world, owner)
    stored = fresh(world.owner)
    assert stored.check_password(PASSWORD)
    assert stored.is_active


def test_an_admin_cannot_manage_a_superuser(world):
    root = User.objects.create_superuser("root", password=PASSWORD)
    services.grant_role(None, user=root, org=world.zone, role=Role.Name.LEADER)
    with pytest.raises(PermissionDenied):
        services.set_password(world.owner, root, NEW_PASSWORD)
    assert fresh(root).check_password(PASSWORD)


def test_city_admin_manages_users_of_every_zone_below(world):
    city_admin = make_user("cityadmin", world.city, Role.Name.ADMIN)
    services.set_password(city_admin, world.outsider, NEW_PASSWORD)
    services.update_user(city_admin, world.member, user_data(world.member, is_active=False))
    assert fresh(world.outsider).check_password(NEW_PASSWORD)
    assert fresh(world.member).is_active is False
