"""The one way domain records are written: every create and update here records its event.

Services of every app call `create` and `update` inside their own `transaction.atomic`, so
the change and its AuditEvent commit together or not at all.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from zonedesk.catalog import bounds, text

from .models import AuditEvent


class Conflict(Exception):
    """Someone saved the record after this user loaded it.

    `changes` maps each field the user tried to set to (their value, the value now stored),
    so the page can show the difference instead of overwriting it.
    """

    def __init__(self, obj, changes):
        super().__init__(_("该记录已被他人修改，请核对后重新提交"))
        self.current = obj
        self.model = type(obj)
        self.changes = changes


def plain(value):
    """A JSON-safe, human-readable form of a field value for the event's old → new."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return sorted(plain(v) for v in value)
    return value


def snapshot(obj, fields):
    return {f: plain(getattr(obj, f)) for f in fields}


def record(actor, action, target, *, org=None, changes=None):
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        actor_name=str(actor) if actor else _("系统"),
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        org=org,
        changes=changes or {},
    )


def check_fields(obj, fields):
    """Refuse, naming the field, before the database does: text longer than its column or
    not clean (catalog.text), and figures outside their bounds (catalog.bounds)."""
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if isinstance(value, str):
            limit = text.limit_of(field)
            if limit and len(value) > limit:
                raise ValidationError(
                    {
                        name: _("“%(field)s”不能超过%(n)d个字符（当前%(len)d个）")
                        % {"field": field.verbose_name, "n": limit, "len": len(value)}
                    }
                )
            try:
                text.clean(value)
            except ValidationError as e:
                raise ValidationError(
                    {name: [f"“{field.verbose_name}”{m}" for m in e.messages]}
                ) from None
        if bounds.of(field) is not None:
            bounds.check(type(obj), name, value)


def create(actor, obj, *, action, org, fields):
    """Save a new record and record its initial values."""
    check_fields(obj, fields)
    obj.save()
    record(
        actor,
        action,
        obj,
        org=org,
        changes={f: [None, v] for f, v in snapshot(obj, fields).items()},
    )
    return obj


def update(actor, obj, data, *, action, org, expected_version=None, note=None):
    """Apply `data` to `obj` if nobody changed it since `expected_version`.

    The version check and the write are one UPDATE ... WHERE version = n, so two
    concurrent saves cannot both pass. Returns the changes; none means nothing was written.
    """
    before, raw_before = snapshot(obj, data), {f: _raw(obj, f) for f in data}
    for field, value in data.items():
        setattr(obj, field, value)
    check_fields(obj, data)
    after = snapshot(obj, data)
    # Compared by stored value, not by display: two people may share a name.
    changes = {f: [before[f], after[f]] for f in data if _raw(obj, f) != raw_before[f]}
    version = obj.version if expected_version is None else int(expected_version)
    if not changes:
        return changes
    written = (
        type(obj)
        .objects.filter(pk=obj.pk, version=version)
        .update(version=F("version") + 1, **{f: getattr(obj, f) for f in changes})
    )
    if not written:
        _raise_conflict(obj, after)
    obj.version = version + 1
    # A note (e.g. a correction's reason) is kept with the event, never applied to the record.
    record(
        actor, action, obj, org=org, changes=changes | ({"reason": [None, note]} if note else {})
    )
    return changes


def _raw(obj, name):
    return getattr(obj, obj._meta.get_field(name).attname)


def _raise_conflict(obj, mine):
    current = type(obj).objects.get(pk=obj.pk)
    stored = snapshot(current, mine)
    raise Conflict(current, {f: (mine[f], stored[f]) for f in mine if mine[f] != stored[f]})
