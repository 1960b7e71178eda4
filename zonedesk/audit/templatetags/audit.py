import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zonedesk.audit import labels

register = template.Library()

register.filter("field_label", labels.field_label)
register.filter("action_label", labels.action_label)


@register.simple_tag
def shown(model_class, name, value):
    """An old or new value as a reader expects it: a choice by its label, 是/否, ∅ for none."""
    if value is None or value == "":
        return "∅"
    if value is True or value is False:
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(map(str, value)) or "∅"
    try:
        field = model_class._meta.get_field(name)
    except (AttributeError, FieldDoesNotExist):
        return value
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        # Events keep dates as ISO text; shown as every page writes a date (2026年11月15日).
        try:
            return date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return value
    return dict(field.flatchoices).get(value, value)
