"""Demo blockers on 寿阳经开区's demo projects: open, answered, overdue, escalated, resolved.

Call after the projects demo (zonedesk.projects.demo.load). Safe to run again: a blocker
whose title exists in the zone is left as it is.
"""

import datetime

from django.utils import timezone

from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.orgs.models import Org, Unit, User
from zonedesk.projects.models import Project

from . import services
from .models import Blocker

ZONE = "寿阳经济技术开发区"
# (project, title, description, unit (zone or county), working days: negative = overdue
#  by that many, what happened: "", "answer", "escalate", "resolved", "verified", "late")
# fmt: off
BLOCKERS = [
    ("强伟30万吨生活用纸加工基地项目", "二期用地指标未落实", "二期厂房约150亩用地需县里调剂新增建设用地指标，影响二期开工。", "自然资源局", -8, "escalate"),
    ("中储粮粮食产业园项目", "施工用水管网未接通", "园区供水管网尚未延伸至项目地块，施工用水靠罐车拉运。", "住房和城乡建设管理局", -3, "answer"),
    ("道威200MW/400MWh共享储能电站项目", "接入系统方案待电网公司批复", "接入系统方案已报送，需协调国网晋中供电公司加快评审。", "项目建设服务中心", 2, ""),
    ("碳数字经济产业园项目", "规划设计条件未出具", "项目地块规划设计条件尚未出具，影响方案设计。", "规划建设局", 10, "answer"),
    ("奥泰科技精细化工扩建项目", "环评批复办理滞后", "扩建项目环评报告书需技术评估，企业申请加快办理。", "生态环境分局", 5, "verified"),
    ("开发区污水处理厂提标改造工程", "专项债资金拨付未到位", "第二批专项债资金未拨付，影响工程款支付。", "财政局", 3, "late"),
]
# fmt: on


def load():
    zone = Org.objects.get(name=ZONE)
    county = zone.parent
    officer = User.objects.get(username="officer")
    leader = User.objects.get(username="leader")
    work = WorkCalendar()
    today = timezone.localdate()
    for project_name, title, description, unit_name, days, fate in BLOCKERS:
        if Blocker.objects.filter(org=zone, title=title).exists():
            continue
        project = Project.objects.filter(org=zone, name=project_name).first()
        unit = Unit.objects.filter(org__in=[zone, county], name=unit_name).first()
        if project is None or unit is None:
            continue
        b = services.raise_blocker(
            officer,
            org=zone,
            title=title,
            description=description,
            unit=unit,
            leader=leader,
            deadline=max(days, 1),
            project=project,
            source_note="周调度会",
        )
        if days < 0 or fate in ("late", "verified"):
            # A blocker raised weeks ago: move its dates back as if it had been.
            deadline = _back(work, today, -days) if days < 0 else _back(work, today, 2)
            raised = deadline - datetime.timedelta(days=14)
            Blocker.objects.filter(pk=b.pk).update(raised_on=raised, deadline=deadline)
            b.refresh_from_db()
        if fate in ("answer", "escalate"):
            b = services.answer(None, b, text="已对接主管部门，正在协调办理。")
        if fate == "escalate":
            b, _leaders = services.escalate(leader, b, reason="逾期未办结，提请县级挂牌督办")
        if fate in ("verified", "late"):
            on = b.deadline if fate == "verified" else today
            b = services.resolve(None, b, text="已办理完毕。", on=on)
        if fate == "verified":
            services.verify(officer, b, text="经核实已解决。")


def _back(work, today, n):
    """The date n working days before today."""
    day = today
    while n:
        day -= datetime.timedelta(days=1)
        if work.is_workday(day):
            n -= 1
    return day
