"""Audit actions and recorded fields in words, for 变更记录 and the audit log.

Each app names the actions its services record (`project.create` → 新建项目) in its
AppConfig.ready(); `test_audit_labels` fails when a service records an action without one.
A step of a workflow (`blocker.answer`, `appeal.rate`) is named after its step choices, so
a new step has its words the moment it has its label.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

ACTIONS = {}
# Names events record that are no field of their model (a correction's reason, a role held).
FIELDS = {
    "reason": _("更正原因"),
    "role": _("角色"),
    "token": _("接口令牌"),
    "totp": _("两步验证"),
    "period": _("月份"),
    "error": _("错误"),
    "status": _("状态"),
}


def register(actions=None, *, fields=None):
    ACTIONS.update(actions or {})
    FIELDS.update(fields or {})


def register_steps(prefix, noun, choices):
    """`<prefix>.<step>` for each (value, label) of a step's choices: 问题·答复."""
    ACTIONS.update(
        {f"{prefix}.{value}": format_lazy("{}·{}", noun, label) for value, label in choices}
    )


def action_label(code):
    return ACTIONS.get(code, code)


def field_label(model_class, name):
    """The field's verbose name (姓名, 名称 …), else the registered word, else the code."""
    try:
        return model_class._meta.get_field(name).verbose_name
    except (AttributeError, FieldDoesNotExist):
        return FIELDS.get(name, name)
