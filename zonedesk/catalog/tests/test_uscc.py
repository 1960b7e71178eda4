import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.catalog.validators import (
    USCC_CHARS,
    _org_code_check_digit,
    make_uscc,
    uscc_check_digit,
    validate_uscc,
)

# Published codes, each checked against both check digits by this implementation.
# (911101087226226838, often quoted, fails its 组织机构代码 check digit and is left out.)
PUBLISHED = [
    "91350100M000100Y43",
    "91110105771583283D",
    "91110000802100433B",
    "91110108740084270C",
    "91110108735106340Y",
    "911101077776591113",
    "91110108551385082Q",
    "91440300359143307G",
    "91440300708461136T",
    "112302070019030687",
    "51610700305332460K",
]
COUNTIES = ["140725", "110101", "310115", "440305", "650102", "469001"]


def _with_check_digits(first16: str) -> str:
    first17 = first16 + _org_code_check_digit(first16[8:])
    return first17 + uscc_check_digit(first17)


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_validate(code):
    assert validate_uscc(code) == code


def test_input_is_stripped_uppercased_and_made_half_width():
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert validate_uscc("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


def test_check_digit_of_the_standard_example():
    assert uscc_check_digit("91350100M000100Y4") == "3"


@given(st.text(), st.sampled_from(COUNTIES))
def test_make_uscc_output_always_validates(seed, region):
    code = make_uscc(seed, region)
    assert validate_uscc(code) == code
    assert code[2:8] == region


@given(st.text())
def test_make_uscc_is_deterministic(seed):
    assert make_uscc(seed) == make_uscc(seed)


@given(
    st.text(),
    st.integers(0, 17),
    st.sampled_from(USCC_CHARS + "IOZSV*"),
)
def test_changing_any_character_breaks_the_code(seed, position, replacement):
    code = make_uscc(seed)
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError):
        validate_uscc(changed)


@given(st.text(), st.integers(0, 16), st.sampled_from(USCC_CHARS))
def test_the_18th_digit_alone_catches_every_single_substitution(seed, position, replacement):
    # Weights 3^i mod 31 are all invertible mod 31, so no one-character change survives.
    code = make_uscc(seed)
    changed = code[:position] + replacement + code[position + 1 : 17]
    if changed != code[:17]:
        assert uscc_check_digit(changed) != code[17]


def test_wrong_length_names_the_length():
    with pytest.raises(ValidationError, match="统一社会信用代码应为18位，当前为17位"):
        validate_uscc("91350100M000100Y4")


def test_wrong_18th_digit_names_the_right_one():
    with pytest.raises(ValidationError, match="统一社会信用代码第18位校验码错误，应为“3”"):
        validate_uscc("91350100M000100Y44")


def test_wrong_17th_digit_names_the_right_one():
    first17 = "91350100M000100Y5"  # 组织机构代码 check digit should be 4
    with pytest.raises(ValidationError, match="第17位（组织机构代码校验码）错误，应为“4”"):
        validate_uscc(first17 + uscc_check_digit(first17))


@pytest.mark.parametrize("letter", "IOZSV")
def test_letters_outside_the_charset_are_refused(letter):
    with pytest.raises(ValidationError, match=f"第9位“{letter}”不是有效字符"):
        validate_uscc(f"91350100{letter}000100Y43")


@pytest.mark.parametrize(
    ("first16", "message"),
    [
        ("B1350100M000100Y", "第1位登记管理部门代码“B”无效"),
        ("94350100M000100Y", "第2位机构类别代码“4”在登记管理部门“9”下无效"),
        ("91990100M000100Y", "第3–8位登记管理机关行政区划码“990100”无效"),
    ],
)
def test_structural_errors_name_the_position(first16, message):
    with pytest.raises(ValidationError, match=message):
        validate_uscc(_with_check_digits(first16))


def test_central_level_registration_region_is_accepted():
    code = _with_check_digits("11100000MB012345")
    assert validate_uscc(code) == code


def test_check_digit_helper_refuses_malformed_input():
    with pytest.raises(ValueError):
        uscc_check_digit("91350100M000100Y")
    with pytest.raises(ValueError):
        uscc_check_digit("91350100I000100Y4")


@given(st.one_of(st.text(), st.text(alphabet=USCC_CHARS, min_size=18, max_size=18)))
def test_any_text_either_validates_or_raises_validation_error(text):
    try:
        code = validate_uscc(text)
    except ValidationError:
        return
    assert code[17] == uscc_check_digit(code[:17])
