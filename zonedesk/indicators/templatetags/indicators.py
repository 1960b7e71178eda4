"""How an indicator's figures show: tables in the indicator's unit with thousands separators
(万元 amounts to two places), cards in 亿元, rates with %, and — for what is missing."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from zonedesk.catalog.money import format_wan, format_yi

register = template.Library()
DASH = "—"


@register.filter
def figure(value, indicator):
    if value is None:
        return DASH
    if indicator.unit in ("家", "个"):
        return f"{Decimal(value).quantize(Decimal(1), ROUND_HALF_UP):,}"
    return format_wan(value)


@register.filter
def card(value, indicator):
    """On a card: 万元 as 亿元 with the unit, other units as they are."""
    if value is None:
        return DASH
    if indicator.is_money:
        return f"{format_yi(value)}亿元"
    return f"{figure(value, indicator)}{indicator.unit}"


@register.filter
def pct(value):
    return DASH if value is None else f"{value}%"


@register.filter
def points(value):
    """A gap in percentage points, signed."""
    return DASH if value is None else f"{value:+}"


@register.filter
def dash(value):
    return DASH if value is None or value == "" else value
