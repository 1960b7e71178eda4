"""Fixtures for the leads tests, on top of the shared `world` of zonedesk/conftest.py.

Zone A (寿阳) gets two investment teams (招商战队), each with its own promoter (招商员):
`paper` (造纸, promoter `zhaoshang`) and `digital` (数字经济, promoter `zhaoshang2`), and a
zone leader. Zone B's investment team is `world.other_team`.

`clock` (zonedesk/conftest.py) pins `timezone.localdate()` — the only "today" the lead
services, selectors and views use — to TODAY, so date checks and default periods are
deterministic.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from zonedesk.audit.models import AuditEvent
from zonedesk.conftest import TODAY, make_user
from zonedesk.leads import services
from zonedesk.leads.models import Lead
from zonedesk.orgs.models import Role, Team
from zonedesk.orgs.services import create_team, create_token

# TODAY is a Friday in mid-August; the default leaderboard period is then 2025-07.
YEAR = TODAY.year
_numbers = itertools.count(1)


@pytest.fixture
def promoter(world):
    return make_user("zhaoshang", world.zone, Role.Name.PROMOTER)


@pytest.fixture
def promoter2(world):
    return make_user("zhaoshang2", world.zone, Role.Name.PROMOTER)


@pytest.fixture
def leader(world):
    return make_user("leader", world.zone, Role.Name.LEADER)


@pytest.fixture
def paper(world, promoter):
    return create_team(
        None,
        org=world.zone,
        kind=Team.Kind.INVESTMENT,
        name="造纸产业链招商战队",
        chain="造纸",
        members=[promoter],
    )


@pytest.fixture
def digital(world, promoter2):
    return create_team(
        None,
        org=world.zone,
        kind=Team.Kind.INVESTMENT,
        name="数字经济招商战队",
        chain="数字经济",
        members=[promoter2],
    )


# Two of these and a fixed tail make investor names that never look alike to each other
# (at most 3 of 8 characters in common) nor to any real company name in these tests.
POOL = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土风云雷电松柏梅兰竹菊琴棋书画"


def unique_investor(n):
    n %= len(POOL) ** 2
    return f"{POOL[n // len(POOL)]}{POOL[n % len(POOL)]}创投"


def lead_fields(team, **over):
    """Everything a lead needs, with an investor name unlike any other in the world."""
    n = next(_numbers)
    return {
        "team": team,
        "name": f"测试招商项目{n}",
        "investor": unique_investor(n),
        "estimated_investment": Decimal("10000"),
        "source": Lead.Source.BY_BUSINESS,
        "next_step": "洽谈投资协议",
        "next_step_on": TODAY + datetime.timedelta(days=7),
    } | over


def make_lead(team, org=None, actor=None, **over):
    """A lead of `team`'s zone, created by the system (or `actor`), look-alikes waived."""
    fields = lead_fields(team, **over)
    fields.setdefault("confirmed", True)
    return services.create_lead(actor, org=org or team.org, **fields)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def refused(exc_info, field):
    """The messages of a ValidationError for `field`, failing if another field is named."""
    errors = exc_info.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


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


@pytest.fixture
def new_events():
    """The events written after this fixture was set up, oldest first."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return lambda: list(AuditEvent.objects.filter(id__gt=last).order_by("id"))


def api_client(user):
    _token, secret = create_token(user, "测试")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    client.raise_request_exception = False
    return client


# Contacts of the standard leads below, and what a reader without the right sees.
PAPER_CONTACT = ("王经理", "13835400001")
PAPER_MASKED = ("王**", "138****0001")
DIGITAL_CONTACT = ("赵总", "13801000005")
DIGITAL_MASKED = ("赵*", "138****0005")
OTHER_CONTACT = ("钱主任", "13903540099")


@pytest.fixture
def leads(world, clock, paper, digital):
    """One negotiating lead per zone-A team (with contacts) and one in zone B."""
    from types import SimpleNamespace

    def negotiating(team, name, investor, contact):
        lead = make_lead(
            team,
            name=name,
            investor=investor,
            created_on=datetime.date(YEAR, 1, 10),
            contact_name=contact[0],
            contact_phone=contact[1],
            park=world.park if team.org_id == world.zone.pk else None,
            land_need="约150亩",
            chain=team.chain,
        )
        services.advance(None, lead, "contacting", on=datetime.date(YEAR, 2, 1))
        services.advance(None, lead, "negotiating", on=datetime.date(YEAR, 3, 1))
        return fresh(lead)

    return SimpleNamespace(
        paper=negotiating(paper, "鑫程新材料特种纸项目", "广东鑫程新材料有限公司", PAPER_CONTACT),
        digital=negotiating(
            digital, "丰越供应链智慧物流园", "北京丰越供应链管理有限公司", DIGITAL_CONTACT
        ),
        other=negotiating(
            world.other_team, "太谷精密铸件配套项目", "河北瑞德铸业有限公司", OTHER_CONTACT
        ),
    )


def read_xlsx(content):
    """The rows of the first sheet of an xlsx file, read back with python-calamine."""
    import io

    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


EXPORT_HEADERS = [
    "序号",
    "项目名称",
    "投资方",
    "固定资产投资（万元）",
    "投资方简介",
    "项目内容",
    "需用土地",
    "企业联系人",
    "联系方式",
    "片区",
    "进度、备注",
    "产业类型",
    "研判结果",
]


def export_rows(client, **params):
    """The 在谈项目 export as dicts keyed by its Chinese headers (title and header rows off)."""
    response = client.get("/leads/export.xlsx", params)
    assert response.status_code == 200, response.status_code
    rows = read_xlsx(response.content)
    assert rows[1] == EXPORT_HEADERS
    return [dict(zip(EXPORT_HEADERS, row, strict=False)) for row in rows[2:]]
