"""A project's life through its services: registration, stages, 入库入统, who may edit it.

Every refusal names the field in Chinese and writes nothing; every accepted change is one
audit event with old → new; a stale version is refused with a Conflict.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.services import Conflict
from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Team
from zonedesk.projects import services
from zonedesk.projects.models import Project

from .conftest import TODAY, events, fresh, make_project, refused, start

CODE = "2023-140725-04-01-000123"


def project_data(world, **changes):
    data = {
        "org": world.zone,
        "name": "强伟30万吨生活用纸加工基地项目",
        "category": Project.Category.INDUSTRY,
        "nature": Project.Nature.NEW,
        "total_investment": Decimal("60000"),
        "team": world.team,
    }
    return data | changes


def refuse_create(actor, data, field):
    """Creating with `data` is refused on `field`, and nothing is written."""
    projects, created = Project.objects.count(), len(events("project.create"))
    with pytest.raises(ValidationError) as e:
        services.create_project(actor, **data)
    assert Project.objects.count() == projects
    assert len(events("project.create")) == created
    return refused(e, field)


# --- registration -------------------------------------------------------------------------


def test_admin_registers_a_project_in_the_reserve_with_one_audit_event(world):
    project = services.create_project(
        world.owner,
        **project_data(
            world,
            project_code=f" {CODE} ",
            park=world.park,
            unit=world.unit,
            enterprise=world.enterprise,
            scale=" 年产30万吨生活用纸 ",
            planned_start=datetime.date(2025, 3, 1),
            planned_completion=datetime.date(2026, 12, 31),
        ),
    )

    stored = fresh(project)
    assert stored.stage == Project.Stage.RESERVE
    assert stored.version == 1
    assert (stored.project_code, stored.scale) == (CODE, "年产30万吨生活用纸")
    assert (stored.park, stored.unit, stored.team) == (world.park, world.unit, world.team)
    (event,) = events("project.create", project)
    assert event.actor == world.owner
    assert event.org == world.zone
    assert event.changes["name"] == [None, "强伟30万吨生活用纸加工基地项目"]
    assert event.changes["total_investment"] == [None, "60000"]
    assert event.changes["project_code"] == [None, CODE]


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_refused_naming_the_name(world, name):
    message = refuse_create(world.owner, project_data(world, name=name), "name")
    assert "项目名称" in message


@pytest.mark.parametrize(
    "code",
    [
        "2023-140725-04-01-12345",  # serial number one digit short
        "20231407250401000123",  # no dashes
        "1989-140725-04-01-000123",  # year out of range
        "2023-999999-04-01-000123",  # no such region
    ],
)
def test_malformed_project_code_is_refused_naming_the_code(world, code):
    message = refuse_create(world.owner, project_data(world, project_code=code), "project_code")
    assert "统一项目代码" in message


def test_project_code_used_in_any_zone_is_refused_naming_its_holder(world):
    make_project(world, org=world.other_zone, team=None, name="亮拓精密铸造项目", project_code=CODE)

    message = refuse_create(world.owner, project_data(world, project_code=CODE), "project_code")

    assert "统一项目代码" in message and "亮拓精密铸造项目" in message


def test_duplicate_name_in_the_zone_is_refused_but_allowed_in_another_zone(world):
    make_project(world, name="中储粮粮食产业园项目")

    message = refuse_create(world.owner, project_data(world, name=" 中储粮粮食产业园项目 "), "name")
    assert "寿阳经济技术开发区" in message and "中储粮粮食产业园项目" in message

    other = make_project(world, org=world.other_zone, team=None, name="中储粮粮食产业园项目")
    assert other.org == world.other_zone


@pytest.mark.parametrize("field", ["total_investment", "annual_output", "annual_tax"])
def test_negative_amount_is_refused_naming_the_amount(world, field):
    message = refuse_create(world.owner, project_data(world, **{field: Decimal("-0.01")}), field)
    assert "负数" in message


def test_missing_total_investment_is_refused(world):
    message = refuse_create(
        world.owner, project_data(world, total_investment=None), "total_investment"
    )
    assert "总投资" in message


def test_park_of_another_zone_is_refused(world):
    foreign_park = orgs.create_org(None, parent=world.other_zone, kind="park", name="精密铸造园")

    message = refuse_create(world.owner, project_data(world, park=foreign_park), "park")

    assert "精密铸造园" in message and "寿阳经济技术开发区" in message


def test_a_node_that_is_not_a_park_is_refused_as_park(world):
    refuse_create(world.owner, project_data(world, park=world.zone), "park")


@pytest.mark.parametrize(
    ("field", "foreign"),
    [
        ("unit", "other_unit"),
        ("agent_unit", "other_unit"),
        ("team", "other_team"),
        ("enterprise", "other_enterprise"),
    ],
)
def test_unit_team_or_enterprise_of_another_zone_is_refused(world, field, foreign):
    value = getattr(world, foreign)

    message = refuse_create(world.owner, project_data(world, **{field: value}), field)

    assert str(value) in message


def test_unit_of_the_county_above_the_zone_is_accepted(world):
    county_unit = orgs.create_unit(None, org=world.county, name="寿阳县发改局")

    project = services.create_project(world.owner, **project_data(world, unit=county_unit))

    assert fresh(project).unit == county_unit


def test_planned_completion_before_planned_start_is_refused(world):
    data = project_data(
        world,
        planned_start=datetime.date(2025, 5, 1),
        planned_completion=datetime.date(2025, 4, 30),
    )
    message = refuse_create(world.owner, data, "planned_completion")
    assert "计划竣工时间" in message

    same_day = project_data(
        world, planned_start=datetime.date(2025, 5, 1), planned_completion=datetime.date(2025, 5, 1)
    )
    assert services.create_project(world.owner, **same_day).planned_completion == datetime.date(
        2025, 5, 1
    )


def test_officer_without_a_task_force_is_told_to_pick_one(world, other_officer):
    message = refuse_create(other_officer, project_data(world, team=None), "team")
    assert "项目专班" in message


def test_officer_with_two_task_forces_is_told_to_pick_one(world):
    orgs.create_team(
        None, org=world.zone, kind=Team.Kind.TASK_FORCE, name="道威储能专班", members=[world.member]
    )

    refuse_create(world.member, project_data(world, team=None), "team")


def test_officer_with_one_task_force_gets_it_and_may_then_edit(world):
    project = services.create_project(world.member, **project_data(world, team=None))

    assert fresh(project).team == world.team
    services.update_project(world.member, project, {"scale": "年产30万吨"})
    assert fresh(project).scale == "年产30万吨"


def test_an_investment_team_membership_does_not_count_as_a_task_force(world):
    orgs.create_team(
        None, org=world.zone, kind=Team.Kind.INVESTMENT, name="造纸招商战队", members=[world.member]
    )

    project = services.create_project(world.member, **project_data(world, team=None))

    assert fresh(project).team == world.team


@pytest.mark.parametrize("who", ["unit_user", "enterprise_user", "viewer", "outsider"])
def test_users_without_a_staff_role_over_the_zone_cannot_register_projects(world, who):
    with pytest.raises(PermissionDenied):
        services.create_project(getattr(world, who), **project_data(world))
    assert not Project.objects.exists()


def test_update_refuses_another_projects_code_and_name_but_keeps_its_own(world):
    make_project(world, name="碳数字经济产业园项目", project_code=CODE)
    project = make_project(world, name="精达丰科技新材料项目")

    with pytest.raises(ValidationError) as e:
        services.update_project(world.owner, project, {"project_code": CODE})
    assert "碳数字经济产业园项目" in refused(e, "project_code")
    with pytest.raises(ValidationError) as e:
        services.update_project(world.owner, fresh(project), {"name": "碳数字经济产业园项目"})
    refused(e, "name")

    services.update_project(world.owner, fresh(project), {"name": "精达丰科技新材料项目"})
    assert fresh(project).version == 1  # nothing changed, nothing written


def test_update_writes_one_event_with_old_and_new(world):
    project = fresh(make_project(world, total_investment=Decimal("8000")))

    services.update_project(world.owner, project, {"total_investment": Decimal("8500.50")})

    assert fresh(project).total_investment == Decimal("8500.50")
    assert fresh(project).version == 2
    (event,) = events("project.update", project)
    assert event.changes == {"total_investment": ["8000.00", "8500.50"]}


# --- stages -------------------------------------------------------------------------------


def test_stages_advance_with_their_dates_each_one_audit_event(world, clock):
    project = make_project(world)
    steps = [
        ("signed", "signed_on", datetime.date(2025, 1, 10)),
        ("started", "started_on", datetime.date(2025, 3, 1)),
        ("completed", "completed_on", datetime.date(2025, 6, 30)),
        ("operating", "operating_on", TODAY),
    ]
    previous = "reserve"
    for stage, field, on in steps:
        before = len(events())

        services.change_stage(world.member, project, stage, on=on)

        stored = fresh(project)
        assert (stored.stage, getattr(stored, field)) == (stage, on)
        (event,) = events()[before:]
        assert event.action == "project.stage"
        assert event.actor == world.member
        assert event.changes == {"stage": [previous, stage], field: [None, on.isoformat()]}
        previous = stage


def test_each_stage_needs_its_date_named_in_the_message(world, clock):
    project = make_project(world)

    with pytest.raises(ValidationError) as e:
        services.change_stage(world.owner, project, "signed", on=None)

    assert "签约日期" in refused(e, "on")
    assert fresh(project).stage == Project.Stage.RESERVE
    assert not events("project.stage")


def test_a_date_in_the_future_is_refused_and_today_is_accepted(world, clock):
    project = make_project(world)

    with pytest.raises(ValidationError) as e:
        services.change_stage(world.owner, project, "signed", on=TODAY + datetime.timedelta(days=1))
    assert "今天" in refused(e, "on")

    services.change_stage(world.owner, project, "signed", on=TODAY)
    assert fresh(project).signed_on == TODAY


def test_a_stage_cannot_go_back(world, clock):
    project = start(make_project(world), datetime.date(2025, 3, 1))

    with pytest.raises(ValidationError) as e:
        services.change_stage(world.owner, project, "signed", on=datetime.date(2025, 4, 1))

    assert "退回" in refused(e, "stage")
    assert fresh(project).stage == Project.Stage.STARTED


def test_changing_to_the_current_stage_is_refused(world, clock):
    project = start(make_project(world), datetime.date(2025, 3, 1))

    with pytest.raises(ValidationError) as e:
        services.change_stage(world.owner, project, "started", on=datetime.date(2025, 4, 1))

    refused(e, "stage")
    assert fresh(project).started_on == datetime.date(2025, 3, 1)


def test_a_stage_date_before_an_earlier_stage_is_refused(world, clock):
    project = make_project(world)
    services.change_stage(world.owner, project, "signed", on=datetime.date(2025, 5, 1))

    with pytest.raises(ValidationError) as e:
        services.change_stage(world.owner, project, "started", on=datetime.date(2025, 4, 30))

    refused(e, "on")
    assert fresh(project).stage == Project.Stage.SIGNED


@pytest.mark.parametrize("stage", ["completed", "operating"])
def test_completing_or_operating_without_a_start_is_refused(world, clock, stage):
    project = make_project(world)
    services.change_stage(world.owner, project, "signed", on=datetime.date(2025, 1, 10))

    with pytest.raises(ValidationError) as e:
        services.change_stage(world.owner, project, stage, on=datetime.date(2025, 6, 1))

    assert "开工" in refused(e, "stage")
    assert fresh(project).stage == Project.Stage.SIGNED


def test_operating_straight_from_started_records_the_completion_date(world, clock):
    project = start(make_project(world), datetime.date(2025, 3, 1))

    services.change_stage(world.owner, project, "operating", on=datetime.date(2025, 7, 1))

    stored = fresh(project)
    assert (stored.completed_on, stored.operating_on) == (datetime.date(2025, 7, 1),) * 2


def test_cancelling_needs_a_reason(world, clock):
    project = make_project(world)

    with pytest.raises(ValidationError) as e:
        services.change_stage(world.owner, project, "cancelled", reason="  ")

    assert "原因" in refused(e, "cancel_reason")
    assert fresh(project).stage == Project.Stage.RESERVE


def test_cancelling_with_a_reason_records_it_in_one_event(world, clock):
    project = start(make_project(world), datetime.date(2025, 3, 1))
    before = len(events())

    services.change_stage(world.owner, project, "cancelled", reason=" 企业资金链断裂 ")

    stored = fresh(project)
    assert (stored.stage, stored.cancel_reason) == ("cancelled", "企业资金链断裂")
    (event,) = events()[before:]
    assert event.action == "project.stage"
    assert event.changes == {
        "stage": ["started", "cancelled"],
        "cancel_reason": ["", "企业资金链断裂"],
    }


def test_a_cancelled_project_cannot_be_revived(world, clock):
    project = make_project(world)
    services.change_stage(world.owner, project, "cancelled", reason="选址调整")

    with pytest.raises(ValidationError) as e:
        services.change_stage(world.owner, project, "signed", on=datetime.date(2025, 1, 10))

    refused(e, "stage")
    assert fresh(project).stage == Project.Stage.CANCELLED


def test_an_operating_project_cannot_be_cancelled(world, clock):
    project = start(make_project(world), datetime.date(2025, 3, 1))
    services.change_stage(world.owner, project, "operating", on=datetime.date(2025, 7, 1))

    with pytest.raises(ValidationError) as e:
        services.change_stage(world.owner, project, "cancelled", reason="停产")

    assert "投产" in refused(e, "stage")
    assert fresh(project).stage == Project.Stage.OPERATING


# --- 入库入统 --------------------------------------------------------------------------------


def test_registering_stats_before_the_start_is_refused(world, clock):
    project = make_project(world)

    with pytest.raises(ValidationError) as e:
        services.register_stats(world.owner, project, on=datetime.date(2025, 4, 1))

    assert "开工" in refused(e, "stats_registered")
    assert not fresh(project).stats_registered


@pytest.mark.parametrize(
    ("total", "accepted"), [(Decimal("499.99"), False), (Decimal("500.00"), True)]
)
def test_only_projects_of_500_wan_or_more_are_registered(world, clock, total, accepted):
    project = start(make_project(world, total_investment=total), datetime.date(2025, 3, 1))

    if accepted:
        services.register_stats(world.owner, project, on=datetime.date(2025, 3, 1))
        assert fresh(project).stats_registered
    else:
        with pytest.raises(ValidationError) as e:
            services.register_stats(world.owner, project, on=datetime.date(2025, 3, 1))
        assert "500万元" in refused(e, "stats_registered")
        assert not fresh(project).stats_registered


@pytest.mark.parametrize(
    "on",
    [datetime.date(2025, 2, 28), TODAY + datetime.timedelta(days=1), None],
    ids=["before-start", "after-today", "missing"],
)
def test_registration_date_must_lie_between_start_and_today(world, clock, on):
    project = start(make_project(world), datetime.date(2025, 3, 1))

    with pytest.raises(ValidationError) as e:
        services.register_stats(world.owner, project, on=on)

    assert "入库日期" in refused(e, "stats_registered_on")
    assert not fresh(project).stats_registered


def test_registration_on_start_day_and_today_are_accepted(world, clock):
    first = start(make_project(world), datetime.date(2025, 3, 1))
    second = start(make_project(world), datetime.date(2025, 3, 1))

    services.register_stats(world.owner, first, on=datetime.date(2025, 3, 1))
    services.register_stats(world.owner, second, on=TODAY)

    assert fresh(first).stats_registered_on == datetime.date(2025, 3, 1)
    assert fresh(second).stats_registered_on == TODAY


def test_a_project_is_registered_only_once_with_one_event(world, clock):
    project = start(make_project(world), datetime.date(2025, 3, 1))
    services.register_stats(world.owner, project, on=datetime.date(2025, 4, 1))

    with pytest.raises(ValidationError) as e:
        services.register_stats(world.owner, project, on=datetime.date(2025, 5, 1))

    assert "2025-04-01" in refused(e, "stats_registered")
    assert fresh(project).stats_registered_on == datetime.date(2025, 4, 1)
    (event,) = events("project.stats", project)
    assert event.changes == {
        "stats_registered": [False, True],
        "stats_registered_on": [None, "2025-04-01"],
    }


# --- who may edit -------------------------------------------------------------------------


EDITS = {
    "update": lambda actor, p: services.update_project(actor, p, {"scale": "年产10万吨"}),
    "stage": lambda actor, p: services.change_stage(
        actor, p, "signed", on=datetime.date(2025, 1, 10)
    ),
    "plan": lambda actor, p: services.set_year_plan(
        actor, p, year=2025, planned_investment=Decimal("1000")
    ),
    "progress": lambda actor, p: services.file_progress(
        actor, p, period=datetime.date(2025, 7, 1), invested=Decimal("10"), progress="基础施工"
    ),
    "approval": lambda actor, p: services.add_approval_step(
        actor, p, kind="filing", committed_days=5
    ),
}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("who", ["member", "owner"])
def test_task_force_officer_and_admin_may_edit(world, clock, who, edit):
    project = make_project(world)

    EDITS[edit](getattr(world, who), project)

    assert events()[-1].actor == getattr(world, who)


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize(
    "who", ["other_officer", "leader", "outsider", "unit_user", "enterprise_user", "viewer"]
)
def test_others_may_not_edit(world, clock, request, who, edit):
    actor = getattr(world, who) if hasattr(world, who) else request.getfixturevalue(who)
    project = make_project(world)
    before = len(events())

    with pytest.raises(PermissionDenied):
        EDITS[edit](actor, project)

    stored = fresh(project)
    assert (stored.version, stored.stage, stored.scale) == (1, "reserve", "")
    assert not stored.year_plans.exists() and not stored.reports.exists()
    assert len(events()) == before


def test_officer_loses_edit_rights_when_the_project_moves_to_another_task_force(world):
    project = make_project(world)
    other = orgs.create_team(None, org=world.zone, kind=Team.Kind.TASK_FORCE, name="道威储能专班")
    services.update_project(world.owner, project, {"team": other})

    with pytest.raises(PermissionDenied):
        services.update_project(world.member, fresh(project), {"scale": "200MW"})


def test_a_project_without_a_task_force_is_editable_by_admins_only(world):
    project = make_project(world, team=None)

    with pytest.raises(PermissionDenied):
        services.update_project(world.member, project, {"scale": "200MW"})
    services.update_project(world.owner, project, {"scale": "200MW"})
    assert fresh(project).scale == "200MW"


def test_province_admin_may_edit_projects_of_every_zone_beneath(world):
    from zonedesk.conftest import make_user
    from zonedesk.orgs.models import Role

    province_admin = make_user("shengadmin", world.province, Role.Name.ADMIN)
    project = make_project(world, org=world.other_zone, team=None)

    services.update_project(province_admin, project, {"scale": "一期"})

    assert fresh(project).scale == "一期"


# --- two people at once -------------------------------------------------------------------


def test_stale_update_raises_conflict_and_keeps_the_first_change(world):
    project = make_project(world)
    mine, theirs = fresh(project), fresh(project)
    services.update_project(world.member, theirs, {"scale": "年产30万吨"})

    with pytest.raises(Conflict) as e:
        services.update_project(world.owner, mine, {"scale": "年产20万吨"})

    assert e.value.changes == {"scale": ("年产20万吨", "年产30万吨")}
    stored = fresh(project)
    assert (stored.scale, stored.version) == ("年产30万吨", 2)
    assert len(events("project.update", project)) == 1


def test_explicit_stale_version_raises_conflict(world, clock):
    project = make_project(world)
    services.update_project(world.owner, project, {"scale": "一期"})  # now version 2

    with pytest.raises(Conflict):
        services.update_project(world.owner, project, {"scale": "二期"}, expected_version=1)
    with pytest.raises(Conflict):
        services.change_stage(
            world.owner, project, "signed", on=datetime.date(2025, 1, 10), expected_version=1
        )

    stored = fresh(project)
    assert (stored.scale, stored.stage, stored.version) == ("一期", "reserve", 2)


def test_current_version_is_accepted(world, clock):
    project = make_project(world)

    services.change_stage(
        world.owner, project, "signed", on=datetime.date(2025, 1, 10), expected_version=1
    )

    assert fresh(project).version == 2
