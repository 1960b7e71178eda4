"""The blocker figures of the period documents and the by-unit summary, registered with the
figure registry (catalog.figures) in ready(); `selectors.blocker_summary` and `by_unit`
compute them."""

from django.utils.translation import gettext_lazy as _

from zonedesk.catalog import figures

OWNER = "supervision（问题督办）"
PERIOD = "期间内（两端含）"
CUT = "期末；运行中的期间截至今天"
DOCS = "月汇总·季分析·年交账 问题督办（Word、Excel）"


def register():
    f = figures.register
    f(
        "blockers_opened",
        _("本期新增问题（个）"),
        "提出日期在期内的问题个数",
        kind="count",
        period=PERIOD,
        cutoff=CUT,
        appears=(DOCS,),
        owner=OWNER,
    )
    f(
        "blockers_closed",
        _("本期办结问题（个）"),
        "责任单位在期内办结且此后未退回的问题",
        kind="count",
        period=PERIOD,
        cutoff=CUT,
        appears=(DOCS,),
        owner=OWNER,
    )
    f(
        "blockers_on_time",
        _("其中按时办结（个）"),
        "本期办结问题中办结日不晚于办结时限的",
        kind="count",
        period=PERIOD,
        cutoff=CUT,
        appears=(DOCS,),
        owner=OWNER,
    )
    f(
        "blockers_overdue",
        _("逾期未办结问题（个）"),
        "截止日（期末或今天）仍未办结且办结时限早于该日的问题",
        kind="count",
        period="截止日的状态",
        cutoff=CUT,
        appears=(DOCS, "问题督办列表“逾期”筛选"),
        owner=OWNER,
    )
    f(
        "blockers_on_time_rate",
        _("按时办结率"),
        "按时办结 ÷ 办结",
        kind="rate",
        places=1,
        period=PERIOD + "；列表为全部",
        cutoff=CUT,
        appears=(DOCS, "问题督办 按责任单位汇总 /supervision/"),
        owner=OWNER,
    )
