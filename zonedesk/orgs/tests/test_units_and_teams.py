"""Units (部门) and teams (专班, 招商战队) through their services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.audit.services import Conflict
from zonedesk.conftest import make_user
from zonedesk.orgs import services
from zonedesk.orgs.models import Role, Team, Unit, User


def events(action, obj=None):
    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.filter(target_id=str(obj.pk))
    return qs


def refused(exc_info, field):
    errors = exc_info.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


def fresh(user):
    """The user as a new request would load it (roles not cached)."""
    return User.objects.get(pk=user.pk)


def team_data(team, **changes):
    data = {f: getattr(team, f) for f in ("kind", "name", "chain", "leader", "is_active")}
    data.update(changes)
    return data


def member_names(team):
    return sorted(str(u) for u in Team.objects.get(pk=team.pk).members.all())


# --- units ------------------------------------------------------------------------------


def test_admin_creates_unit_with_trimmed_fields_and_audit_event(world):
    unit = services.create_unit(
        world.owner, org=world.zone, name=" 自然资源所 ", phone=" 0354-4012345 "
    )

    stored = Unit.objects.get(pk=unit.pk)
    assert (stored.org, stored.name, stored.phone, stored.version) == (
        world.zone,
        "自然资源所",
        "0354-4012345",
        1,
    )
    (event,) = events("unit.create", unit)
    assert event.actor == world.owner
    assert event.org == world.zone
    assert event.changes == {
        "org": [None, "寿阳经济技术开发区"],
        "name": [None, "自然资源所"],
        "phone": [None, "0354-4012345"],
        "is_active": [None, True],
    }


def test_unit_name_must_be_unique_within_its_org(world):
    with pytest.raises(ValidationError) as e:
        services.create_unit(world.owner, org=world.zone, name="企业服务中心")
    assert "企业服务中心" in refused(e, "name")
    assert Unit.objects.filter(name="企业服务中心").count() == 1
    assert not events("unit.create").filter(actor=world.owner).exists()


def test_same_unit_name_is_allowed_in_another_org(world):
    services.create_unit(world.owner, org=world.park, name="企业服务中心")
    assert Unit.objects.filter(name="企业服务中心").count() == 2


def test_blank_unit_name_is_refused(world):
    with pytest.raises(ValidationError) as e:
        services.create_unit(world.owner, org=world.zone, name="  ")
    assert refused(e, "name") == "名称不能为空"


@pytest.mark.parametrize("actor", ["member", "unit_user", "viewer", "outsider"])
def test_only_an_admin_over_the_org_creates_units(world, actor):
    with pytest.raises(PermissionDenied):
        services.create_unit(getattr(world, actor), org=world.zone, name="未授权部门")
    assert not Unit.objects.filter(name="未授权部门").exists()


def test_update_unit_records_exactly_the_changed_fields(world):
    services.update_unit(
        world.owner,
        world.unit,
        {"name": "企业服务中心", "phone": "0354-4020000", "is_active": False},
        expected_version=1,
    )
    stored = Unit.objects.get(pk=world.unit.pk)
    assert (stored.phone, stored.is_active, stored.version) == ("0354-4020000", False, 2)
    (event,) = events("unit.update", world.unit)
    assert event.changes == {"phone": ["", "0354-4020000"], "is_active": [True, False]}


def test_renaming_unit_to_a_sibling_name_is_refused_and_nothing_written(world):
    services.create_unit(None, org=world.zone, name="财政局")
    with pytest.raises(ValidationError) as e:
        services.update_unit(
            world.owner, world.unit, {"name": "财政局", "phone": "1", "is_active": True}
        )
    assert "财政局" in refused(e, "name")
    stored = Unit.objects.get(pk=world.unit.pk)
    assert (stored.name, stored.phone, stored.version) == ("企业服务中心", "", 1)
    assert not events("unit.update").exists()


@pytest.mark.parametrize("actor", ["outsider", "member"])
def test_officer_or_other_zone_admin_cannot_edit_zone_a_unit(world, actor):
    with pytest.raises(PermissionDenied):
        services.update_unit(
            getattr(world, actor), world.unit, {"name": "改名", "phone": "", "is_active": True}
        )
    assert Unit.objects.get(pk=world.unit.pk).name == "企业服务中心"


def test_stale_unit_update_raises_conflict_and_keeps_the_first_save(world):
    services.update_unit(
        world.owner,
        world.unit,
        {"name": "企业服务局", "phone": "", "is_active": True},
        expected_version=1,
    )
    fresh_unit = Unit.objects.get(pk=world.unit.pk)

    with pytest.raises(Conflict) as c:
        services.update_unit(
            world.owner,
            fresh_unit,
            {"name": "营商环境服务中心", "phone": "123", "is_active": True},
            expected_version=1,
        )

    assert c.value.changes == {"name": ("营商环境服务中心", "企业服务局"), "phone": ("123", "")}
    stored = Unit.objects.get(pk=world.unit.pk)
    assert (stored.name, stored.phone, stored.version) == ("企业服务局", "", 2)
    assert events("unit.update").count() == 1


# --- teams ------------------------------------------------------------------------------


def test_create_team_records_team_and_its_members(world):
    team = services.create_team(
        world.owner,
        org=world.zone,
        kind=Team.Kind.INVESTMENT,
        name="新材料招商战队",
        chain=" 新材料 ",
        leader=world.owner,
        members=[world.member, world.unit_user],
    )

    stored = Team.objects.get(pk=team.pk)
    assert (stored.kind, stored.chain, stored.leader) == ("investment", "新材料", world.owner)
    assert member_names(team) == ["Member", "Unituser"]
    (created,) = events("team.create", team)
    assert created.changes["leader"] == [None, "Owner"]
    assert created.changes["name"] == [None, "新材料招商战队"]
    (members,) = events("team.members", team)
    assert members.actor == world.owner
    assert members.changes == {"members": [[], ["Member", "Unituser"]]}


def test_team_without_members_records_no_member_event(world):
    team = services.create_team(
        world.owner, org=world.zone, kind=Team.Kind.TASK_FORCE, name="空专班"
    )
    assert events("team.create", team).count() == 1
    assert not events("team.members", team).exists()


def test_team_name_must_be_unique_within_its_org(world):
    with pytest.raises(ValidationError) as e:
        services.create_team(
            world.owner, org=world.zone, kind=Team.Kind.INVESTMENT, name="强伟项目专班"
        )
    assert "强伟项目专班" in refused(e, "name")
    assert Team.objects.filter(name="强伟项目专班").count() == 1


def test_same_team_name_is_allowed_in_another_org(world):
    services.create_team(
        world.outsider, org=world.other_zone, kind=Team.Kind.TASK_FORCE, name="强伟项目专班"
    )
    assert Team.objects.filter(name="强伟项目专班").count() == 2


def test_team_member_from_another_zone_is_refused_on_members(world):
    with pytest.raises(ValidationError) as e:
        services.create_team(
            world.owner,
            org=world.zone,
            kind=Team.Kind.TASK_FORCE,
            name="越界专班",
            members=[world.member, fresh(world.outsider)],
        )
    message = refused(e, "members")
    assert "Outsider" in message and "寿阳经济技术开发区" in message
    assert not Team.objects.filter(name="越界专班").exists()
    assert not events("team.create").filter(target_repr="越界专班").exists()


def test_team_leader_from_another_zone_is_refused_on_leader(world):
    """The message must sit on the field at fault: the leader, not the members."""
    with pytest.raises(ValidationError) as e:
        services.create_team(
            world.owner,
            org=world.zone,
            kind=Team.Kind.TASK_FORCE,
            name="越界专班",
            leader=fresh(world.outsider),
        )
    assert "Outsider" in refused(e, "leader")
    assert not Team.objects.filter(name="越界专班").exists()


def test_team_members_may_hold_roles_at_above_or_below_the_team_node(world):
    park_officer = make_user("parkofficer", world.park, Role.Name.OFFICER)
    team = services.create_team(
        world.owner,
        org=world.zone,
        kind=Team.Kind.TASK_FORCE,
        name="三级专班",
        leader=fresh(world.viewer),  # city, above
        members=[fresh(world.member), fresh(park_officer)],  # at the zone, below it
    )
    assert member_names(team) == ["Member", "Parkofficer"]
    assert Team.objects.get(pk=team.pk).leader == world.viewer


def test_a_user_whose_only_role_is_on_an_inactive_org_cannot_join(world):
    services.update_org(
        None,
        world.other_zone,
        {
            "kind": "zone",
            "name": world.other_zone.name,
            "code": "",
            "stat_code": "",
            "is_active": False,
        },
    )
    with pytest.raises(ValidationError) as e:
        services.create_team(
            None,
            org=world.city,
            kind=Team.Kind.TASK_FORCE,
            name="市级专班",
            members=[fresh(world.outsider)],
        )
    assert "Outsider" in refused(e, "members")


@pytest.mark.parametrize("actor", ["member", "outsider"])
def test_only_an_admin_over_the_org_creates_teams(world, actor):
    with pytest.raises(PermissionDenied):
        services.create_team(
            getattr(world, actor), org=world.zone, kind=Team.Kind.TASK_FORCE, name="未授权专班"
        )
    assert not Team.objects.filter(name="未授权专班").exists()


def test_update_team_audits_data_and_member_changes_separately(world):
    services.update_team(
        world.owner,
        world.team,
        team_data(world.team, chain="造纸", leader=world.owner),
        members=[fresh(world.member), fresh(world.unit_user)],
        expected_version=1,
    )

    stored = Team.objects.get(pk=world.team.pk)
    assert (stored.chain, stored.leader, stored.version) == ("造纸", world.owner, 2)
    (updated,) = events("team.update", world.team)
    assert updated.changes == {"chain": ["", "造纸"], "leader": [None, "Owner"]}
    assert events("team.members", world.team).order_by("-id").first().changes == {
        "members": [["Member"], ["Member", "Unituser"]]
    }


def test_removing_all_members_is_audited(world):
    services.update_team(world.owner, world.team, team_data(world.team), members=[])
    assert member_names(world.team) == []
    latest = events("team.members", world.team).order_by("-id").first()
    assert latest.actor == world.owner
    assert latest.changes == {"members": [["Member"], []]}


def test_unchanged_members_record_no_member_event(world):
    before = events("team.members", world.team).count()
    services.update_team(
        world.owner, world.team, team_data(world.team, chain="造纸"), members=[world.member]
    )
    assert events("team.members", world.team).count() == before
    assert events("team.update", world.team).count() == 1


def test_update_team_without_members_argument_keeps_members(world):
    services.update_team(world.owner, world.team, team_data(world.team, chain="造纸"))
    assert member_names(world.team) == ["Member"]


def test_update_team_refuses_outsider_member_and_keeps_team_as_it_was(world):
    before = events("team.members", world.team).count()
    with pytest.raises(ValidationError) as e:
        services.update_team(
            world.owner,
            world.team,
            team_data(world.team, chain="造纸"),
            members=[fresh(world.member), fresh(world.outsider)],
        )
    assert "Outsider" in refused(e, "members")
    stored = Team.objects.get(pk=world.team.pk)
    assert (stored.chain, stored.version) == ("", 1)
    assert member_names(world.team) == ["Member"]
    assert events("team.members", world.team).count() == before
    assert not events("team.update").exists()


def test_update_team_refuses_duplicate_name(world):
    services.create_team(None, org=world.zone, kind=Team.Kind.INVESTMENT, name="新能源招商战队")
    with pytest.raises(ValidationError) as e:
        services.update_team(world.owner, world.team, team_data(world.team, name="新能源招商战队"))
    assert "新能源招商战队" in refused(e, "name")
    assert Team.objects.get(pk=world.team.pk).name == "强伟项目专班"


def test_stale_team_update_conflicts_and_changes_neither_data_nor_members(world):
    services.update_team(
        world.owner, world.team, team_data(world.team, chain="造纸"), expected_version=1
    )
    before = events("team.members", world.team).count()
    team = Team.objects.get(pk=world.team.pk)

    with pytest.raises(Conflict) as c:
        services.update_team(
            world.owner,
            team,
            team_data(team, chain="包装"),
            members=[fresh(world.unit_user)],
            expected_version=1,
        )

    assert c.value.changes == {"chain": ("包装", "造纸")}
    stored = Team.objects.get(pk=world.team.pk)
    assert (stored.chain, stored.version) == ("造纸", 2)
    assert member_names(world.team) == ["Member"]
    assert events("team.members", world.team).count() == before


def test_other_zone_admin_cannot_edit_zone_a_team(world):
    with pytest.raises(PermissionDenied):
        services.update_team(
            world.outsider, world.team, team_data(world.team, name="被改名"), members=[]
        )
    assert Team.objects.get(pk=world.team.pk).name == "强伟项目专班"
    assert member_names(world.team) == ["Member"]
