"""Projects for the page, API and browser tests, built through zonedesk.projects.services
(actor None = the system), on top of the shared `world` of zonedesk/conftest.py.

Import explicitly: `from zonedesk.projects.tests.fixtures import projects, ...`.

Zone A (寿阳):
  a  — 强伟 paper project: task force `world.team`, unit `world.unit`, enterprise
       `world.enterprise`, started, year plan for the reporting year, monthly reports for
       every month of that year before the reporting month (the reporting month is unfiled),
       one approval step;
  b  — heating network: no task force, `world.unit` as agent unit (代办单位), signed;
  c  — school: nothing attached, reserve.
Zone B (太谷):
  other — 亮拓 casting project with a plan and a report.
"""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zonedesk.projects import selectors, services
from zonedesk.projects.models import Project

CODE_A = "2023-140725-22-03-000123"
PLAN_A = Decimal("12000.00")
MONTHLY_A = Decimal("1000.00")


def png_bytes(size=(64, 48), color=(30, 120, 200)):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def png_upload(name="site.png", **kw):
    return SimpleUploadedFile(name, png_bytes(**kw), content_type="image/png")


def make_project(org, name, **fields):
    data = {
        "category": Project.Category.INDUSTRY,
        "nature": Project.Nature.NEW,
        "total_investment": Decimal("1000"),
    } | fields
    return services.create_project(None, org=org, name=name, **data)


def start(project, on):
    services.change_stage(None, project, Project.Stage.STARTED, on=on)
    return project


def report(project, year, month, invested, progress=None, **kw):
    return services.file_progress(
        None,
        project,
        period=datetime.date(year, month, 1),
        invested=Decimal(invested),
        progress=progress or f"{month}月主体施工",
        **kw,
    )


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def projects(world):
    year, month = selectors.default_period()
    a = make_project(
        world.zone,
        "强伟纸业年产35万吨高档包装纸项目",
        project_code=CODE_A,
        total_investment=Decimal("68000"),
        team=world.team,
        unit=world.unit,
        enterprise=world.enterprise,
        park=world.park,
        chain="造纸",
        scale="年产35万吨",
        is_provincial=True,
    )
    start(a, datetime.date(year, 1, 10))
    services.set_year_plan(None, a, year=year, planned_investment=PLAN_A)
    for m in range(1, month):
        report(a, year, m, MONTHLY_A)
    step = services.add_approval_step(
        None, a, kind="filing", status="pending", committed_days=5, title="立项备案"
    )

    b = make_project(
        world.zone,
        "寿阳县城区集中供热管网改造项目",
        category=Project.Category.INFRASTRUCTURE,
        nature=Project.Nature.RENOVATION,
        total_investment=Decimal("5200"),
        agent_unit=world.unit,
    )
    services.change_stage(None, b, Project.Stage.SIGNED, on=datetime.date(year, 1, 5))
    c = make_project(
        world.zone,
        "寿阳县第二中学迁建项目",
        category=Project.Category.LIVELIHOOD,
        total_investment=Decimal("3000"),
    )

    other = make_project(
        world.other_zone,
        "亮拓精密铸造扩建项目",
        nature=Project.Nature.EXPANSION,
        total_investment=Decimal("26000"),
        enterprise=world.other_enterprise,
    )
    start(other, datetime.date(year, 1, 15))
    services.set_year_plan(None, other, year=year, planned_investment=Decimal("8000"))
    report(other, year, 1, "700")

    return SimpleNamespace(
        a=fresh(a), b=fresh(b), c=fresh(c), other=fresh(other), step=step, year=year, month=month
    )


def add_projects(org, n, year, month, prefix="批量项目", **fields):
    """`n` more started projects in `org`, each with a year plan and a report for `month`."""
    made = []
    for i in range(n):
        p = make_project(org, f"{prefix}{i:03d}", total_investment=Decimal(1000 + i), **fields)
        start(p, datetime.date(year, 1, 1))
        services.set_year_plan(None, p, year=year, planned_investment=Decimal("1200"))
        report(p, year, month, "100")
        made.append(p)
    return made


RED, YELLOW, GREEN, NOPLAN = (
    "红色预警示范项目",
    "黄色预警示范项目",
    "绿色正常示范项目",
    "未列计划储备项目",
)
CODE_GREEN = "2024-140725-30-01-000001"


@pytest.fixture
def warnings(world, projects):
    """Last year's plan in zone A, read as of December (every month closed, whatever today is):
    plan 1000 each; invested 100 (red: 10% against 时序 100%), 850 (yellow) and 950 (green);
    one reserve project without plan. Filter with `year=<ly>&month=12`."""
    ly = projects.year - 1
    made = {}
    for name, invested, extra in [
        (
            RED,
            "100",
            {"is_provincial": True, "chain": "新材料", "total_investment": Decimal("9000")},
        ),
        (YELLOW, "850", {"is_municipal": True, "total_investment": Decimal("7000")}),
        (
            GREEN,
            "950",
            {
                "enterprise": world.enterprise,
                "project_code": CODE_GREEN,
                "total_investment": Decimal("8000"),
            },
        ),
    ]:
        p = make_project(world.zone, name, **extra)
        start(p, datetime.date(ly, 1, 1))
        services.set_year_plan(None, p, year=ly, planned_investment=Decimal("1000"))
        report(p, ly, 3, invested)
        made[name] = fresh(p)
    made[NOPLAN] = make_project(world.zone, NOPLAN, total_investment=Decimal("600"))
    return SimpleNamespace(year=ly, month=12, by_name=made, query=f"year={ly}&month=12")
