"""The one filter library for figures: 万元 with separators in tables, 亿元 on cards from
1 亿 up, the unit always shown and never split, rates half up, dates as officials write them."""

import datetime
from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.catalog.money import parse_money
from zonedesk.catalog.templatetags.figures import day, money, month, percent, wan


def test_the_cockpit_total_reads_as_an_official_reads_it():
    assert wan(D("1261700")) == "1,261,700.00"
    assert money(D("1261700")) == "126.17 亿元"
    assert money(D("58000")) == "5.80 亿元"
    assert money(D("9999.99")) == "9,999.99 万元"
    assert money(D("10000")) == "1.00 亿元"
    assert wan(D("5000"), 0) == "5,000"
    assert wan(None) == money(None) == "—"


def test_amounts_round_half_up_never_through_float():
    assert wan(D("0.005")) == "0.01"
    assert money(D("12345.005")) == "1.23 亿元"
    with pytest.raises(TypeError):
        wan(0.1)


@given(st.decimals(min_value=0, max_value=D("999999999999.99"), places=2))
def test_what_is_shown_reads_back_as_the_same_amount(value):
    assert parse_money(wan(value)) == value
    shown = money(value).replace(" ", "")
    # 亿元 keeps two places: the amount read back is within half a unit of the last place.
    assert abs(parse_money(shown) - value) <= (D("50") if value >= 10_000 else D("0.005"))


def test_rates_show_the_places_the_report_asks():
    assert percent(D("106.44")) == "106.44%"
    assert percent(D("78.55"), 1) == "78.6%"
    assert percent(D("-2.25"), 1) == "-2.3%"
    assert percent(None) == "—"


def test_dates_in_chinese_and_in_english():
    d = datetime.date(2026, 12, 3)
    with translation.override("zh-hans"):
        assert (month(d), day(d)) == ("2026年12月", "2026年12月3日")
    with translation.override("en"):
        assert month(d) == "December 2026"
        assert "2026" in day(d) and "Dec" in day(d)
    assert day(None) == ""


def test_the_template_library_loads_as_one():
    out = Template("{% load figures %}{{ v|money }} {{ v|wan }} {{ r|percent }} {{ d|month }}")
    with translation.override("zh-hans"):
        text = out.render(
            Context({"v": D("766400"), "r": D("106.44"), "d": datetime.date(2026, 1, 1)})
        )
    assert text == "76.64 亿元 766,400.00 106.44% 2026年1月"
