"""Demo projects from the zones' reports, with this year's plans and monthly progress.

寿阳经开区's plan holds 14 projects: 8 new (6 started) and 6 continuing (5 resumed), so its
开复工率 reads 11 ÷ 14 = 78.6% as the seed figures require.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from zonedesk.enterprises.models import Enterprise
from zonedesk.orgs.models import Org, Team, Unit, User

from . import services
from .models import Project

C, N = Project.Category, Project.Nature
# name, category, nature, total 万元, plan 万元, planned start month, started (month or None),
# enterprise short name, chain, park, scale
# fmt: off
SHOUYANG = [
    ("强伟30万吨生活用纸加工基地项目", C.INDUSTRY, N.NEW, "60000", "18000", 3, 3, "强伟纸业", "造纸", "造纸产业园", "年产30万吨生活用纸"),
    ("道威200MW/400MWh共享储能电站项目", C.INDUSTRY, N.NEW, "80000", "20000", 5, 6, None, "新能源储能", None, "200MW/400MWh"),
    ("中储粮粮食产业园项目", C.INDUSTRY, N.NEW, "35000", "8000", 4, 5, None, "农产品加工", "交通智慧物流产业园", "仓容20万吨"),
    ("碳数字经济产业园项目", C.INDUSTRY, N.NEW, "50000", "6000", 6, None, None, "数字经济", "城南新材料产业园", "算力中心及配套"),
    ("奥泰科技精细化工扩建项目", C.INDUSTRY, N.EXPANSION, "12000", "5000", 2, 2, "奥泰科技", "精细化工", "城南新材料产业园", "新增产能2万吨"),
    ("精达丰科技新材料项目", C.INDUSTRY, N.NEW, "8000", "3000", 7, None, "精达丰科技", "精细化工", "城南新材料产业园", ""),
    ("晋荞米业杂粮精深加工项目", C.INDUSTRY, N.NEW, "6500", "2500", 4, 4, "晋荞米业", "农产品加工", None, "年加工杂粮5万吨"),
    ("开发区污水处理厂提标改造工程", C.INFRASTRUCTURE, N.RENOVATION, "4800", "2000", 3, 4, None, "", None, "日处理2万吨"),
    ("山西路桥数字化交通产业园项目（南区）", C.INDUSTRY, N.CONTINUING, "150000", "30000", None, 1, "路桥智慧交通", "智慧交通", "交通智慧物流产业园", "二期工程"),
    ("平头数字化现代农业种养园区", C.INDUSTRY, N.CONTINUING, "25000", "6000", None, 1, "艾灸堂农业科技", "现代农业", None, ""),
    ("段王煤业5G智能矿山建设项目", C.INDUSTRY, N.CONTINUING, "30000", "9000", None, 1, "段王煤业", "煤炭", "煤炭绿色循环产业园", "5G+智能化综采"),
    ("煤矸石综合利用项目", C.INDUSTRY, N.CONTINUING, "18000", "4000", None, 1, None, "煤炭", "煤炭绿色循环产业园", "年处理煤矸石100万吨"),
    ("圣火伟业电气装备项目", C.INDUSTRY, N.CONTINUING, "9000", "2000", None, 1, "圣火伟业", "装备制造", None, ""),
    ("园区道路管网配套工程", C.INFRASTRUCTURE, N.CONTINUING, "7000", "1500", None, None, None, "", None, "道路6公里"),
]
OTHERS = [
    ("太谷经济技术开发区", ("亮拓不锈钢精密铸造及精密加工件项目（一期）", C.INDUSTRY, N.NEW, "42000", "12000", 3, 4, "亮拓", "装备制造", None, "")),
    ("孝义经济开发区", ("领泽年产10万吨锂电电解液添加剂项目", C.INDUSTRY, N.NEW, "120000", "36000", 2, 3, "领泽新材料", "新能源材料", None, "年产10万吨")),
    ("文水经济开发区", ("诺成制药原料药技改项目", C.INDUSTRY, N.RENOVATION, "15000", "5000", 5, 9, "诺成制药", "生物医药", None, "")),
]
# fmt: on


def load():
    today = timezone.localdate()
    last = today.replace(day=1) - datetime.timedelta(days=1)
    zone = Org.objects.get(name="寿阳经济技术开发区")
    teams = [
        Team.objects.get(org=zone, name="强伟30万吨生活用纸加工基地项目专班"),
        Team.objects.get(org=zone, name="道威200MW/400MWh共享储能电站项目专班"),
    ]
    people = {
        "leader": User.objects.get(username="leader"),
        "unit": Unit.objects.get(org=zone, name="项目建设服务中心"),
        "agent_unit": Unit.objects.get(org=zone, name="企业服务中心"),
    }
    for i, row in enumerate(SHOUYANG):
        flags = {
            "is_provincial": i in (0, 1, 8),
            "is_municipal": i in (2, 4, 10),
            "is_county": i > 10,
            "is_double_hundred": i in (0, 8),
        }
        _project(zone, today.year, last, row, team=teams[i % 2], **people, **flags)
    for zone_name, row in OTHERS:
        _project(Org.objects.get(name=zone_name), today.year, last, row)


def _project(zone, year, last, row, **extra):
    name, cat, nature, total, plan, pmonth, smonth, ent, chain, park, scale = row
    if Project.objects.filter(org=zone, name=name).exists():
        return
    project = services.create_project(
        None,
        org=zone,
        name=name,
        category=cat,
        nature=nature,
        total_investment=Decimal(total),
        enterprise=ent and Enterprise.objects.get(short_name=ent),
        chain=chain,
        scale=scale,
        park=park and Org.objects.get(parent=zone, name=park),
        planned_start=datetime.date(year, pmonth, 1) if pmonth else None,
        **extra,
    )
    services.set_year_plan(
        None, project, year=year, planned_investment=Decimal(plan), planned_start_month=pmonth
    )
    if smonth is None or (year, smonth) > (last.year, last.month):
        if not pmonth:  # a continuing project that has not resumed this year
            services.change_stage(None, project, "signed", on=datetime.date(year - 1, 6, 1))
        return
    if nature == Project.Nature.CONTINUING:
        started = datetime.date(year - 1, 4, 10)
    else:
        started = datetime.date(year, smonth, 8)
    services.change_stage(None, project, "signed", on=started - datetime.timedelta(days=60))
    services.change_stage(None, project, "started", on=started)
    monthly = (Decimal(plan) / 11).quantize(Decimal("0.01"))
    for month in range(max(smonth, 1), last.month + 1 if last.year == year else 13):
        # A steady but uneven pace, the same on every run.
        invested = monthly * (Decimal("0.6") + Decimal((len(name) + month) % 7) / 10)
        services.file_progress(
            None,
            project,
            period=datetime.date(year, month, 1),
            invested=invested.quantize(Decimal("0.01")),
            progress=f"{month}月：主体工程按计划推进",
        )
    # Filed by the loader today, but as if each had come in on time.
    project.reports.update(is_late=False)
    if Decimal(total) >= 500:
        services.register_stats(None, project, on=started + datetime.timedelta(days=30))
