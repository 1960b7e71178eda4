"""Demo appeals for 寿阳经开区: the usual categories, a dozen appeals over the last three
months in every state, and one 以月答卷 batch from last month's entrepreneurs' meeting.

Run after the organisations, users and enterprises of the demo command exist. Idempotent:
a second run adds nothing.
"""

import datetime

from django.utils import timezone

from zonedesk.enterprises.models import Enterprise
from zonedesk.orgs.models import Org, Unit, User

from . import services
from .models import Appeal, AppealCategory

ZONE = "寿阳经济技术开发区"
COUNTY = "寿阳县"
# category → (unit, node of the unit)
ROUTES = {
    "用地": ("自然资源局", COUNTY),
    "融资": ("企业服务中心", ZONE),
    "用工": ("企业服务中心", ZONE),
    "审批": ("项目建设服务中心", ZONE),
    "水电气暖": ("规划建设局", ZONE),
    "政策兑现": ("财政局", COUNTY),
    "其他": ("企业服务中心", ZONE),
}
# (days ago, enterprise short name, channel, category, title, description, outcome)
# outcome: "" open as received, "accepted", "answered", "closed", "satisfied", "fairly",
# "unsatisfied" (reopened), "returned", "late" (open past its deadline)
# fmt: off
APPEALS = [
    (80, "强伟纸业", "self", "水电气暖", "新厂房临时用电增容", "二期车间设备调试需临时增容800千伏安，请协调供电公司尽快办理。", "satisfied"),
    (74, "奥泰科技", "phone", "审批", "扩建项目环评批复进度", "精细化工扩建项目环评报告已报送，希望了解审批进度及需补充的材料。", "fairly"),
    (66, "晋荞米业", "visit", "用工", "旺季季节性用工缺口", "杂粮收购加工旺季需临时工约60人，请协助对接本地劳务。", "satisfied"),
    (58, "路桥智慧交通", "self", "用地", "南区二期用地手续", "数字化交通产业园南区二期用地报批材料已齐，请协调加快组卷上报。", "unsatisfied"),
    (50, "段王煤业", "phone", "政策兑现", "智能化改造奖补资金兑现", "5G智能矿山建设已验收，申请兑现智能化改造奖补资金。", "closed"),
    (41, "圣火伟业", "self", "融资", "设备采购中长期贷款", "电气装备项目设备采购资金缺口约2000万元，希望对接银行中长期贷款。", "returned"),
    (20, "精达丰科技", "self", "审批", "施工许可办理指导", "新材料项目施工许可所需材料清单不清楚，请帮办代办。", "late"),
    (12, "艾灸堂农业科技", "visit", "水电气暖", "种养园区供水管网接入", "平头种养园区需接入供水管网，请协调水务部门踏勘。", "answered"),
    (5, "强伟纸业", "self", "其他", "园区道路夜间照明", "厂区至主干道路段夜间无照明，货车进出存在安全隐患。", "accepted"),
    (1, "奥泰科技", "self", "用工", "危化品操作工技能培训", "新招员工需取得危化品操作证，希望组织集中培训。", ""),
]
# The 以月答卷 batch: raised at last month's entrepreneurs' meeting (月度企业家座谈会).
MEETING = [
    ("强伟纸业", "融资", "流动资金贷款续贷", "3000万元流动资金贷款下月到期，希望协调续贷不抽贷。", "satisfied"),
    ("段王煤业", "用地", "矸石综合利用项目用地", "煤矸石综合利用项目需新增用地约50亩，请协调用地指标。", "accepted"),
    ("路桥智慧交通", "政策兑现", "人才公寓租金补贴", "引进高层次人才12名，申请人才公寓租金补贴。", "answered"),
]
# fmt: on
ANSWERS = {
    "水电气暖": "已协调供电公司现场踏勘，临时增容方案已批复，本周内送电。",
    "审批": "已安排代办员一对一指导，材料清单和办理时限已告知企业。",
    "用工": "已对接县人社局及周边乡镇劳务站，组织专场招聘会。",
    "用地": "已将组卷材料报送市自然资源局，正在跟进审查。",
    "政策兑现": "经审核符合条件，奖补资金已纳入本批次拨付计划。",
    "融资": "已组织三家银行上门对接，形成融资方案。",
    "其他": "已纳入园区道路照明改造计划。",
}


def _unit(name, node):
    return Unit.objects.filter(org__name=node, name=name).first()


def load():
    zone = Org.objects.get(name=ZONE, kind=Org.Kind.ZONE)
    if Appeal.objects.filter(org=zone).exists():
        return
    unit_user = User.objects.filter(username="unit").first()
    officer = User.objects.filter(username="officer").first()
    for name, days in services.DEFAULT_CATEGORIES:
        unit = _unit(*ROUTES[name])
        if not AppealCategory.objects.filter(org=zone, name=name).exists():
            services.create_category(None, org=zone, name=name, unit=unit, days=days)
    cats = {c.name: c for c in AppealCategory.objects.filter(org=zone)}
    companies = {e.short_name: e for e in Enterprise.objects.filter(org=zone)}
    today = timezone.localdate()
    for days, short, channel, cat, title, text, outcome in APPEALS:
        _one(today - datetime.timedelta(days=days), companies[short], channel, cats[cat], title,
             text, outcome, unit_user, officer)  # fmt: skip
    meeting_day = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=15)
    for short, cat, title, text, outcome in MEETING:
        _one(meeting_day, companies[short], "meeting", cats[cat], title, text, outcome,
             unit_user, officer)  # fmt: skip


def _one(day, enterprise, channel, category, title, text, outcome, unit_user, officer):
    today = timezone.localdate()
    appeal = services.raise_appeal(
        None if channel == "self" else officer,
        enterprise=enterprise,
        category=category,
        title=title,
        description=text,
        channel=channel,
        received_on=day,
    )
    # The user of the unit where there is one (自然资源局), otherwise the system.
    actor = unit_user if unit_user and appeal.unit and appeal.unit.name == "自然资源局" else None
    if outcome in ("", "late"):
        return appeal
    if outcome == "returned":
        services.return_appeal(actor, appeal, reason="融资对接由县金融办负责，请转县金融办。")
        return appeal
    services.accept(actor, appeal)
    if outcome == "accepted":
        return appeal
    services.answer(actor, appeal, text=ANSWERS[category.name])
    if outcome == "answered":
        return appeal
    closed = min(today, day + datetime.timedelta(days=category.days + 2))
    services.close(actor, appeal, on=closed)
    if outcome == "closed":
        return appeal
    rated = min(today, closed + datetime.timedelta(days=2))
    comment = "组卷进度慢，未说明何时上报" if outcome == "unsatisfied" else ""
    services.rate(None, appeal, rating=outcome, comment=comment, on=rated)
    return appeal
