"""parse_cell, the reader of every typed or posted cell: a number within bounds comes back as
the Decimal the column keeps; anything else is a ValidationError naming the cell, never
another exception."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.indicators.models import GROWTH, VALUE
from zonedesk.indicators.services import parse_cell

LABEL = "“固定资产投资”累计值"


@given(st.decimals(0, 10**12 - 1, places=2))
def test_a_number_within_bounds_reads_back_as_itself(number):
    for typed in (str(number), f"  {number} ", number):
        assert parse_cell(typed, VALUE, LABEL) == number


@given(st.text(max_size=20) | st.floats(allow_nan=True) | st.integers())
def test_anything_else_is_refused_naming_the_cell(raw):
    try:
        got = parse_cell(raw, VALUE, LABEL)
    except ValidationError as e:
        assert LABEL in e.messages[0]
    else:
        assert got is None or Decimal(0) <= got < 10**12


@given(st.decimals(-100, 99999, places=1))
def test_a_rate_typed_with_percent_is_refused(number):
    with pytest.raises(ValidationError) as e:
        parse_cell(f"{number}%", GROWTH, "“地区生产总值”同比增速")
    assert "不带%" in e.value.messages[0]
    assert parse_cell(str(number), GROWTH, "x") == number
