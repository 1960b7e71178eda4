"""Percentages for reports: 完成率, 占比 and 同比增长, rounded half up like the statistics bureau.

The quotient is rounded from the exact fraction, so there is no float and no double
rounding: 2/3 at 28 digits would already be a rounded number.
"""

from decimal import Decimal
from fractions import Fraction

from zonedesk.catalog.money import to_decimal

UNDEFINED = "—"


def _round_half_up(value: Fraction, places: int) -> Decimal:
    scaled = abs(value) * 10**places
    # floor(x + 1/2) on the magnitude is ROUND_HALF_UP (ties away from zero).
    magnitude = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(magnitude if value >= 0 else -magnitude).scaleb(-places)


def rate(numerator, denominator, places: int = 2) -> Decimal | None:
    """numerator ÷ denominator as a percentage; None when it is undefined."""
    if numerator is None or denominator is None or to_decimal(denominator) == 0:
        return None
    exact = Fraction(to_decimal(numerator)) * 100 / Fraction(to_decimal(denominator))
    return _round_half_up(exact, places)


def format_rate(numerator, denominator, places: int = 2) -> str:
    """The rate as text, e.g. "106.44%"; "—" when the denominator is zero or missing."""
    value = rate(numerator, denominator, places)
    return UNDEFINED if value is None else f"{value:.{places}f}%"


def growth(this, last, places: int = 1) -> Decimal | None:
    """同比增长 (this − last) ÷ last as a percentage.

    None when last year is missing, zero or negative: a rise from −100 to −50 would
    otherwise read as −50%, which is why statistical yearbooks leave such cells empty.
    """
    if this is None or last is None or to_decimal(last) <= 0:
        return None
    return rate(to_decimal(this) - to_decimal(last), last, places)
