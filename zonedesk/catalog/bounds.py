"""The bounds of every figure ZoneDesk stores, one definition per kind of figure.

A figure is refused where it enters, by the same `Bound` each time: the API schema
(`schema()`), the form (`form_field()`), the import cell and the services (`clean()` /
`check()`; audit.check_fields applies it to every record written), and the database itself
(`constraint()`, a CHECK on the column). A single row holding inf or a 16-digit total made
every list, board, cockpit and export above it answer 500, so nothing out of bounds may
reach the ledger by any road.
"""

import dataclasses
from decimal import Decimal, InvalidOperation
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

SHOWN = 30  # characters of a refused value quoted back in the message


@dataclasses.dataclass(frozen=True)
class Bound:
    name: str  # the constant's name below, for model validators in migrations
    what: str  # the kind of figure, as messages say it
    low: Decimal
    high: Decimal
    places: int = 0
    unit: str = ""

    def number(self, value):
        """`value` read as the decimal it shows (floats, i.e. JSON numbers, by their shortest
        repr), or None when it is not a number at all."""
        if isinstance(value, bool):
            return None
        try:
            return Decimal(repr(value) if isinstance(value, float) else value)
        except (InvalidOperation, TypeError, ValueError):
            return None

    def clean(self, value, *, rounded=False, label=None):
        """`value` as an int (whole figures) or a Decimal, or ValidationError saying what is
        wrong with it, about `label` (the field's name) or the kind of figure. With
        `rounded`, more decimal places pass, for a caller that rounds to the column's."""
        shown = str(value).strip()
        say = {
            "what": label or self.what,
            "v": shown if len(shown) <= SHOWN else shown[:SHOWN] + "…",
            "low": _display(self.low),
            "high": _display(self.high),
            "unit": self.unit,
            "places": self.places,
        }
        number = self.number(value)
        if number is None or not number.is_finite():
            raise ValidationError(_("%(what)s应为数字，而不是“%(v)s”") % say)
        if number < 0 <= self.low:
            raise ValidationError(_("%(what)s不能为负数：“%(v)s”") % say)
        if not self.low <= number <= self.high:
            raise ValidationError(
                _("%(what)s应在%(low)s到%(high)s%(unit)s之间，而不是“%(v)s”") % say
            )
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            if not self.places:
                raise ValidationError(_("%(what)s应为整数，而不是“%(v)s”") % say)
            if not rounded:
                raise ValidationError(_("%(what)s最多保留%(places)d位小数：“%(v)s”") % say)
        return number if self.places else int(number)

    def validate(self, value):
        """A validator for form fields."""
        self.clean(value)

    @property
    def column(self):
        """Model field options: a money column's digits follow from its bound."""
        options = {"validators": [Within(self.name)]}
        if self.places:
            digits = len(str(int(max(abs(self.low), abs(self.high)))))
            options |= {"max_digits": digits + self.places, "decimal_places": self.places}
        return options

    def constraint(self, table, field):
        """The bound as a CHECK on `field`; NULL passes, as in SQL."""
        low, high = (self.low, self.high) if self.places else (int(self.low), int(self.high))
        return CheckConstraint(
            condition=Q(**{f"{field}__isnull": True})
            | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
            name=f"{table}_{field}_bounds",
        )

    def schema(self):
        """The API schema's type: refused with this module's message, bounds in OpenAPI."""

        def parse(value):
            if value is None or (self.number(value) is None and not isinstance(value, bool)):
                return value  # not a number at all: the type's own error says so
            try:
                return self.clean(value)
            except ValidationError as e:
                message = {"message": e.messages[0]}
                raise PydanticCustomError("out_of_bounds", "{message}", message) from None

        number = {"minimum": float(self.low), "maximum": float(self.high)}
        if self.places:
            whole = len(str(int(self.high)))
            sign = "-?" if self.low < 0 else ""
            text = rf"^{sign}\d{{1,{whole}}}(\.\d{{1,{self.places}}})?$"
            json = {"anyOf": [{"type": "number", **number}, {"type": "string", "pattern": text}]}
            return Annotated[Decimal, BeforeValidator(parse), WithJsonSchema(json)]
        json = {"type": "integer", **{k: int(v) for k, v in number.items()}}
        return Annotated[int, BeforeValidator(parse), WithJsonSchema(json)]

    def form_field(self, **options):
        """A form field refusing what `clean` refuses, with the bound in the HTML input."""
        kind = forms.DecimalField if self.places else forms.IntegerField
        field = kind(validators=[self.validate], **options)
        step = str(Decimal(1).scaleb(-self.places))
        field.widget.attrs.update(min=str(self.low), max=str(self.high), step=step)
        return field


def _display(value):
    return f"{value:,}" if abs(value) >= 10_000 else str(value)


def _bound(name, what, low, high, places=0, unit=""):
    return Bound(name, what, Decimal(low), Decimal(high), places, unit)


# Money in 万元 to two places within numeric(14, 2), never negative: every amount ZoneDesk
# keeps (investment, output, tax, capital, funds, targets) is an amount, not a balance.
MONEY = _bound("MONEY", gettext_lazy("金额"), 0, "999999999999.99", 2, gettext_lazy("万元"))
# People, projects and other things counted.
COUNT = _bound("COUNT", gettext_lazy("数量"), 0, 10_000_000)
RATE = _bound("RATE", gettext_lazy("比率"), 0, 100, 2, "%")
YEAR = _bound("YEAR", gettext_lazy("年度"), 2000, 2100)
MONTH = _bound("MONTH", gettext_lazy("月份"), 1, 12)
QUARTER = _bound("QUARTER", gettext_lazy("季度"), 1, 4)
# A time limit in working days: more than a year of them is a typo.
WORKING_DAYS = _bound("WORKING_DAYS", gettext_lazy("工作日数"), 1, 365)

BOUNDS = {b.name: b for b in (MONEY, COUNT, RATE, YEAR, MONTH, QUARTER, WORKING_DAYS)}

# The API's types.
Money = MONEY.schema()
Count = COUNT.schema()
Rate = RATE.schema()
Year = YEAR.schema()
Month = MONTH.schema()
Quarter = QUARTER.schema()
WorkingDays = WORKING_DAYS.schema()


@deconstructible(path="zonedesk.catalog.bounds.Within")
class Within:
    """A model field's validator naming its bound, so that migrations can refer to it."""

    def __init__(self, bound):
        self.bound = bound

    def __call__(self, value):
        BOUNDS[self.bound].validate(value)

    def __eq__(self, other):
        return isinstance(other, Within) and other.bound == self.bound

    def __hash__(self):
        return hash(self.bound)


def of(field):
    """The Bound of a model field, or None."""
    for validator in getattr(field, "_validators", ()):
        if isinstance(validator, Within):
            return BOUNDS[validator.bound]
    return None


def check(model, name, value):
    """For services: `value` within the bound of the column `model.name`, or ValidationError
    naming the field; None passes (whether the field may be empty is the service's rule)."""
    if value is None:
        return None
    field = model._meta.get_field(name)
    try:
        return of(field).clean(value, label=field.verbose_name)
    except ValidationError as e:
        raise ValidationError({name: e.messages}) from None
