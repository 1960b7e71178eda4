"""The investment figures (招商大比拼, 年交账's targets and signings), registered with the
figure registry (catalog.figures) in ready(); `selectors.leaderboard` computes them."""

from django.utils.translation import gettext_lazy as _

from zonedesk.catalog import figures

OWNER = "leads（招商）"
YTD = "本年1月至所选月末；年交账为全年"
CUT = "所选月末；运行中的期间截至今天"
BOARD = "招商大比拼 /leads/leaderboard/ 及其导出"
TARGETS = "年交账 年度目标与完成（Word、Excel）"
PERIOD = "月汇总·季分析·年交账 同比与招商签约（本期签约日期）"


def register():
    f = figures.register
    both = (BOARD, TARGETS)
    f(
        "signed_leads",
        _("签约线索（个）"),
        "签约日期在期内的线索个数（不含已放弃）",
        kind="count",
        period=YTD + "；期间文件为本期",
        cutoff=CUT,
        appears=(*both, PERIOD),
        owner=OWNER,
    )
    f(
        "signed_amount",
        _("签约金额（万元）"),
        "期内签约线索的签约金额之和",
        kind="wan",
        period=YTD + "；期间文件为本期",
        cutoff=CUT,
        appears=(*both, PERIOD),
        owner=OWNER,
    )
    f(
        "target_amount",
        _("签约金额目标（万元）"),
        "战队本年签约金额目标",
        kind="wan",
        period="本年",
        cutoff="—",
        appears=both,
        owner=OWNER,
    )
    f(
        "target_count",
        _("签约个数目标（个）"),
        "战队本年签约个数目标",
        kind="count",
        period="本年",
        cutoff="—",
        appears=both,
        owner=OWNER,
    )
    f(
        "amount_rate",
        _("金额完成率"),
        "签约金额 ÷ 签约金额目标（签约完成率）",
        kind="rate",
        places=2,
        period=YTD,
        cutoff=CUT,
        appears=both,
        zero_base="— （无目标或目标为零）",
        owner=OWNER,
    )
    f(
        "count_rate",
        _("个数完成率"),
        "签约线索个数 ÷ 签约个数目标",
        kind="rate",
        places=2,
        period=YTD,
        cutoff=CUT,
        appears=both,
        zero_base="— （无目标或目标为零）",
        owner=OWNER,
    )
    f(
        "lead_start_rate",
        _("当年签约项目开工率"),
        "当年签约线索中其项目开工日期早于期末的个数 ÷ 当年签约线索个数",
        kind="rate",
        places=1,
        period=YTD,
        cutoff=CUT,
        appears=both,
        owner=OWNER,
    )
    f(
        "lead_start_target",
        _("开工率目标"),
        "战队本年当年签约项目开工率目标",
        kind="rate",
        places=2,
        period="本年",
        cutoff="—",
        appears=both,
        owner=OWNER,
    )
    f(
        "lead_start_completion",
        _("开工率完成率"),
        "当年签约项目开工率 ÷ 开工率目标",
        kind="rate",
        places=2,
        period=YTD,
        cutoff=CUT,
        appears=both,
        zero_base="— （无目标或目标为零）",
        owner=OWNER,
    )
