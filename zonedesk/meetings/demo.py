"""Demo 调度会 for 寿阳经开区: last Monday's weekly meeting, held, with minutes and decisions
(two turned into blockers), and next Monday's, still a draft with its agenda built.

Call after the projects, leads and supervision demos, whose data the agenda reads. Safe to
run again: a zone that already has meetings is left as it is.
"""

import datetime

from django.utils import timezone

from zonedesk.orgs.models import Org, Unit, User

from . import services
from .models import AgendaItem, Meeting

ZONE = "寿阳经济技术开发区"
PLACE = "管委会三楼会议室"
ATTENDEES = "管委会主任、分管副主任，项目建设服务中心、招商服务中心、规划建设局，县自然资源局、生态环境分局、财政局负责人，各项目专班"
MINUTES = """一、项目建设服务中心通报了本周重点项目推进情况，对红色、黄色预警项目逐一分析原因。
二、各项目专班汇报了月报填报和审批代办进展，审批超时事项由代办单位说明情况。
三、招商服务中心汇报了在谈项目跟进情况，对一个月无进展的线索提出处置意见。
四、会议明确了以下事项，由责任单位限期办结，纳入督办。"""
# (text, agenda kind the decision answers or None, unit, working days, to a blocker?)
DECISIONS = [
    (
        "协调供电公司两周内完成储能电站接入系统方案评审",
        AgendaItem.Kind.RED_PROJECT,
        "项目建设服务中心",
        10,
        True,
    ),
    (
        "县自然资源局牵头调剂强伟二期新增建设用地指标，月底前报批",
        None,
        "自然资源局",
        8,
        True,
    ),
    (
        "逾期未报月报的项目专班本周五前补报，并说明原因",
        AgendaItem.Kind.LATE_REPORT,
        "项目建设服务中心",
        3,
        False,
    ),
]


def _monday(today, weeks):
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def load():
    zone = Org.objects.get(name=ZONE)
    if Meeting.objects.filter(org=zone).exists():
        return
    leader = User.objects.get(username="leader")
    today = timezone.localdate()
    units = {u.name: u for u in Unit.objects.filter(org__in=[zone, zone.parent])}

    last = _monday(today, -1)
    held = services.create_meeting(
        leader,
        org=zone,
        kind=Meeting.Kind.WEEKLY,
        title=f"第{last.isocalendar().week}周重点项目调度会",
        held_at=_at(last),
        place=PLACE,
        chair=leader,
        attendees=ATTENDEES,
    )
    services.record_minutes(leader, held, minutes=MINUTES)
    for text, kind, unit, days, to_blocker in DECISIONS:
        item = held.agenda.filter(kind=kind).first() if kind else None
        decision = services.add_decision(
            leader,
            held,
            text=text,
            unit=units.get(unit),
            working_days=days,
            agenda_item=item,
        )
        if to_blocker and units.get(unit):
            services.decision_to_blocker(leader, decision, unit=units[unit], working_days=days)
    services.mark_held(leader, held)

    following = _monday(today, 1)
    services.create_meeting(
        leader,
        org=zone,
        kind=Meeting.Kind.WEEKLY,
        title=f"第{following.isocalendar().week}周重点项目调度会",
        held_at=_at(following),
        place=PLACE,
        chair=leader,
        attendees=ATTENDEES,
    )
