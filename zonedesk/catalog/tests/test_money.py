import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.catalog.money import format_wan, format_yi, parse_money, to_wan, to_yi

D = Decimal
ONE_YUAN = D("0.0001")


def chinese(n: int) -> str:
    """Render 0 ≤ n < 10^16 the way it is written out: 一亿零五百万零三十."""
    digits = "零一二三四五六七八九"

    def below_10k(n):
        out, gap = "", False
        for place, mark in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = n // place % 10
            if d == 0:
                gap = bool(out)
                continue
            out += ("零" if gap else "") + digits[d] + mark
            gap = False
        return out

    def level(n, scale, mark, lower):
        if n < scale:
            return lower(n)
        high, low = divmod(n, scale)
        text = lower(high) + mark
        if low:
            text += ("零" if low < scale // 10 else "") + lower(low)
        return text

    def below_1e8(n):
        return level(n, 10**4, "万", below_10k)

    if n == 0:
        return "零"
    text = level(n, 10**8, "亿", below_1e8)
    return text[1:] if text.startswith("一十") else text  # 十二, not 一十二


CAPITALS = str.maketrans("零一二三四五六七八九十百千", "零壹贰叁肆伍陆柒捌玖拾佰仟")


def test_the_renderer_matches_written_chinese():
    assert chinese(12) == "十二"
    assert chinese(105_000_030) == "一亿零五百万零三十"
    assert chinese(35_000_000) == "三千五百万"
    assert chinese(1_000_100_000_000) == "一万零一亿"


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("76.64亿元", "766400"),
        ("3500万", "3500"),
        ("12000元", "1.2"),
        ("1,234.56", "1234.56"),
        ("１２３４．５", "1234.5"),
        ("三千五百万", "3500"),
        ("一亿二千万", "12000"),
        ("两亿", "20000"),
        ("十二万", "12"),
        ("三点五亿", "35000"),
        ("零点五亿元", "5000"),
        ("3.5千万", "3500"),
        ("1.2万亿", "120000000"),
        ("1亿2000万", "12000"),
        ("一万零五元", "1.0005"),
        ("壹亿贰仟万元整", "12000"),
        ("柒拾陆亿陆仟肆佰万元", "766400"),
        ("三千〇五", "3005"),
        ("-3,500.00", "-3500"),
        ("−12万", "-12"),
        ("0", "0"),
    ],
)
def test_known_amounts(text, wan):
    assert parse_money(text) == D(wan)


def test_unit_argument_applies_only_when_the_text_has_none():
    assert parse_money("1.2", unit="亿元") == D("12000")
    assert parse_money("12000", unit="元") == D("1.2")
    assert parse_money("3500万", unit="亿元") == D("3500")
    assert parse_money(D("76.64"), unit="亿元") == D("766400")
    with pytest.raises(ValueError):
        parse_money("1", unit="美元")


@pytest.mark.parametrize(
    "text",
    [
        "约三亿",
        "3亿左右",
        "三千多万",
        "1亿余元",
        "3-5亿",
        "3~5亿",
        "3至5亿",
        "",
        "  ",
        "万元",
        "负三千",
        "--5",
        "1,2345",
        "一千五",
        "一万五",
        "1万5",
        "二〇二三",
        "三三",
        "五百三千",
        "abc",
    ],
)
def test_hedged_or_unclear_amounts_are_refused_by_name(text):
    with pytest.raises(ValidationError, match=re.escape(f"无法识别的金额“{text.strip()}”")):
        parse_money(text)


@pytest.mark.parametrize("value", [None, True, float("nan"), float("inf"), D("NaN"), "1" * 40])
def test_non_amounts_are_refused(value):
    with pytest.raises(ValidationError, match="无法识别的金额"):
        parse_money(value)


def test_excel_floats_are_taken_at_their_shortest_decimal_form():
    assert parse_money(0.1) == D("0.1")
    assert parse_money(1234.56) == D("1234.56")
    assert parse_money(76.64, unit="亿元") == D("766400")


def test_result_is_quantised_to_one_yuan_half_up():
    assert parse_money("0.5元") == D("0.0001")
    assert parse_money("0.49元") == D("0")
    assert parse_money("-0.5元") == D("-0.0001")
    assert parse_money("1.23456") == D("1.2346")
    assert str(parse_money("-0.4元")) == "0.0000"


@given(st.integers(0, 10**16 - 1))
def test_chinese_numerals_of_any_integer_parse_back(n):
    expected = (D(n) / 10_000).quantize(ONE_YUAN, rounding=ROUND_HALF_UP)
    assert parse_money(chinese(n), unit="元") == expected
    assert parse_money(chinese(n).translate(CAPITALS) + "元整") == expected


@given(st.integers(0, 9_999))
def test_chinese_numerals_without_a_unit_are_in_the_given_unit(n):
    assert parse_money(chinese(n)) == n
    assert parse_money(chinese(n) + "万") == n
    assert parse_money(chinese(n) + "亿") == n * 10_000


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4))
def test_format_wan_round_trips_through_parse_money(value):
    shown = format_wan(value)
    assert parse_money(shown) == value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@given(st.decimals(min_value=0, max_value=10**12, places=4))
def test_format_yi_round_trips_in_yi(value):
    shown = format_yi(value, places=4)
    expected = to_wan(to_yi(value).quantize(D("0.0001"), rounding=ROUND_HALF_UP))
    assert parse_money(shown + "亿元") == expected
    assert parse_money(shown, unit="亿元") == parse_money(shown + "亿元")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6))
def test_yuan_text_quantises_exactly_like_decimal(value):
    expected = (value / 10_000).quantize(ONE_YUAN, rounding=ROUND_HALF_UP)
    assert parse_money(f"{value:f}元") == expected


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4))
def test_to_yi_and_to_wan_are_exact_inverses(value):
    assert to_wan(to_yi(value)) == value


def test_formatting():
    assert format_wan(D("3500")) == "3,500.00"
    assert format_wan(D("1234567.891"), places=0) == "1,234,568"
    assert format_wan(D("0.005")) == "0.01"  # half up, not banker's 0.00
    assert format_wan(D("-2.675")) == "-2.68"
    assert format_yi(D("766400")) == "76.64"
    assert format_yi(D("12345678")) == "1234.57"
    assert format_yi(500) == "0.05"


def test_floats_are_refused_by_formatting_and_conversion():
    with pytest.raises(TypeError):
        format_wan(0.1)
    with pytest.raises(TypeError):
        to_yi(1.5)


@given(st.one_of(st.text(), st.text(alphabet="0123456789零一二两三四五六七八九十百千万亿点元,.-")))
def test_any_text_either_parses_or_raises_validation_error(text):
    try:
        result = parse_money(text)
    except ValidationError:
        return
    assert result == result.quantize(ONE_YUAN)
