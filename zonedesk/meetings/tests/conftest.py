"""Fixtures for the meetings tests, on top of the shared `world` of zonedesk/conftest.py.

`clock` (zonedesk/conftest.py) pins `timezone.localdate()` to Friday 2025-08-15: a weekly
meeting then reads the figures of July 2025 (reports due 5 August). `agenda_data` builds,
through each app's services, one thing of every kind the agenda lists in zone A, a green
project that must not be listed, and a red project in zone B that zone A's agenda must not
show.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from zonedesk.audit.models import AuditEvent
from zonedesk.conftest import TODAY, Clock, make_user
from zonedesk.leads import services as leads
from zonedesk.leads.models import Lead
from zonedesk.meetings import services
from zonedesk.orgs.models import Role, Team
from zonedesk.orgs.services import create_team, create_token
from zonedesk.projects import services as projects
from zonedesk.projects.models import Project
from zonedesk.projects.tests.conftest import leader  # noqa: F401  (fixture)
from zonedesk.supervision.services import raise_blocker

YEAR = TODAY.year
HELD_AT = datetime.datetime(2025, 8, 18, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RED, YELLOW, GREEN = "焦化余热发电红色项目", "纸浆扩产黄色项目", "包装纸绿色项目"
LATE, OTHER_RED = "集中供热月报逾期项目", "太谷铸造红色项目"
OVERDUE, NOT_DUE = "电力线路迁改逾期未办结", "施工用水接入尚未到期"
IDLE, ACTIVE_LEAD = "特种纸浆线索一个月无进展", "数据中心线索近期拜访"


@pytest.fixture
def other_unit_user(world):
    from zonedesk.orgs.services import create_unit

    unit = create_unit(None, org=world.zone, name="自然资源所")
    user = make_user("ziranziyuan", world.zone, Role.Name.UNIT, unit=unit)
    user.unit = unit
    return user


def project(org, name, *, plan=None, invested=None, started=True, **fields):
    """A project started on 10 January with a plan and one March report, filed on time."""
    data = {
        "category": Project.Category.INDUSTRY,
        "nature": Project.Nature.NEW,
        "total_investment": Decimal("10000"),
    } | fields
    p = projects.create_project(None, org=org, name=name, **data)
    if started:
        projects.change_stage(None, p, "started", on=datetime.date(YEAR, 1, 10))
    if plan is not None:
        projects.set_year_plan(None, p, year=YEAR, planned_investment=Decimal(plan))
    if invested is not None:
        file(p, 3, invested)
    return p


def file(p, month, invested, on=None):
    """File a report as of `on` (by default the 1st of the next month: on time)."""
    saved = timezone.localdate
    on = on or datetime.date(YEAR, month + 1, 1)
    timezone.localdate = Clock(on)
    try:
        return projects.file_progress(
            None,
            p,
            period=datetime.date(YEAR, month, 1),
            invested=Decimal(invested),
            progress=f"{month}月主体施工",
        )
    finally:
        timezone.localdate = saved


def lead(team, name, created_on, **fields):
    return leads.create_lead(
        None,
        org=team.org,
        confirmed=True,
        created_on=created_on,
        team=team,
        name=name,
        investor=f"{name}投资方",
        estimated_investment=Decimal("20000"),
        source=Lead.Source.BY_BUSINESS,
        next_step="洽谈",
        next_step_on=TODAY + datetime.timedelta(days=7),
        **fields,
    )


@pytest.fixture
def agenda_data(world, clock):
    """Zone A: red (10% of plan by July), yellow (45%), green (70%, July filed on time),
    a project whose July report is missing with an approval step past its committed days,
    an open lead idle since June and one visited last week, a blocker overdue since 8 August
    and one not yet due. Zone B: a red project."""
    red = project(world.zone, RED, plan="1000", invested="100", unit=world.unit)
    yellow = project(world.zone, YELLOW, plan="1000", invested="450")
    green = project(world.zone, GREEN, plan="1000", invested="650")
    file(green, 7, "50")
    late = project(world.zone, LATE, plan="1000", invested="700")
    step = projects.add_approval_step(
        None,
        late,
        kind="construction",
        title="施工许可",
        status="active",
        committed_days=5,
        started_on=datetime.date(YEAR, 7, 1),
        unit=world.unit,
    )
    projects.add_approval_step(
        None,
        green,
        kind="eia",
        title="环评批复",
        status="active",
        committed_days=20,
        started_on=datetime.date(YEAR, 8, 11),
    )
    other_red = project(world.other_zone, OTHER_RED, plan="1000", invested="10")
    team = create_team(None, org=world.zone, kind=Team.Kind.INVESTMENT, name="造纸招商战队")
    idle = lead(team, IDLE, datetime.date(YEAR, 6, 1))
    active = lead(team, ACTIVE_LEAD, datetime.date(YEAR, 6, 1))
    leads.add_visit(
        None,
        org=world.zone,
        team=team,
        lead=active,
        kind="call",
        date=datetime.date(YEAR, 8, 10),
        place="北京",
        participants="招商局",
    )
    clock.today = datetime.date(YEAR, 8, 1)
    overdue = raise_blocker(
        None,
        org=world.zone,
        title=OVERDUE,
        description="110千伏线路迁改影响施工",
        unit=world.unit,
        leader=None,
        deadline=datetime.date(YEAR, 8, 8),
        project=red,
    )
    raise_blocker(
        None,
        org=world.zone,
        title=NOT_DUE,
        description="",
        unit=world.unit,
        leader=None,
        deadline=datetime.date(YEAR, 8, 29),
    )
    clock.today = TODAY
    return SimpleNamespace(
        overdue=overdue,
        red=red,
        yellow=yellow,
        green=green,
        late=late,
        step=step,
        other_red=other_red,
        idle=idle,
        active=active,
        team=team,
    )


def weekly(world, actor=None, **over):
    data = {
        "org": world.zone,
        "kind": "weekly",
        "title": "第33周项目调度会",
        "held_at": HELD_AT,
        "place": "管委会三楼会议室",
        "attendees": "管委会主任、各部门负责人",
    } | over
    return services.create_meeting(actor, **data)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def events(action=None, obj=None):
    qs = AuditEvent.objects.order_by("id")
    if action is not None:
        qs = qs.filter(action=action)
    if obj is not None:
        qs = qs.filter(
            target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            target_id=str(obj.pk),
        )
    return list(qs)


def api_client(user):
    _token, secret = create_token(user, "测试")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    client.raise_request_exception = False
    return client
