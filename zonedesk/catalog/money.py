"""Money in 万元 as Decimal: parsing what people type or paste, and formatting it back.

Statistics reports, Excel sheets and official documents write the same amount as
76.64亿元, 766,400, 七十六点六四亿 or 柒拾陆亿陆仟肆佰万元; all of them land here.
Anything hedged (约, 左右, 多, ranges) is refused rather than guessed.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

YUAN_PER = {"元": Decimal(1), "万元": Decimal(10_000), "万": Decimal(10_000)}
YUAN_PER["亿元"] = YUAN_PER["亿"] = Decimal(100_000_000)
ONE_YUAN = Decimal("0.0001")  # in 万元
WAN = Decimal(10_000)

_DIGITS = dict(zip("零一二三四五六七八九", range(10), strict=True)) | {"两": 2}
_PLACES = {"十": 10, "百": 100, "千": 1000}
# Capital (大写) and traditional forms reduce to the everyday characters.
_CANONICAL = str.maketrans(
    "〇壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億圆圓−",
    "零一二二三三四五六六七八九十百千万亿元元-",
)
_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", re.ASCII)


def to_decimal(value) -> Decimal:
    """int, Decimal or numeric str as an exact Decimal; floats are refused."""
    if isinstance(value, bool | float):
        raise TypeError(f"money must not be {type(value).__name__}: {value!r}")
    return value if isinstance(value, Decimal) else Decimal(value)


def parse_money(value, unit: str = "万元") -> Decimal:
    """Any written amount → Decimal 万元 to 1 元. `unit` applies when the text names none."""
    if unit not in YUAN_PER:
        raise ValueError(f"unknown unit {unit!r}")
    try:
        yuan = _parse_yuan(value, YUAN_PER[unit])
        result = (yuan / WAN).quantize(ONE_YUAN, rounding=ROUND_HALF_UP)
    except (ValueError, InvalidOperation):
        shown = "" if value is None else str(value).strip()
        raise ValidationError(f"无法识别的金额“{shown}”") from None
    return abs(result) if result.is_zero() else result  # no "-0.0000"


def _parse_yuan(value, yuan_per_unit: Decimal) -> Decimal:
    """The amount in 元; ValueError for anything that is not one clear number."""
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, int | Decimal | float):
        # Excel hands floats over; str() gives their shortest decimal form, 0.1 → "0.1".
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise ValueError(value)
        return number * yuan_per_unit

    text = unicodedata.normalize("NFKC", str(value)).translate(_CANONICAL)
    text = "".join(text.split())
    sign = -1 if text.startswith("-") else 1
    text = text.removeprefix("-").removesuffix("整")  # 大写 amounts end in 元整
    if text.endswith("元"):
        text, yuan_per_unit = text[:-1], Decimal(1)
    if "万" in text or "亿" in text:
        # A 万 or 亿 in the text is the unit: "3500万" is 3500 × 10^4 元.
        yuan_per_unit = Decimal(1)
    return sign * _split_large(text, "亿") * yuan_per_unit


def _split_large(text: str, mark: str) -> Decimal:
    """One 亿 (then one 万) level: "<high>亿<low>" is high × 10^8 + low."""
    scale = Decimal(10) ** (8 if mark == "亿" else 4)
    parse_level = (lambda t: _split_large(t, "万")) if mark == "亿" else _parse_small
    high, found, low = text.partition(mark)
    if not found:
        return parse_level(text)
    high_value = parse_level(high)
    if not low:
        return high_value * scale
    # "一万五", "1亿5": 15000 in speech, 10005 by the rules; too ambiguous to accept.
    if len(low) == 1:
        raise ValueError(text)
    low_value = parse_level(low)
    if low_value >= scale:
        raise ValueError(text)
    return high_value * scale + low_value


def _parse_small(text: str) -> Decimal:
    """A number without 万 or 亿: arabic, 3.5千, or Chinese like 三千零五 / 三点五."""
    if _ARABIC.fullmatch(text):
        return Decimal(text.replace(",", ""))
    if match := re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([十百千])", text):
        return Decimal(match[1]) * _PLACES[match[2]]
    whole, dot, fraction = text.partition("点")
    if dot and (not whole or not fraction or any(c not in _DIGITS for c in fraction)):
        raise ValueError(text)
    value = Decimal(_chinese_integer(whole))
    if fraction:
        value += Decimal("0." + "".join(str(_DIGITS[c]) for c in fraction))
    return value


def _chinese_integer(text: str) -> int:
    """0–9999 written with 千百十 places, e.g. 三千零五, 十二, 3千5百, 零."""
    if not text:
        raise ValueError(text)
    if set(text) == {"零"}:
        return 0
    total, pending, last_place, after_zero = 0, None, 10_000, False
    for i, char in enumerate(text):
        digit = _DIGITS.get(char, int(char) if char in "0123456789" else None)
        if char == "零":
            if pending is not None:
                raise ValueError(text)  # digit strings like 二零二三 are not amounts
            after_zero = True
        elif digit is not None:
            if pending is not None:
                raise ValueError(text)
            pending = digit
        elif char in _PLACES:
            place = _PLACES[char]
            if place >= last_place:
                raise ValueError(text)  # places must fall: 五百三千 is nonsense
            if pending is None and not (place == 10 and i == 0):  # only 十 implies 一
                raise ValueError(text)
            total += (1 if pending is None else pending) * place
            pending, last_place, after_zero = None, place, False
        else:
            raise ValueError(text)
    if pending is not None:
        # "一千五" means 1500 in speech but 1005 by the rules; refuse the ambiguity.
        if last_place in (100, 1000) and not after_zero:
            raise ValueError(text)
        total += pending
    return total


def _places_exponent(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def format_wan(value, places: int = 2) -> str:
    """万元 with thousands separators: Decimal("3500") → "3,500.00"."""
    rounded = to_decimal(value).quantize(_places_exponent(places), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}"


def format_yi(value_wan, places: int = 2) -> str:
    """万元 shown in 亿元: Decimal("766400") → "76.64"."""
    rounded = to_yi(value_wan).quantize(_places_exponent(places), rounding=ROUND_HALF_UP)
    return f"{rounded:.{places}f}"


def to_yi(wan) -> Decimal:
    return to_decimal(wan) / WAN


def to_wan(yi) -> Decimal:
    return to_decimal(yi) * WAN
