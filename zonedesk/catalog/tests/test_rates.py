import decimal
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.catalog.money import parse_money
from zonedesk.catalog.rates import format_rate, growth, rate

D = Decimal
amounts = st.one_of(
    st.integers(-(10**12), 10**12),
    st.decimals(min_value=-(10**12), max_value=10**12, places=4),
)


def exact_percent(numerator, denominator, places):
    # Wide enough that no quotient of these inputs can round twice.
    with decimal.localcontext(prec=200):
        value = D(numerator) * 100 / D(denominator)
        return value.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_signed_investment_against_target():
    assert format_rate(parse_money("76.64亿元"), parse_money("72亿元")) == "106.44%"


def test_eleven_of_fourteen():
    assert format_rate(11, 14, places=1) == "78.6%"
    assert rate(11, 14, places=1) == D("78.6")


@pytest.mark.parametrize("denominator", [0, D("0.00"), None])
def test_undefined_rates(denominator):
    assert rate(5, denominator) is None
    assert format_rate(5, denominator) == "—"


def test_ties_round_half_up_away_from_zero():
    assert rate(1, 8, places=0) == D("13")  # 12.5; banker's rounding would give 12
    assert rate(-1, 8, places=0) == D("-13")
    assert format_rate(2, 3, places=0) == "67%"


@given(amounts, amounts.filter(lambda d: d != 0), st.integers(0, 4))
def test_rate_matches_exact_decimal_arithmetic_half_up(numerator, denominator, places):
    result = rate(numerator, denominator, places)
    assert isinstance(result, Decimal)
    assert result == exact_percent(numerator, denominator, places)
    assert result.as_tuple().exponent == -places
    assert format_rate(numerator, denominator, places) == f"{result}%"


@pytest.mark.parametrize("value", [0.5, float("nan")])
def test_floats_are_refused(value):
    with pytest.raises(TypeError):
        rate(value, 1)
    with pytest.raises(TypeError):
        rate(1, value)


def test_growth():
    assert growth(110, 100) == D("10.0")
    assert growth(D("76.64"), D("72"), places=2) == D("6.44")
    assert growth(90, 100) == D("-10.0")
    assert growth(5, 0) is None
    assert growth(-50, -100) is None  # a negative base has no meaningful growth
    assert growth(None, 100) is None


@given(amounts, amounts.filter(lambda d: d > 0))
def test_growth_is_the_rate_of_the_change(this, last):
    assert growth(this, last) == exact_percent(D(this) - D(last), last, 1)
