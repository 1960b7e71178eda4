import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.catalog import gbt4754_2017 as data
from zonedesk.catalog.models import IndustryCode
from zonedesk.catalog.validators import validate_industry_code

EDITION = "GB/T 4754-2017"
# The 大类 ranges of each 门类 as printed in the standard.
RANGES = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip


def test_data_module_has_every_section_and_division_in_its_range():
    assert [code for code, _ in data.SECTIONS] == list(string.ascii_uppercase[:20])
    assert [code for code, _, _ in data.DIVISIONS] == [f"{n:02}" for n in range(1, 98)]
    for code, _, section in data.DIVISIONS:
        low, high = RANGES[section]
        assert low <= int(code) <= high, code


@pytest.mark.django_db
def test_migration_loads_20_sections_and_97_divisions():
    codes = IndustryCode.objects.filter(edition=EDITION)
    assert codes.filter(level=IndustryCode.Level.SECTION).count() == 20
    assert codes.filter(level=IndustryCode.Level.DIVISION).count() == 97
    assert not codes.filter(level=IndustryCode.Level.DIVISION, parent=None).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "name", "section"),
    [
        ("22", "造纸和纸制品业", "C"),
        ("38", "电气机械和器材制造业", "C"),
        ("05", "农、林、牧、渔专业及辅助性活动", "A"),
        ("11", "开采专业及辅助性活动", "B"),
        ("65", "软件和信息技术服务业", "I"),
        ("96", "基层群众自治组织及其他组织", "S"),
        ("97", "国际组织", "T"),
    ],
)
def test_divisions_have_official_names_under_their_section(code, name, section):
    division = IndustryCode.objects.get(edition=EDITION, code=code)
    assert division.name == name
    assert division.parent.code == section
    assert str(division) == f"{code} {name}"


@pytest.mark.django_db
def test_section_c_is_manufacturing_with_31_divisions():
    c = IndustryCode.objects.get(edition=EDITION, code="C")
    assert c.name == "制造业"
    assert c.children.count() == 31


@pytest.mark.parametrize("code", ["A", "C", "T", "22", "382", "3825", " c ", "０１"])
def test_valid_industry_codes(code):
    assert validate_industry_code(code) == code.strip().upper().replace("０１", "01")


def test_unknown_division_names_the_code_and_edition():
    with pytest.raises(ValidationError, match=r"国民经济行业代码“99”不存在（GB/T 4754-2017）"):
        validate_industry_code("99")


@pytest.mark.parametrize("code", ["U", "Z", "00", "98", "9901"])
def test_codes_outside_the_standard_do_not_exist(code):
    with pytest.raises(ValidationError, match="不存在"):
        validate_industry_code(code)


@pytest.mark.parametrize("code", ["", "1", "38251", "C38", "AB", "电气"])
def test_malformed_codes_are_refused(code):
    with pytest.raises(ValidationError, match="格式不正确"):
        validate_industry_code(code)


@given(st.integers(1, 97), st.integers(0, 99).map(str))
def test_any_subclass_of_an_existing_division_is_accepted(division, rest):
    code = f"{division:02}{rest}"[:4]
    assert validate_industry_code(code) == code


def test_other_editions_are_a_programming_error():
    with pytest.raises(ValueError):
        validate_industry_code("22", edition="GB/T 4754-2011")
