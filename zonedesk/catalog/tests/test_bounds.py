"""catalog.bounds: one definition per kind of figure, the same refusal in the parser, the API
schema and the form field; anything within the bound accepted, anything outside refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from ninja import Schema
from pydantic import ValidationError as SchemaError

from zonedesk.catalog import bounds
from zonedesk.catalog.bounds import COUNT, MONEY, MONTH, RATE, WORKING_DAYS, YEAR
from zonedesk.imports.engine import amount, count

WHOLE = [COUNT, YEAR, MONTH, WORKING_DAYS]


class Figures(Schema):
    money: bounds.Money
    count: bounds.Count | None = None


def within(bound):
    if bound.places:
        return st.decimals(min_value=bound.low, max_value=bound.high, places=bound.places)
    return st.integers(min_value=int(bound.low), max_value=int(bound.high))


def outside(bound):
    step = Decimal(1).scaleb(-bound.places)
    below = st.decimals(max_value=bound.low - step, places=bound.places, allow_nan=False)
    above = st.decimals(min_value=bound.high + step, places=bound.places, allow_nan=False)
    return st.one_of(below, above).filter(lambda d: d.is_finite())


@pytest.mark.parametrize("bound", [MONEY, RATE, *WHOLE], ids=lambda b: b.name)
def test_any_figure_within_its_bound_is_accepted_as_it_is(bound):
    @given(within(bound))
    def check(value):
        assert bound.clean(value) == value
        assert bound.clean(str(value)) == value

    check()


@pytest.mark.parametrize("bound", [MONEY, RATE, *WHOLE], ids=lambda b: b.name)
def test_any_figure_outside_its_bound_is_refused(bound):
    @given(outside(bound))
    def check(value):
        with pytest.raises(ValidationError):
            bound.clean(value)
        with pytest.raises(ValidationError):
            bound.clean(str(value))

    check()


@given(
    st.decimals(min_value=0, max_value=MONEY.high, allow_nan=False, allow_infinity=False).filter(
        lambda d: d != d.quantize(Decimal("0.01"))
    )
)
def test_money_with_more_than_two_places_is_refused(value):
    with pytest.raises(ValidationError, match="最多保留2位小数"):
        MONEY.clean(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e400", "金额应在0到999,999,999,999.99万元之间，而不是“1e400”"),
        (1e30, "金额应在0到999,999,999,999.99万元之间，而不是“1e+30”"),
        ("1234567890123456", "金额应在0到999,999,999,999.99万元之间，而不是“1234567890123456”"),
        ("-1", "金额不能为负数：“-1”"),
        ("Infinity", "金额应为数字，而不是“Infinity”"),
        ("NaN", "金额应为数字，而不是“NaN”"),
        ("很多", "金额应为数字，而不是“很多”"),
        (True, "金额应为数字，而不是“True”"),
        ("1.005", "金额最多保留2位小数：“1.005”"),
        ("9" * 100, "金额应在0到999,999,999,999.99万元之间，而不是“" + "9" * 30 + "…”"),
    ],
)
def test_money_refusals_say_what_is_wrong_and_quote_the_value(value, message):
    with pytest.raises(ValidationError) as refused:
        MONEY.clean(value)
    assert refused.value.messages == [message]


def test_whole_figures_refuse_fractions_and_come_back_as_int():
    assert YEAR.clean("2026") == 2026 and isinstance(YEAR.clean(Decimal("2026.0")), int)
    with pytest.raises(ValidationError, match="年度应为整数"):
        YEAR.clean("2026.5")


def test_the_money_column_is_numeric_14_2():
    column = MONEY.column
    assert (column["max_digits"], column["decimal_places"]) == (14, 2)
    assert RATE.column["max_digits"] == 5


@given(within(MONEY))
def test_the_api_type_accepts_what_the_bound_accepts_from_json_strings_and_numbers(value):
    assert Figures(money=str(value)).money == value
    assert Figures(money=float(value)).money == Decimal(repr(float(value)))


@given(outside(MONEY))
def test_the_api_type_refuses_what_the_bound_refuses_with_its_message(value):
    with pytest.raises(SchemaError) as refused:
        Figures(money=str(value))
    [error] = refused.value.errors()
    assert error["type"] == "out_of_bounds" and error["msg"].startswith("金额")


def test_the_api_type_leaves_non_numbers_to_the_number_type_and_allows_none():
    with pytest.raises(SchemaError) as refused:
        Figures(money="很多")
    assert refused.value.errors()[0]["type"].startswith("decimal")
    assert Figures(money="1", count=None).count is None
    with pytest.raises(SchemaError):
        Figures(money="1", count=10**30)


def test_the_openapi_schema_carries_the_bounds():
    properties = Figures.model_json_schema()["properties"]
    number, text = properties["money"]["anyOf"]
    assert (number["minimum"], number["maximum"]) == (0, 999999999999.99)
    assert text["pattern"] == r"^\d{1,12}(\.\d{1,2})?$"
    assert {"type": "integer", "minimum": 0, "maximum": 10_000_000} in properties["count"]["anyOf"]


@pytest.mark.parametrize(
    ("value", "valid"),
    [("999999999999.99", True), ("1e30", False), ("-1", False), ("0.001", False), ("12", True)],
)
def test_the_form_field_refuses_what_the_bound_refuses(value, valid):
    field = MONEY.form_field(label="总投资（万元）")
    if valid:
        assert field.clean(value) == Decimal(value)
    else:
        with pytest.raises(ValidationError):
            field.clean(value)
    assert field.widget.attrs | {"step": "0.01", "min": "0"} == field.widget.attrs


@given(within(MONEY))
def test_an_import_cell_within_the_bound_is_read_as_written(value):
    assert amount(format(value, "f"), "万元") == value


@given(outside(MONEY).filter(lambda d: abs(d) < 10**20))
def test_an_import_cell_outside_the_bound_is_refused_with_its_value(value):
    with pytest.raises(ValueError, match="金额") as refused:
        amount(format(value, "f"), "万元")
    assert format(value.normalize(), "f")[:30] in str(refused.value)


def test_an_import_cell_may_have_more_places_than_the_column_they_are_rounded_to():
    assert amount("1.2345", "万元") == Decimal("1.2345")
    assert count("1.2万", None) == 12_000
    with pytest.raises(ValueError, match="数量应在0到10,000,000之间"):
        count("20000000", None)
