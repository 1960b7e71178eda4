from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

# Names some events use that are not fields of their model.
EXTRA_LABELS = {"role": gettext_lazy("角色"), "token": gettext_lazy("接口令牌")}


@register.filter
def field_label(model_class, name):
    """The field's verbose name (姓名, 名称 …) instead of its code name."""
    try:
        return model_class._meta.get_field(name).verbose_name
    except (AttributeError, FieldDoesNotExist):
        return EXTRA_LABELS.get(name, name)


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
