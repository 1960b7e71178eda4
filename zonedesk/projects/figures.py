"""The project figures, registered with the figure registry (catalog.figures) in ready():
the cockpit's KPIs, which the project list's totals, the period documents (docx and xlsx)
and the charts repeat. Their formulas are in formulas.py; the cockpit selector computes them."""

from django.utils.translation import gettext_lazy as _

from zonedesk.catalog import figures

OWNER = "projects（项目、驾驶舱）"
MONTH = "本年1月至所选月末（1—N月累计）"
NOW = "当前状态（不随期间变化）"
CUT = "所选月末；运行中的期间截至今天"
COCKPIT = "领导驾驶舱 /projects/cockpit/"
DOCS = "月汇总·季分析·年交账 主要指标（Word、Excel）"
LIST = "项目库合计 /projects/"

STAGES = [
    ("reserve", "储备", _("储备项目（个）"), _("储备项目投资（万元）")),
    ("signed", "签约", _("签约阶段项目（个）"), _("签约阶段项目投资（万元）")),
    ("started", "在建", _("在建项目（个）"), _("在建项目投资（万元）")),
    ("operating", "投产", _("投产项目（个）"), _("投产项目投资（万元）")),
]


def register():
    f = figures.register
    where = (COCKPIT, DOCS)
    f(
        "projects",
        _("项目（个）"),
        "范围内未取消的项目个数",
        kind="count",
        period=NOW,
        cutoff="今天",
        appears=(*where, LIST),
        owner=OWNER,
    )
    f(
        "investment",
        _("总投资（万元）"),
        "范围内未取消项目的总投资之和",
        kind="wan",
        period=NOW,
        cutoff="今天",
        appears=(*where, LIST),
        owner=OWNER,
    )
    for stage, name, count, money in STAGES:
        f(
            f"n_{stage}",
            count,
            f"当前阶段为{name}的项目个数",
            kind="count",
            period=NOW,
            cutoff="今天",
            appears=(*where, "四库看板 /projects/board/"),
            owner=OWNER,
        )
        f(
            f"inv_{stage}",
            money,
            "该阶段项目的总投资之和",
            kind="wan0",
            period=NOW,
            cutoff="今天",
            appears=where,
            owner=OWNER,
        )
    f(
        "start_rate",
        _("开工率"),
        "新开工项目 ÷ 计划新开工项目（年度计划内的新建、扩建、技改）",
        kind="rate",
        places=1,
        period=MONTH,
        cutoff=CUT,
        appears=where,
        owner=OWNER,
    )
    f(
        "started_new",
        _("新开工项目（个）"),
        "年度计划内非续建项目中开工日期早于期末的个数",
        kind="count",
        period=MONTH,
        cutoff=CUT,
        appears=where,
        owner=OWNER,
    )
    f(
        "planned_new",
        _("计划新开工项目（个）"),
        "年度计划内非续建项目个数",
        kind="count",
        period=MONTH,
        cutoff=CUT,
        appears=where,
        owner=OWNER,
    )
    f(
        "resume_rate",
        _("复工率"),
        "复工续建项目 ÷ 续建项目",
        kind="rate",
        places=1,
        period=MONTH,
        cutoff=CUT,
        appears=where,
        owner=OWNER,
    )
    f(
        "resumed",
        _("复工续建项目（个）"),
        "年度计划内续建项目中本年有投资的个数",
        kind="count",
        period=MONTH,
        cutoff=CUT,
        appears=where,
        owner=OWNER,
    )
    f(
        "continuing",
        _("续建项目（个）"),
        "年度计划内续建项目个数",
        kind="count",
        period=MONTH,
        cutoff=CUT,
        appears=where,
        owner=OWNER,
    )
    f(
        "start_resume_rate",
        _("开复工率"),
        "（新开工 + 复工续建）÷ 年度计划项目",
        kind="rate",
        places=1,
        period=MONTH,
        cutoff=CUT,
        appears=(*where, "各开发区对比"),
        owner=OWNER,
    )
    f(
        "started_resumed",
        _("开复工项目（个）"),
        "新开工项目 + 复工续建项目",
        kind="count",
        period=MONTH,
        cutoff=CUT,
        appears=(*where, "同比"),
        owner=OWNER,
    )
    f(
        "planned",
        _("年度计划项目（个）"),
        "有本年年度计划的项目个数",
        kind="count",
        period=MONTH,
        cutoff=CUT,
        appears=(*where, "同比"),
        owner=OWNER,
    )
    f(
        "plan",
        _("年度计划投资（万元）"),
        "本年年度计划投资之和",
        kind="wan",
        period=MONTH,
        cutoff=CUT,
        appears=(*where, LIST, "同比", "年度计划项目完成情况"),
        owner=OWNER,
    )
    f(
        "ytd",
        _("今年累计完成投资（万元）"),
        "年度计划内项目本年1—N月月报完成投资之和",
        kind="wan",
        period=MONTH,
        cutoff=CUT,
        appears=(*where, LIST, "同比", "逐月完成投资图"),
        owner=OWNER,
    )
    f(
        "completion",
        _("投资完成率"),
        "今年累计完成投资 ÷ 年度计划投资",
        kind="rate",
        places=2,
        period=MONTH,
        cutoff=CUT,
        appears=(*where, LIST, "项目列表与API（单个项目）", "各开发区对比"),
        owner=OWNER,
    )
    f(
        "time_progress",
        _("时序进度"),
        "N ÷ 12（N为期末月份）",
        kind="rate",
        places=2,
        period=MONTH,
        cutoff=CUT,
        appears=where,
        zero_base="不会为零",
        owner=OWNER,
    )
    f(
        "red",
        _("红色预警（个）"),
        "完成率落后时序进度超过30个百分点，或计划开工月后3个月仍未开工",
        kind="count",
        period=MONTH,
        cutoff=CUT,
        appears=(*where, "红黄预警项目清单"),
        owner=OWNER,
    )
    f(
        "yellow",
        _("黄色预警（个）"),
        "完成率落后时序进度10—30个百分点，或过计划开工月未开工",
        kind="count",
        period=MONTH,
        cutoff=CUT,
        appears=(*where, "红黄预警项目清单"),
        owner=OWNER,
    )
    f(
        "late",
        _("月报逾期（个）"),
        "期末月的月报逾期填报或过截止日（遇节假日顺延）仍未填报的在建项目",
        kind="count",
        period="期末月的月报",
        cutoff="截止日；运行中截至今天",
        appears=where,
        owner=OWNER,
    )
    f(
        "month_invested",
        _("当月完成投资（计划内，万元）"),
        "本月末与上月末今年累计完成投资之差（各月相加等于季度）",
        kind="wan",
        period="季度中的每个月",
        cutoff="各月末",
        appears=("季分析 季度逐月分析",),
        owner=OWNER,
    )
    f(
        "approval_overtime",
        _("超时"),
        "审批事项办结日（未办结：今天或期末）晚于受理日起承诺工作日（中国法定工作日）",
        kind="count",
        period="受理至办结",
        cutoff="办结日；未办结为今天或期末",
        appears=("项目详情 审批事项", "月汇总·季分析·年交账 审批办理"),
        owner=OWNER,
    )
    charts = ("领导驾驶舱 图表", "月汇总·季分析·年交账 图表（Word 图片、Excel 原生图表）")
    f(
        "chart_by_month",
        _("逐月完成投资（万元）"),
        "范围内各月月报完成投资之和（含计划外项目）",
        kind="wan",
        period="本年1—N月，每月一项",
        cutoff=CUT,
        appears=charts,
        owner=OWNER,
    )
    f(
        "chart_by_chain",
        _("按产业链完成投资（万元）"),
        "1—N月月报完成投资按项目产业链汇总，前10位",
        kind="wan",
        period=MONTH,
        cutoff=CUT,
        appears=charts,
        owner=OWNER,
    )
    f(
        "chart_by_park",
        _("按园区完成投资（万元）"),
        "1—N月月报完成投资按项目所在园区汇总，前10位",
        kind="wan",
        period=MONTH,
        cutoff=CUT,
        appears=charts,
        owner=OWNER,
    )
