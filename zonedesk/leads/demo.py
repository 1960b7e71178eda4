"""Demo leads, visits and targets for 寿阳经开区's investment teams.

Targets total 72 亿元 and signings 76.64 亿元, so the zone's 签约完成率 reads 106.44%.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from zonedesk.orgs.models import Org, Team, User

from . import services
from .models import Lead

S = Lead.Source
PAPER, DIGITAL = "造纸产业链招商战队", "数字经济招商战队"
TARGETS = {PAPER: ("420000", 8, 60), DIGITAL: ("300000", 6, 50)}
# fmt: off
# team, name, investor, origin, chain, estimate 万元, source, land, stage, signed 万元, contact
LEADS = [
    (PAPER, "强伟生活用纸加工项目二期", "山西强伟纸业有限公司", "山西", "造纸", "176400", S.BY_BUSINESS, "约150亩", "signed", "176400", ("王经理", "13835400001")),
    (PAPER, "鑫程新材料特种纸项目", "广东省东莞市鑫程新材料有限公司", "广东", "造纸", "270000", S.CHAIN, "约300亩", "signed", "270000", ("陈总", "13925600002")),
    (PAPER, "欧丽华高端纸基新材料项目", "欧丽华集团", "法国", "造纸", "50000", S.FAIR, "约80亩", "negotiating", None, ("Li Hua", "+33 1 4000 0003")),
    (PAPER, "神农科技秸秆制浆项目", "神农科技集团有限公司", "山西", "造纸", "20000", S.DOOR_TO_DOOR, "约60亩", "contacting", None, ("刘主任", "13903540004")),
    (DIGITAL, "丰越供应链智慧物流园", "北京丰越供应链管理有限公司", "北京", "智慧物流", "120000", S.RESIDENT, "约200亩", "signed", "120000", ("赵总", "13801000005")),
    (DIGITAL, "碳数字经济算力中心二期", "鹰投资本", "上海", "数字经济", "200000", S.BY_BUSINESS, "约120亩", "signed", "200000", ("孙经理", "13917000006")),
    (DIGITAL, "AA&W新能源数据中心项目", "AA&W战略投资集团", "美国", "数字经济", "80000", S.ONLINE, "约100亩", "negotiating", None, ("Tom", "+1 212 555 0007")),
    (DIGITAL, "恒通氢能综合利用项目", "法国恒通集团", "法国", "新能源", "60000", S.FAIR, "约90亩", "negotiating", None, ("周先生", "13603540008")),
    (DIGITAL, "飞利浦焦化余热利用项目", "飞利浦集团", "荷兰", "新能源", "15000", S.CHAIN, "", "lead", None, ("", "")),
    (DIGITAL, "际安电气储能装备项目", "山西际安电气有限公司", "山西", "新能源", "30000", S.BY_BUSINESS, "约40亩", "dropped", None, ("郭经理", "13935400010")),
]
# fmt: on
VISITS = [
    (
        PAPER,
        "inspection",
        4,
        "赴江苏、河南考察招商",
        "李志强、赵鹏",
        "造纸及包装企业",
        "对接项目3个",
    ),
    (DIGITAL, "reception", 3, "接待北京丰越供应链考察团", "李志强", "丰越供应链", "达成合作意向"),
    (PAPER, "call", 5, "赴广东东莞拜访鑫程新材料", "赵鹏", "鑫程新材料", "确定投资规模"),
]


def load():
    zone = Org.objects.get(name="寿阳经济技术开发区")
    if Lead.objects.filter(org=zone).exists():
        return
    today = timezone.localdate()
    teams = {t.name: t for t in Team.objects.filter(org=zone, kind=Team.Kind.INVESTMENT)}
    leader = User.objects.get(username="leader")
    for name, (amount, count, start_rate) in TARGETS.items():
        services.set_target(
            None,
            teams[name],
            year=today.year,
            amount=Decimal(amount),
            count=count,
            start_rate=Decimal(start_rate),
        )
    # Dates spread over the part of this year already past, so the demo loads on any day and
    # its signings fall in this year's leaderboard.
    jan1 = datetime.date(today.year, 1, 1)
    span = (today - jan1).days
    for i, row in enumerate(LEADS):
        _lead(
            zone,
            teams[row[0]],
            leader,
            row,
            jan1 + datetime.timedelta(days=span * i // 40),
            span,
            today,
            i,
        )
    for team, kind, month, place, people, met, outcome in VISITS:
        services.add_visit(
            None,
            org=zone,
            team=teams[team],
            kind=kind,
            place=place,
            participants=people,
            met=met,
            outcome=outcome,
            date=min(today, datetime.date(today.year, month, 16)),
        )


def _lead(zone, team, leader, row, created, span, today, i):
    _team, name, investor, origin, chain, estimate, source, land, stage, signed, contact = row
    lead = services.create_lead(
        None,
        org=zone,
        confirmed=True,
        created_on=created,
        team=team,
        leader=leader,
        name=name,
        investor=investor,
        origin=origin,
        chain=chain,
        estimated_investment=Decimal(estimate),
        source=source,
        land_need=land,
        contact_name=contact[0],
        contact_phone=contact[1],
        next_step="洽谈投资协议条款",
        next_step_on=today + datetime.timedelta(days=i - 3),
    )
    after = lambda part: created + datetime.timedelta(days=span // part)  # noqa: E731
    if stage in ("contacting", "negotiating", "signed"):
        services.advance(None, lead, "contacting", on=after(10))
    if stage in ("negotiating", "signed"):
        services.advance(None, lead, "negotiating", on=after(5))
    if stage == "signed":
        services.sign(None, lead, amount=Decimal(signed), on=after(3))
    if stage == "dropped":
        services.drop(None, lead, reason="企业投资计划调整，暂缓落地", on=after(8))
