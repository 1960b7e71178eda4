"""The figures only the period documents compose, registered with the figure registry
(catalog.figures) in ready(); `documents` computes them from the other apps' figures."""

from django.utils.translation import gettext_lazy as _

from zonedesk.catalog import figures

OWNER = "reports（月汇总·季分析·年交账）"


def register():
    f = figures.register
    f(
        "signed_projects",
        _("签约日期在本期的项目（个）"),
        "签约日期在期内、未取消的项目（不论现处阶段）",
        kind="count",
        period="本期",
        cutoff="期末；运行中的期间截至今天",
        appears=("月汇总·季分析·年交账 招商签约",),
        owner=OWNER,
    )
    f(
        "growth",
        _("同比增长（%）"),
        "（本期 − 上年同期）÷ 上年同期，上年为零、负或缺失时不计算",
        kind="rate",
        places=1,
        period="与上年同一期间",
        cutoff="同本期",
        appears=("月汇总·季分析·年交账 同比与计划完成",),
        zero_base="— （上年为零）",
        owner=OWNER,
    )
    f(
        "rate_change",
        _("增减（百分点）"),
        "本期比率 − 上年同期比率",
        kind="pp",
        period="与上年同一期间",
        cutoff="同本期",
        appears=("月汇总·季分析·年交账 同比与计划完成",),
        owner=OWNER,
    )
    f(
        "time_gap",
        _("超（+）／欠（−）时序（百分点）"),
        "投资完成率 − 时序进度",
        kind="pp",
        period="1—N月",
        cutoff="期末；运行中的期间截至今天",
        appears=("月汇总·季分析·年交账 与年度计划比较",),
        owner=OWNER,
    )
