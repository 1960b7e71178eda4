import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.catalog.validators import (
    PROVINCE_PREFIXES,
    region_code_within,
    validate_region_code,
    validate_stat_code,
)

REAL_PREFIXES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45]
REAL_PREFIXES += [46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]

counties = st.builds(
    lambda p, c, d: f"{p}{c:02}{d:02}",
    st.sampled_from(sorted(PROVINCE_PREFIXES)),
    st.integers(1, 99),
    st.integers(1, 99),
)


def test_the_province_list_is_exactly_gbt_2260():
    assert sorted(PROVINCE_PREFIXES) == REAL_PREFIXES


@pytest.mark.parametrize("prefix", range(100))
def test_only_real_province_prefixes_are_accepted(prefix):
    code = f"{prefix:02}0000"
    if prefix in REAL_PREFIXES:
        assert validate_region_code(code) == code
    else:
        with pytest.raises(ValidationError, match=f"省级代码“{prefix:02}”不存在"):
            validate_region_code(code)


@pytest.mark.parametrize(
    ("code", "level"),
    [("140000", "province"), ("140700", "city"), ("140725", "county"), ("110101", "county")],
)
def test_each_level_is_recognised(code, level):
    assert validate_region_code(code, level) == code


@pytest.mark.parametrize(
    ("code", "level", "message"),
    [
        ("140700", "province", "行政区划代码“140700”不是省级代码"),
        ("140000", "city", "不是地级代码"),
        ("140725", "city", "不是地级代码"),
        ("140700", "county", "不是县级代码"),
    ],
)
def test_wrong_level_is_refused(code, level, message):
    with pytest.raises(ValidationError, match=message):
        validate_region_code(code, level)


@pytest.mark.parametrize("code", ["14072", "1407250", "14O725", ""])
def test_malformed_codes_name_the_field(code):
    with pytest.raises(ValidationError, match=r"行政区划代码“.*”应为6位数字"):
        validate_region_code(code)


def test_full_width_digits_and_spaces_are_normalised():
    assert validate_region_code(" １４０７２５ ") == "140725"


def test_unknown_level_is_a_programming_error():
    with pytest.raises(ValueError):
        validate_region_code("140725", "town")


def test_stat_code():
    assert validate_stat_code("140725100201") == "140725100201"
    with pytest.raises(ValidationError, match="统计用区划代码“14072510020”应为12位数字"):
        validate_stat_code("14072510020")
    with pytest.raises(ValidationError, match="前6位“990725”不是有效的行政区划代码"):
        validate_stat_code("990725100201")


@given(counties)
def test_a_county_lies_within_its_city_province_and_itself(county):
    assert region_code_within(county, county[:2] + "0000")
    assert region_code_within(county, county[:4] + "00")
    assert region_code_within(county, county)


@given(counties, counties)
def test_a_county_lies_within_another_area_only_by_prefix(a, b):
    assert region_code_within(a, b[:2] + "0000") == (a[:2] == b[:2])
    assert region_code_within(a, b[:4] + "00") == (a[:4] == b[:4])
    assert region_code_within(a, b) == (a == b)


@given(counties, st.integers(1, 999), st.integers(1, 999))
def test_stat_codes_nest_under_their_county_and_township(county, town, village):
    child = f"{county}{town:03}{village:03}"
    assert region_code_within(child, county)
    assert region_code_within(child, county[:4] + "00")
    assert region_code_within(child, f"{county}{town:03}000")
    assert not region_code_within(county, child)


def test_malformed_codes_are_never_within():
    assert not region_code_within("14072", "140000")
    assert not region_code_within("140725", "abc")
