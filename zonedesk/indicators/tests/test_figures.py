"""The figure functions: 同比 by price basis, 完成率 and 时序 gap with warnings, competition
ranking, the words of a 通报; Decimal and half-up throughout."""

from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from zonedesk.indicators import figures
from zonedesk.indicators.models import Indicator

CURRENT = Indicator(code="FAI", name="固定资产投资", unit="万元", price_basis="current")
COMPARABLE = Indicator(code="GDP", name="地区生产总值", unit="万元", price_basis="comparable")
GAPS = SimpleNamespace(yellow_gap=Decimal("10"), red_gap=Decimal("30"))


def test_current_price_growth_is_computed_from_last_years_value_half_up():
    # 320000 ÷ 290381 − 1 = 10.2000…%; 105 ÷ 100 with 0.05 → half up.
    assert figures.growth(CURRENT, Decimal("320000"), Decimal("290381"), None) == Decimal("10.2")
    assert figures.growth(CURRENT, Decimal("100.25"), Decimal("100"), None) == Decimal("0.3")
    assert figures.growth(CURRENT, Decimal("5"), None, Decimal("7.4")) == Decimal("7.4")


def test_comparable_price_growth_is_the_reported_rate_never_recomputed():
    got = figures.growth(COMPARABLE, Decimal("980300"), Decimal("900000"), Decimal("6.2"))
    assert got == Decimal("6.2")
    assert figures.growth(COMPARABLE, Decimal("980300"), Decimal("900000"), None) is None


def test_completion_gap_and_warning_colours():
    done = figures.completion(Decimal("450"), Decimal("1000"))
    assert done == Decimal("45.0")
    progress = figures.time_progress(6)
    assert progress == Decimal("50.0")
    assert figures.gap(done, progress) == Decimal("-5.0")
    assert figures.warning(GAPS, Decimal("-5.0")) == ""
    assert figures.warning(GAPS, Decimal("-10.0")) == "yellow"
    assert figures.warning(GAPS, Decimal("-30.0")) == "red"
    assert figures.warning(GAPS, None) == ""
    assert figures.completion(Decimal("1"), None) is None


def test_competition_ranking_skips_after_ties_and_missing_takes_no_rank():
    got = figures.ranks(
        {
            "a": Decimal("6.2"),
            "b": Decimal("4.7"),
            "c": Decimal("4.7"),
            "d": Decimal("1"),
            "e": None,
        }
    )
    assert got == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}
    assert figures.ranks({"a": Decimal("1"), "b": Decimal("2")}, higher_is_better=False) == {
        "a": 1,
        "b": 2,
    }


@given(
    st.dictionaries(st.integers(0, 30), st.none() | st.decimals(-100, 1000, places=1), max_size=12)
)
def test_a_rank_is_one_plus_those_strictly_ahead(values):
    ranked = figures.ranks(values)
    for key, value in values.items():
        if value is None:
            assert ranked[key] is None
        else:
            assert ranked[key] == 1 + sum(1 for v in values.values() if v is not None and v > value)
            assert 1 <= ranked[key] <= sum(v is not None for v in values.values())


@given(st.integers(1, 99))
def test_ranks_read_as_chinese_numerals(n):
    words = figures.chinese_number(n)
    assert words and "零" not in words
    assert figures.chinese_number(1) == "一" and figures.chinese_number(10) == "十"
    assert figures.chinese_number(12) == "十二" and figures.chinese_number(20) == "二十"


def test_the_sentence_of_a_bulletin():
    row = {"value": Decimal("980300.00"), "growth": Decimal("6.2"), "rank": 1}
    assert (
        figures.sentence(COMPARABLE, row, "全市")
        == "地区生产总值完成98.03亿元，同比增长6.2%，全市第一"
    )
    row = {"value": None, "growth": Decimal("4.7"), "rank": 2}
    assert figures.sentence(CURRENT, row, "全市") == "固定资产投资同比增长4.7%，全市第二"
    assert figures.versus_words(Decimal("1.2"), "全市") == "高于全市1.2个百分点"
    assert figures.versus_words(Decimal("-0.5"), "全市") == "低于全市0.5个百分点"
    assert figures.versus_words(Decimal("0"), "全市") == "与全市持平"
    assert figures.growth_words(Decimal("-3.0")) == "同比下降3.0%"
