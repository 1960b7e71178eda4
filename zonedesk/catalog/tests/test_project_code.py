import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.catalog.validators import validate_project_code

DASHES = ["-", "－", "—", "–", "‐", "−", "﹣", " - "]
REGIONS = ["140725", "140000", "110105", "330108", "650000"]


def test_valid_code_is_returned_unchanged():
    assert validate_project_code("2023-140725-04-01-000123") == "2023-140725-04-01-000123"


def test_full_width_characters_dashes_and_spaces_are_normalised():
    raw = " ２０２３－140725—04–01 - 000123 "
    assert validate_project_code(raw) == "2023-140725-04-01-000123"


@given(
    st.integers(1990, 2099),
    st.sampled_from(REGIONS),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 999_999),
    st.lists(st.sampled_from(DASHES), min_size=4, max_size=4),
)
def test_any_well_formed_code_with_any_dash_normalises(year, region, industry, kind, serial, seps):
    parts = [str(year), region, f"{industry:02}", f"{kind:02}", f"{serial:06}"]
    raw = parts[0] + "".join(d + p for d, p in zip(seps, parts[1:], strict=True))
    assert validate_project_code(raw) == "-".join(parts)


@given(st.integers(0, 23))
def test_dropping_any_character_makes_the_code_invalid(position):
    code = "2023-140725-04-01-000123"
    with pytest.raises(ValidationError, match="统一项目代码"):
        validate_project_code(code[:position] + code[position + 1 :])


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("1989-140725-04-01-000123", "统一项目代码“1989-140725-04-01-000123”的年份“1989”无效"),
        ("2100-140725-04-01-000123", "年份“2100”无效"),
        ("2023-990725-04-01-000123", "“2023-990725-04-01-000123”的行政区划代码“990725”无效"),
        ("2023-140725-4-01-000123", "格式不正确"),
        ("2023140725040100012", "格式不正确"),
        ("", "格式不正确"),
    ],
)
def test_errors_name_the_field_and_the_problem(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_project_code(code)


@given(st.text())
def test_any_text_either_validates_or_raises_validation_error(text):
    try:
        code = validate_project_code(text)
    except ValidationError:
        return
    assert len(code) == 24
