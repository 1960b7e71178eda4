"""Query parameters a view cannot read are refused with a 400 that names them, instead of
being quietly replaced (an export of another period than the one asked for is worse than
none) or reaching the database (PostgreSQL refuses a NUL in a string with an error)."""

import datetime
from functools import wraps

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _


class BadParameter(BadRequest):
    """Answered as a 400 page on the web, a 400 JSON naming `name` in the API."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name


def nul_parameter(request):
    """The name of the first query parameter whose name or value holds a NUL, if any."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "")
    return None


def _year(value):
    return value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100


def _month(value):
    return value.isascii() and value.isdigit() and 1 <= int(value) <= 12


def _year_month(value):
    try:
        return 2000 <= datetime.datetime.strptime(value, "%Y-%m").year <= 2100
    except ValueError:
        return False


YEAR = (_year, lambda: _("应为 2000—2100 之间的年份"))
MONTH = (_month, lambda: _("应为 1—12 之间的月份"))
YEAR_MONTH = (_year_month, lambda: _("应为年月，如 2026-05"))


def period_params(**rules):
    """An export view refuses a period parameter it cannot read (`@period_params(year=YEAR)`);
    an empty or absent one still means the view's default period."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            for name, (valid, message) in rules.items():
                value = request.GET.get(name, "")
                if value and not valid(value):
                    raise BadParameter(
                        name,
                        _("参数“%(name)s”%(rule)s，收到“%(value)s”")
                        % {"name": name, "rule": message(), "value": value[:20]},
                    )
            return view(request, *args, **kwargs)

        return checked

    return decorate
