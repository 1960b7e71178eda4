"""Every figure a page shows, as officials read it: `{% load figures %}`.

- `wan`: 万元 in a table cell whose header names the unit — 1,261,700.00
- `money`: an amount in running text or on a card, the unit always shown — 126.17 亿元 from
  1 亿 up, 3,500.00 万元 below
- `percent`: a rate already rounded half up by `catalog.rates` — 106.44%, — when undefined
- `figure`: a registered figure (catalog.figures) as every page, export and document prints it
- `month` / `day` / `moment`: 2026年12月, 2026年12月3日, 2026年12月3日 14:05 (the active
  language's formats, so English pages read Dec. 3, 2026)

Digits and separators never break (`.kpi span` and `.num` forbid breaking inside a word, and
`.num` cells do not wrap at all), so a phone may put the unit on the next line of a card but
never splits the number. Values are Decimal (or int); a float is refused.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zonedesk.catalog import figures
from zonedesk.catalog.money import WAN, format_wan, format_yi, to_decimal
from zonedesk.catalog.rates import UNDEFINED

register = template.Library()


@register.filter
def figure(value, key):
    return figures.show(key, value)


@register.filter
def wan(value, places=2):
    """万元 with thousands separators, without the unit (the column header names it)."""
    if value is None or value == "":
        return UNDEFINED
    return format_wan(value, int(places))


@register.filter
def money(value, places=2):
    """万元 with its unit; 亿元 from 1 亿 (10,000 万元) up."""
    if value is None or value == "":
        return UNDEFINED
    if abs(to_decimal(value)) >= WAN:
        return f"{format_yi(value, int(places))} {_('亿元')}"
    return f"{format_wan(value, int(places))} {_('万元')}"


@register.filter
def percent(value, places=None):
    """A rate in percent as the report asks: `places` rounds half up, None keeps its own."""
    if value is None or value == "":
        return UNDEFINED
    value = to_decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    return f"{value}%"


# Dates give "" for none, like Django's own `date`, so `|default:_("长期")` still reads.
@register.filter(expects_localtime=True)
def month(value):
    return date_format(value, "YEAR_MONTH_FORMAT") if value else ""


@register.filter(expects_localtime=True)
def day(value):
    return date_format(value, "DATE_FORMAT") if value else ""


@register.filter(expects_localtime=True)
def moment(value):
    return date_format(value, "DATETIME_FORMAT") if value else ""
