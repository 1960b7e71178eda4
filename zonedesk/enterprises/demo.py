"""Demo registry facts for 寿阳经开区's enterprises: chain, park, contacts, designations
(two of them coming up for renewal within 90 days of the day the demo is loaded) and support
funds, among them the 2024 allocations the county reported (强伟纸业 2000 万元, 奥泰 600 万元).

Called by the demo command after it has created the enterprises and `projects.demo.load()`
has created the projects. Safe to run again: what exists is left as it is.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from zonedesk.orgs.models import Org
from zonedesk.projects.models import Project

from . import services
from .models import Contact, Designation, Enterprise, SupportFund

ZONE = "寿阳经济技术开发区"
K, L = Designation.Kind, Designation.Level
S, P = SupportFund.Source, SupportFund.Status

# short name: chain, park, address, registered capital 万元, established
# fmt: off
FACTS = {
    "强伟纸业": ("造纸", "造纸产业园", "寿阳县朝阳镇造纸产业园1号", "12000", datetime.date(2012, 5, 18)),
    "奥泰科技": ("精细化工", "城南新材料产业园", "寿阳经开区城南新材料产业园纬三路8号", "5000", datetime.date(2015, 9, 2)),
    "精达丰科技": ("精细化工", "城南新材料产业园", "寿阳经开区城南新材料产业园经二路16号", "3000", datetime.date(2019, 3, 11)),
    "段王煤业": ("煤炭", "煤炭绿色循环产业园", "寿阳县平头镇段王村", "68000", datetime.date(2004, 7, 30)),
    "圣火伟业": ("装备制造", None, "寿阳经开区迎宾大道66号", "2000", datetime.date(2016, 11, 20)),
    "路桥智慧交通": ("智慧交通", "交通智慧物流产业园", "寿阳经开区交通智慧物流产业园1号楼", "50000", datetime.date(2020, 6, 8)),
    "艾灸堂农业科技": ("现代农业", None, "寿阳县平头镇", "800", datetime.date(2018, 4, 16)),
    "晋荞米业": ("农产品加工", None, "寿阳经开区食品工业园6号", "1500", datetime.date(2017, 8, 25)),
}

# short name: (name, title, phone, e-mail, primary)
CONTACTS = {
    "强伟纸业": [("王建军", "总经理", "13835400101", "wangjj@qiangwei.example", True), ("李娜", "办公室主任", "13835400102", "", False)],
    "奥泰科技": [("郭海涛", "副总经理", "13935400201", "guoht@aotai.example", True)],
    "精达丰科技": [("赵敏", "行政经理", "13603540301", "", True)],
    "段王煤业": [("韩志刚", "安全生产部部长", "13703540401", "", True)],
    "路桥智慧交通": [("孟凡", "项目经理", "13803540501", "mengfan@luqiao.example", True)],
}

# short name, kind, other name, level, certificate no, granted (days before today),
# valid for (days from the grant; None = no expiry)
DESIGNATIONS = [
    ("强伟纸业", K.HIGH_TECH, "", L.NATIONAL, "GR202314000231", 1035, 1095),  # expires in 60 days
    ("强伟纸业", K.DRAGON_HEAD, "", L.CITY, "JZLT-2023-012", 700, None),
    ("强伟纸业", K.CHAIN_LEADER, "", L.COUNTY, "SYLZ-2024-01", 320, None),
    ("强伟纸业", K.OTHER, "国家级绿色工厂", L.NATIONAL, "", 500, None),
    ("奥泰科技", K.SPECIALISED, "", L.PROVINCE, "SXZJTX-2023-0456", 1075, 1095),  # in 20 days
    ("奥泰科技", K.HIGH_TECH, "", L.NATIONAL, "GR202414000877", 400, 1095),
    ("精达丰科技", K.TECH_SME, "", L.PROVINCE, "2024140725A0012", 300, 365),  # in 65 days
    ("段王煤业", K.CITY_PARTNER, "", L.COUNTY, "", 210, None),
    ("路桥智慧交通", K.LITTLE_GIANT, "", L.NATIONAL, "XJR-2024-0088", 250, 1095),
]

# recipient (enterprise short name, or "project:" + project name), year offset, source,
# policy, amount 万元, purpose, paid
FUNDS = [
    ("强伟纸业", -2, S.COUNTY, "重点链主企业发展资金", "2000", "生活用纸加工基地项目建设", True),
    ("奥泰科技", -2, S.COUNTY, "重点链主企业发展资金", "600", "精细化工扩建项目", True),
    ("强伟纸业", -1, S.PROVINCE, "专精特新企业奖励", "50", "智能制造示范工厂奖补", True),
    ("奥泰科技", -1, S.PROVINCE, "专精特新企业奖励", "30", "专精特新中小企业认定奖励", True),
    ("精达丰科技", 0, S.CITY, "科技型中小企业研发费用补助", "18.5", "研发费用后补助", False),
    ("路桥智慧交通", 0, S.CENTRAL, "超长期特别国债", "3000", "数字化交通产业园基础设施", False),
    ("project:段王煤业5G智能矿山建设项目", 0, S.PROVINCE, "煤矿智能化建设专项", "800", "5G智能矿山建设", True),
    ("project:中储粮粮食产业园项目", 0, S.PARK, "园区基础设施配套资金", "260", "园区道路及管网配套", False),
]
# fmt: on


def load(today=None):
    today = today or timezone.localdate()
    zone = Org.objects.get(name=ZONE)
    enterprises = {e.short_name: e for e in Enterprise.objects.filter(org=zone)}
    parks = {p.name: p for p in Org.objects.filter(parent=zone, kind=Org.Kind.PARK)}
    for short, (chain, park, address, capital, established) in FACTS.items():
        e = enterprises.get(short)
        if e is None or e.chain:
            continue
        services.update_enterprise(
            None,
            e,
            {
                "chain": chain,
                "park": parks.get(park),
                "address": address,
                "registered_capital": Decimal(capital),
                "established_on": established,
            },
        )
    for short, rows in CONTACTS.items():
        e = enterprises.get(short)
        if e is None or Contact.objects.filter(enterprise=e).exists():
            continue
        for name, title, phone, email, primary in rows:
            services.add_contact(
                None, e, name=name, title=title, phone=phone, email=email, is_primary=primary
            )
    for short, kind, other, level, cert, granted_ago, valid in DESIGNATIONS:
        e = enterprises.get(short)
        if e is None or Designation.objects.filter(enterprise=e, kind=kind).exists():
            continue
        granted = today - datetime.timedelta(days=granted_ago)
        services.add_designation(
            None,
            e,
            kind=kind,
            other_name=other,
            level=level,
            certificate_no=cert,
            granted_on=granted,
            expires_on=granted + datetime.timedelta(days=valid) if valid else None,
        )
    for recipient, offset, source, policy, amount, purpose, paid in FUNDS:
        target = _recipient(zone, enterprises, recipient)
        if target is None:
            continue
        year = today.year + offset
        found = SupportFund.objects.filter(year=year, policy=policy, amount=Decimal(amount))
        if found.filter(**target).exists():
            continue
        services.create_fund(
            None,
            **target,
            year=year,
            source=source,
            policy=policy,
            amount=Decimal(amount),
            purpose=purpose,
            status=P.PAID if paid else P.PENDING,
            paid_on=_paid_on(year, today) if paid else None,
        )


def _recipient(zone, enterprises, recipient):
    if recipient.startswith("project:"):
        project = Project.objects.filter(org=zone, name=recipient.removeprefix("project:")).first()
        return {"project": project} if project else None
    e = enterprises.get(recipient)
    return {"enterprise": e} if e else None


def _paid_on(year, today):
    """Paid in June of its year, or earlier this year if June has not come yet."""
    june = datetime.date(year, 6, 30)
    return june if june <= today else today.replace(day=1)
