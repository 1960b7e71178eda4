"""A seeded world for the period documents, on top of the shared `world` of conftest.py.

Today is pinned to 15 August 2025 (July's reports were due on the 5th). Zone A (寿阳):
  green   — 强伟 paper: plan 2000, started in March, 1200 invested by July;
  yellow  — 道威 storage: plan 2000, started in May, 700 invested (35% against 58.33%);
  red     — a project named like a formula and markup, planned for June, nothing invested;
  old     — a continuing project with a plan and investment in 2024 and in 2025;
  one approval done on time in July, one overdue since June; an investment team with a
  2025 target, a lead signed in July 2025 and one in July 2024.
Zone B (太谷): one started project with a plan. A third zone under zone A's county has no
projects at all.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from zonedesk.conftest import make_user
from zonedesk.leads import services as leads
from zonedesk.leads.models import Lead
from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Role, Team
from zonedesk.projects import services
from zonedesk.projects.models import ApprovalStep, Project

YEAR, MONTH = 2025, 7
EVIL = '=HYPERLINK("http://evil.example")<w:t>项目</w:t>\x0b'


@pytest.fixture(autouse=True)
def default_language():
    """A request in English leaves English active in the thread: start and end in Chinese."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def d(year, month, day=1):
    return datetime.date(year, month, day)


def project(org, name, *, plan=None, start_month=None, started_on=None, reports=(), **fields):
    data = {
        "category": Project.Category.INDUSTRY,
        "nature": Project.Nature.NEW,
        "total_investment": Decimal("10000"),
    } | fields
    p = services.create_project(None, org=org, name=name, **data)
    if started_on:
        services.change_stage(None, p, Project.Stage.SIGNED, on=started_on)
        services.change_stage(None, p, Project.Stage.STARTED, on=started_on)
    for year, amount in (plan or {}).items() if isinstance(plan, dict) else []:
        services.set_year_plan(
            None, p, year=year, planned_investment=Decimal(amount), planned_start_month=start_month
        )
    for (year, month), invested in dict(reports).items():
        services.file_progress(
            None, p, period=d(year, month), invested=Decimal(invested), progress="主体施工"
        )
    return p


@pytest.fixture
def seeded(world, clock):
    s = SimpleNamespace(world=world)
    s.green = project(
        world.zone,
        "强伟生活用纸项目",
        plan={YEAR: 2000},
        start_month=3,
        started_on=d(YEAR, 3, 8),
        reports={(YEAR, 3): 400, (YEAR, 5): 400, (YEAR, 7): 400},
        total_investment=Decimal("52000"),
    )
    s.yellow = project(
        world.zone,
        "道威共享储能电站",
        plan={YEAR: 2000},
        start_month=5,
        started_on=d(YEAR, 5, 20),
        reports={(YEAR, 6): 700},
        total_investment=Decimal("125000.55"),
    )
    s.red = project(world.zone, EVIL, plan={YEAR: 1000}, start_month=6)
    s.old = project(
        world.zone,
        "奥泰精细化工续建",
        nature=Project.Nature.CONTINUING,
        plan={YEAR - 1: 800, YEAR: 1000},
        started_on=d(YEAR - 1, 4, 10),
        reports={(YEAR - 1, 7): 300, (YEAR, 1): 500},
    )
    s.other = project(
        world.other_zone,
        "亮拓精密铸造",
        plan={YEAR: 1000},
        start_month=2,
        started_on=d(YEAR, 2, 1),
        reports={(YEAR, 2): 900},
    )
    s.empty_zone = orgs.create_org(None, parent=world.county, kind="zone", name="寿阳新区")

    services.add_approval_step(
        None,
        s.green,
        kind=ApprovalStep.Kind.CONSTRUCTION,
        committed_days=5,
        status=ApprovalStep.Status.DONE,
        started_on=d(YEAR, 7, 1),
        done_on=d(YEAR, 7, 4),
        unit=world.unit,
    )
    services.add_approval_step(
        None,
        s.yellow,
        kind=ApprovalStep.Kind.EIA,
        committed_days=10,
        status=ApprovalStep.Status.ACTIVE,
        started_on=d(YEAR, 6, 2),
    )

    s.team = orgs.create_team(
        None, org=world.zone, kind=Team.Kind.INVESTMENT, name="造纸产业链招商战队"
    )
    leads.set_target(None, s.team, year=YEAR, amount=Decimal("72000"), count=3)
    s.signed = _signed_lead(s.team, "华润风电二期", "华润新能源投资", d(YEAR, 7, 10), "5000")
    s.signed_last_year = _signed_lead(
        s.team, "晋中光伏组件", "隆基绿能科技", d(YEAR - 1, 7, 5), "2000"
    )

    s.leader = make_user("leader", world.zone, Role.Name.LEADER)
    s.statistician = make_user("tongji", world.zone, Role.Name.STATISTICIAN)
    s.county_leader = make_user("xianzhang", world.county, Role.Name.LEADER)
    s.city_leader = make_user("shizhang", world.city, Role.Name.LEADER)
    return s


def _signed_lead(team, name, investor, on, amount):
    lead = leads.create_lead(
        None,
        org=team.org,
        confirmed=True,
        created_on=on - datetime.timedelta(days=30),
        team=team,
        name=name,
        investor=investor,
        estimated_investment=Decimal(amount),
        source=Lead.Source.BY_BUSINESS,
        next_step="签订投资协议",
        next_step_on=on,
    )
    leads.sign(None, lead, amount=Decimal(amount), on=on)
    return lead
