"""The indicator figures, one function each, used by the pages, the API and the export alike.

Everything is Decimal and rounds half up (catalog.rates); a figure that cannot be computed is
None and shows as —.
"""

from decimal import ROUND_HALF_UP, Decimal

from zonedesk.catalog.rates import growth as growth_rate
from zonedesk.catalog.rates import rate

from .models import Indicator

PLACES = 1  # the statistics bureau's tables give rates to one place
NUMERALS = "零一二三四五六七八九"


def growth(indicator, value, last_value, reported):
    """同比 (%). A comparable-price indicator's growth is the reported rate, never recomputed
    from values (the values are at current prices); a current-price amount's is computed
    from last year's value when there is one, else the reported rate stands."""
    if indicator.price_basis == Indicator.Basis.COMPARABLE:
        return reported
    computed = growth_rate(value, last_value, PLACES)
    return reported if computed is None else computed


def completion(value, target_value):
    """完成率 (%) = cumulative value ÷ the year's target."""
    return rate(value, target_value, PLACES)


def time_progress(month):
    """时序进度 (%) after the period 1—`month`月."""
    return rate(month, 12, PLACES)


def gap(completion_rate, progress):
    """完成率 − 时序进度 in percentage points (negative: behind)."""
    if completion_rate is None or progress is None:
        return None
    return completion_rate - progress


def warning(indicator, points):
    """red / yellow when behind 时序进度 by the indicator's thresholds, else ""."""
    if points is None or points >= 0:
        return ""
    if -points >= indicator.red_gap:
        return "red"
    return "yellow" if -points >= indicator.yellow_gap else ""


def ranks(figures, higher_is_better=True):
    """Competition ranking (1, 2, 2, 4) of `figures` (key → Decimal or None); a missing
    figure takes no rank (None)."""
    present = [v for v in figures.values() if v is not None]
    ahead = (lambda a, b: a > b) if higher_is_better else (lambda a, b: a < b)
    return {
        key: None if v is None else 1 + sum(1 for other in present if ahead(other, v))
        for key, v in figures.items()
    }


def versus(own, parent):
    """Own rate − the parent's, in percentage points (Decimal), or None."""
    if own is None or parent is None:
        return None
    return own - parent


def chinese_number(n):
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三: how a 通报 writes a rank (below 100)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens] + "十")
    return head + (NUMERALS[ones] if ones or not head else "")


def rank_words(rank, scope):
    """全市第一: the rank among the siblings under `scope` (全市, 全县 …)."""
    return "" if rank is None else f"{scope}第{chinese_number(rank)}"


def versus_words(points, scope):
    """高于全市1.2个百分点 / 低于全市0.5个百分点 / 与全市持平."""
    if points is None:
        return ""
    if points == 0:
        return f"与{scope}持平"
    side = "高于" if points > 0 else "低于"
    return f"{side}{scope}{abs(points)}个百分点"


def amount_words(indicator, value):
    """完成98.03亿元: money in 亿元 to two places, other units as they are."""
    if value is None:
        return ""
    if indicator.is_money:
        yi = (value / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return f"完成{_trimmed(yi)}亿元"
    if indicator.unit == Indicator.Unit.PERCENT:
        return f"达到{_trimmed(value)}%"
    return f"完成{_trimmed(value)}{indicator.unit}"


def _trimmed(number):
    """32.00 → 32, 98.03 → 98.03: prose drops the zeros a table keeps."""
    return format(Decimal(number).normalize(), "f")


def growth_words(value):
    if value is None:
        return ""
    if value == 0:
        return "与上年同期持平"
    return f"同比{'增长' if value > 0 else '下降'}{abs(value)}%"


def sentence(indicator, row, scope):
    """The 通报's sentence: "地区生产总值完成98.03亿元，同比增长6.2%，全市第一"."""
    parts = [
        amount_words(indicator, row["value"]),
        growth_words(row["growth"]),
        rank_words(row["rank"], scope),
    ]
    said = "，".join(p for p in parts if p)
    return indicator.name + said if said else ""
