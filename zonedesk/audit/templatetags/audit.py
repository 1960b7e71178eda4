from django import template
from django.core.exceptions import FieldDoesNotExist
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
        choices = dict(model_class._meta.get_field(name).flatchoices)
    except (AttributeError, FieldDoesNotExist):
        choices = {}
    return choices.get(value, value)
