"""Validators for the national codes ZoneDesk stores.

Each validator returns the normalised value or raises ValidationError with a Chinese
message that names the field, so forms and spreadsheet imports can show it as is.
"""

import hashlib
import re
import unicodedata

from django.core.exceptions import ValidationError

from zonedesk.catalog import gbt4754_2017

# ---------------------------------------------------------------------------
# Shared normalisation

# Dashes people paste from Word, WPS and web pages instead of "-".
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹘"), "-")


def _compact(value) -> str:
    """Full-width to half-width (NFKC), dashes unified, all whitespace removed."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return "".join(text.translate(_DASHES).split())


# ---------------------------------------------------------------------------
# GB/T 2260 行政区划代码 and 统计用区划代码

# Province-level prefixes in GB/T 2260 (71 台湾, 81 香港, 82 澳门 included).
PROVINCE_PREFIXES = frozenset(
    {*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55)}
    | {*range(61, 66), 71, 81, 82}
)
REGION_LEVELS = {"province": "省级", "city": "地级", "county": "县级"}


def validate_region_code(value, level: str | None = None) -> str:
    """GB/T 2260 six-digit code; `level` optionally demands province, city or county."""
    if level is not None and level not in REGION_LEVELS:
        raise ValueError(f"unknown region level {level!r}")
    code = _compact(value)
    if not re.fullmatch(r"\d{6}", code):
        raise ValidationError(f"行政区划代码“{code}”应为6位数字")
    if int(code[:2]) not in PROVINCE_PREFIXES:
        raise ValidationError(f"行政区划代码“{code}”的省级代码“{code[:2]}”不存在")
    is_level = {
        "province": code.endswith("0000"),
        "city": code.endswith("00") and not code.endswith("0000"),
        "county": not code.endswith("00"),
    }
    if level and not is_level[level]:
        raise ValidationError(f"行政区划代码“{code}”不是{REGION_LEVELS[level]}代码")
    return code


def validate_stat_code(value) -> str:
    """12-digit 统计用区划代码: county code + 3-digit township + 3-digit village."""
    code = _compact(value)
    if not re.fullmatch(r"\d{12}", code):
        raise ValidationError(f"统计用区划代码“{code}”应为12位数字")
    try:
        validate_region_code(code[:6])
    except ValidationError:
        raise ValidationError(
            f"统计用区划代码“{code}”的前6位“{code[:6]}”不是有效的行政区划代码"
        ) from None
    return code


def region_code_within(child, parent) -> bool:
    """True when `child` lies in `parent` (or is it); both 6-digit or 12-digit codes.

    The parent's trailing all-zero levels are wildcards: 140000 covers 14xxxx,
    140700 covers 1407xx, 140725000000 covers 140725xxxxxx.
    """
    child, parent = _compact(child), _compact(parent)
    if not all(re.fullmatch(r"\d{6}|\d{12}", c) for c in (child, parent)):
        return False
    # Level boundaries: province 2, city 4, county 6, township 9, village 12.
    prefix = next(n for n in (2, 4, 6, 9, 12) if not parent[n:].strip("0"))
    return child.startswith(parent[:prefix])


# ---------------------------------------------------------------------------
# GB 32100-2015 统一社会信用代码

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# 登记管理部门代码 → its 机构类别代码. GB 32100 plus the departments and categories
# assigned since (外交, 司法行政, 农业农村, 村居委会 ...); a real code must not be refused.
USCC_CATEGORIES = {
    "1": "1239",  # 机构编制：机关、事业单位、编办管理的群众团体、其他
    "2": "19",  # 外交：外国常驻新闻机构、其他
    "3": "1234569",  # 司法行政：律所、公证处、基层法律服务所、司法鉴定、仲裁委、商事调解、其他
    "4": "19",  # 文化：外国在华文化中心、其他
    "5": "123459",  # 民政：社团、民非、基金会、村委会、居委会、其他
    "6": "129",  # 旅游：外国及港澳台旅游部门代表机构、其他
    "7": "129",  # 宗教：宗教活动场所、宗教院校、其他
    "8": "129",  # 工会：基层工会、非法人工会组织、其他
    "9": "1239",  # 市场监管：企业、个体工商户、农民专业合作社、其他
    "A": "19",  # 中央军委改革和编制办公室
    "G": "19",  # 公安：境外非政府组织代表机构
    "J": "19",  # 住房城乡建设：业主大会
    "N": "1239",  # 农业农村：组级、村级、乡镇级集体经济组织、其他
    "Q": "1239",  # 侨联
    "Y": "1",  # 其他
}
# 3–8 位 is the registering authority's region; central-level authorities use 100000.
NATIONAL_REGION = "100000"


def _org_code_check_digit(body: str) -> str:
    """GB 11714 组织机构代码 check digit over the first 8 characters."""
    # int(c, 36) values digits 0-9 and letters A-Z as 10-35, as GB 11714 does.
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    return {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))


def uscc_check_digit(first17: str) -> str:
    """The GB 32100 18th character for the first 17 characters of a code."""
    if len(first17) != 17 or any(c not in USCC_CHARS for c in first17):
        raise ValueError(f"need 17 characters from {USCC_CHARS}, got {first17!r}")
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(value) -> str:
    code = _compact(value).upper()
    if len(code) != 18:
        raise ValidationError(f"统一社会信用代码应为18位，当前为{len(code)}位")
    for i, c in enumerate(code, 1):
        if c not in USCC_CHARS:
            raise ValidationError(
                f"统一社会信用代码第{i}位“{c}”不是有效字符（只用数字和除I、O、Z、S、V外的大写字母）"
            )
    if code[0] not in USCC_CATEGORIES:
        raise ValidationError(f"统一社会信用代码第1位登记管理部门代码“{code[0]}”无效")
    if code[1] not in USCC_CATEGORIES[code[0]]:
        raise ValidationError(
            f"统一社会信用代码第2位机构类别代码“{code[1]}”在登记管理部门“{code[0]}”下无效"
        )
    region = code[2:8]
    if region != NATIONAL_REGION:
        try:
            validate_region_code(region)
        except ValidationError:
            raise ValidationError(
                f"统一社会信用代码第3–8位登记管理机关行政区划码“{region}”无效"
            ) from None
    # The 18th digit covers the whole code, so report it before the narrower 17th.
    expected = uscc_check_digit(code[:17])
    if code[17] != expected:
        raise ValidationError(f"统一社会信用代码第18位校验码错误，应为“{expected}”")
    expected = _org_code_check_digit(code[8:16])
    if code[16] != expected:
        raise ValidationError(f"统一社会信用代码第17位（组织机构代码校验码）错误，应为“{expected}”")
    return code


def make_uscc(seed: str, region: str = "140725") -> str:
    """A valid enterprise code (登记部门 9, 类别 1) derived only from `seed`, for demo data."""
    region = validate_region_code(region)
    digest = hashlib.sha256(seed.encode()).digest()
    body = "".join(USCC_CHARS[b % len(USCC_CHARS)] for b in digest[:8])
    first17 = "91" + region + body + _org_code_check_digit(body)
    return first17 + uscc_check_digit(first17)


# ---------------------------------------------------------------------------
# 统一项目代码 (全国投资项目在线审批监管平台)

_PROJECT_CODE = re.compile(r"(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})")


def validate_project_code(value) -> str:
    """YYYY-行政区划(6)-行业(2)-类别(2)-流水号(6), e.g. 2023-140725-04-01-000123."""
    code = _compact(value)
    match = _PROJECT_CODE.fullmatch(code)
    if not match:
        raise ValidationError(
            f"统一项目代码“{code}”格式不正确，应为“年份-行政区划-行业-类别-流水号”"
            "（4-6-2-2-6位数字），如“2023-140725-04-01-000123”"
        )
    year, region = match[1], match[2]
    if not 1990 <= int(year) <= 2099:
        raise ValidationError(f"统一项目代码“{code}”的年份“{year}”无效")
    try:
        validate_region_code(region)
    except ValidationError:
        raise ValidationError(f"统一项目代码“{code}”的行政区划代码“{region}”无效") from None
    return code


# ---------------------------------------------------------------------------
# GB/T 4754 国民经济行业分类

_SECTION_CODES = frozenset(code for code, _ in gbt4754_2017.SECTIONS)
_DIVISION_CODES = frozenset(code for code, _, _ in gbt4754_2017.DIVISIONS)


def validate_industry_code(code, edition: str = gbt4754_2017.EDITION) -> str:
    """A 门类 letter, or a 2–4 digit 大类/中类/小类 code whose 大类 exists."""
    if edition != gbt4754_2017.EDITION:
        raise ValueError(f"unsupported industry classification edition {edition!r}")
    value = _compact(code).upper()
    if not re.fullmatch(r"[A-Z]|\d{2,4}", value):
        raise ValidationError(
            f"国民经济行业代码“{value}”格式不正确，应为门类字母或2–4位数字（{edition}）"
        )
    if value not in _SECTION_CODES and value[:2] not in _DIVISION_CODES:
        raise ValidationError(f"国民经济行业代码“{value}”不存在（{edition}）")
    return value
