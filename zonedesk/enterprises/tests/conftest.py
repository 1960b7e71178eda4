import pytest
from django.test import Client

from zonedesk.orgs.services import create_token


def api_client(user):
    _token, secret = create_token(user, "测试")
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def api_for(db):
    return api_client


@pytest.fixture
def registry(world):
    """Zone A's 强伟 on the 造纸 chain with a contact, a designation expiring in 30 days, a
    project, and funds to the enterprise and to the project; zone B's 亮拓 with its own."""
    import datetime
    from decimal import Decimal
    from types import SimpleNamespace

    from django.utils import timezone

    from zonedesk.enterprises import services
    from zonedesk.projects.services import create_project

    r = SimpleNamespace()
    today = r.today = timezone.localdate()
    services.update_enterprise(None, world.enterprise, {"chain": "造纸", "park": world.park})
    world.enterprise.refresh_from_db()
    r.contact = services.add_contact(
        None,
        world.enterprise,
        name="王建军",
        title="总经理",
        phone="13835400101",
        email="wangjj@qiangwei.example",
        is_primary=True,
    )
    r.designation = services.add_designation(
        None,
        world.enterprise,
        kind="high_tech",
        level="national",
        certificate_no="GR202314000231",
        granted_on=today - datetime.timedelta(days=1000),
        expires_on=today + datetime.timedelta(days=30),
    )
    r.other_designation = services.add_designation(
        None,
        world.other_enterprise,
        kind="tech_sme",
        level="province",
        granted_on=today - datetime.timedelta(days=100),
        expires_on=today + datetime.timedelta(days=10),
    )
    r.project = create_project(
        None,
        org=world.zone,
        name="强伟30万吨生活用纸加工基地项目",
        category="industry",
        nature="new",
        total_investment=Decimal("60000"),
        enterprise=world.enterprise,
        chain="造纸",
        team=world.team,
    )
    r.fund = services.create_fund(
        None,
        enterprise=world.enterprise,
        year=2025,
        source="county",
        policy="重点链主企业发展资金",
        amount=Decimal("2000"),
        purpose="生活用纸加工基地项目建设",
        status="paid",
        paid_on=datetime.date(2025, 6, 30),
    )
    r.project_fund = services.create_fund(
        None, project=r.project, year=2026, source="province", amount=Decimal("800.50")
    )
    r.other_fund = services.create_fund(
        None, enterprise=world.other_enterprise, year=2026, source="city", amount=Decimal("30")
    )
    return r


def read_xlsx(content):
    """The rows of the first sheet of an xlsx file, read back with python-calamine."""
    import io

    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()
