"""Every write to meetings, their agenda and decisions; each in one transaction with one event.

The lifecycle is 待召开 (draft) → 已召开 (held) → 已归档 (closed). The agenda is edited while
the meeting is a draft; minutes and decisions until it is closed; a closed meeting is a record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.orgs.models import Org
from zonedesk.supervision.services import deadline_from, raise_blocker

from . import selectors
from .models import AgendaItem, Decision, Meeting

Status = Meeting.Status
FIELDS = ["kind", "title", "held_at", "place", "chair", "attendees", "period"]
EDITABLE = ["title", "held_at", "place", "chair", "attendees", "period"]
ITEM_LINKS = ["project", "lead", "approval", "blocker"]


def require_edit(actor, meeting):
    if not selectors.can_edit(actor, meeting):
        raise PermissionDenied(_("只有本开发区的领导、项目专员或管理员可以编辑调度会"))


def _require_open(meeting, *statuses):
    if meeting.status not in statuses:
        raise ValidationError(
            {"status": _("会议%(s)s，不能再修改此项") % {"s": Meeting.Status(meeting.status).label}}
        )


def _clean(data, org):
    if org.kind != Org.Kind.ZONE:
        raise ValidationError({"org": _("调度会应属于开发区")})
    data["title"] = (data.get("title") or "").strip()
    if not data["title"]:
        raise ValidationError({"title": _("请填写会议名称")})
    if data.get("held_at") is None:
        raise ValidationError({"held_at": _("请填写会议时间")})
    if timezone.is_naive(data["held_at"]):
        data["held_at"] = timezone.make_aware(data["held_at"])
    if data.get("kind") not in Meeting.Kind.values:
        raise ValidationError({"kind": _("请选择会议类型")})
    chair = data.get("chair")
    if chair is not None and not selectors.has_role_over(chair, org, selectors.STAFF_ROLES):
        raise ValidationError({"chair": _("主持人“%(u)s”不是本开发区的工作人员") % {"u": chair}})
    data["place"] = (data.get("place") or "").strip()
    data["attendees"] = (data.get("attendees") or "").strip()
    if data.get("period") is not None:
        data["period"] = data["period"].replace(day=1)
    return data


def _new_items(meeting, found, start):
    links = {k: v for k, v in found.items() if k in ITEM_LINKS}
    return AgendaItem(
        meeting=meeting,
        order=start,
        kind=found["kind"],
        source=found["source"],
        title=found["title"][:200],
        facts=found["facts"][:300],
        **links,
    )


@transaction.atomic
def create_meeting(
    actor, *, org, kind, title, held_at, place="", chair=None, attendees="", period=None
):
    """A meeting; a weekly or monthly one gets its agenda built from the zone's data."""
    if actor is not None and not selectors.has_role_over(actor, org, selectors.EDITORS):
        raise PermissionDenied(_("您没有在“%(org)s”召集调度会的权限") % {"org": org})
    data = _clean(
        {
            "kind": kind,
            "title": title,
            "held_at": held_at,
            "place": place,
            "chair": chair,
            "attendees": attendees,
            "period": period,
        },
        org,
    )
    if data["kind"] in selectors.BUILT and data["period"] is None:
        data["period"] = selectors.period_for(timezone.localdate(data["held_at"]))
    meeting = Meeting(org=org, created_by=actor if actor and actor.pk else None, **data)
    audit.check_fields(meeting, FIELDS)
    meeting.save()
    titles = []
    if meeting.kind in selectors.BUILT:
        found = selectors.build_agenda(org, meeting.period, timezone.localdate())
        AgendaItem.objects.bulk_create([_new_items(meeting, f, i) for i, f in enumerate(found, 1)])
        titles = [f["title"] for f in found]
    changes = {f: [None, v] for f, v in audit.snapshot(meeting, FIELDS).items()}
    audit.record(
        actor, "meeting.create", meeting, org=org, changes=changes | {"agenda": [None, titles]}
    )
    return meeting


@transaction.atomic
def update_meeting(actor, meeting, data, *, expected_version=None):
    require_edit(actor, meeting)
    _require_open(meeting, Status.DRAFT, Status.HELD)
    current = {f: getattr(meeting, f) for f in FIELDS}
    data = _clean({**current, **data}, meeting.org)
    audit.update(
        actor,
        meeting,
        {f: data[f] for f in EDITABLE},
        action="meeting.update",
        org=meeting.org,
        expected_version=expected_version,
    )
    return meeting


@transaction.atomic
def rebuild_agenda(actor, meeting):
    """Read the zone's data again: items a person touched stay as they are, untouched items
    that no longer apply leave, new ones join at the end. Returns (added, dropped) titles."""
    require_edit(actor, meeting)
    _require_open(meeting, Status.DRAFT)
    if meeting.kind not in selectors.BUILT:
        raise ValidationError({"kind": _("只有周调度和月汇总会议自动生成议程")})
    found = {
        f["source"]: f
        for f in selectors.build_agenda(meeting.org, meeting.period, timezone.localdate())
    }
    items = list(meeting.agenda.select_for_update())
    discussed = set(meeting.decisions.values_list("agenda_item_id", flat=True))
    dropped = []
    for item in items:
        fresh = found.pop(item.source, None) if item.source else None
        if fresh is not None:
            item.kind, item.title, item.facts = (
                fresh["kind"],
                fresh["title"][:200],
                fresh["facts"][:300],
            )
            item.save(update_fields=["kind", "title", "facts"])
        elif item.source and not item.edited and item.pk not in discussed:
            dropped.append(item.title)
            item.delete()
    start = (meeting.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
    added = [_new_items(meeting, f, start + i) for i, f in enumerate(found.values())]
    AgendaItem.objects.bulk_create(added)
    audit.record(
        actor,
        "meeting.agenda_rebuild",
        meeting,
        org=meeting.org,
        changes={"added": [None, [i.title for i in added]], "dropped": [dropped, None]},
    )
    return [i.title for i in added], dropped


@transaction.atomic
def add_agenda_item(actor, meeting, *, title, note=""):
    require_edit(actor, meeting)
    _require_open(meeting, Status.DRAFT)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写议题")})
    order = (meeting.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        order=order,
        kind=AgendaItem.Kind.OTHER,
        title=title,
        note=(note or "").strip(),
        edited=True,
    )
    return audit.create(
        actor, item, action="agenda.add", org=meeting.org, fields=["kind", "title", "note"]
    )


def _edit_item(actor, item, data, action, expected_version=None):
    meeting = item.meeting
    require_edit(actor, meeting)
    _require_open(meeting, Status.DRAFT)
    audit.update(
        actor,
        item,
        data | {"edited": True},
        action=action,
        org=meeting.org,
        expected_version=expected_version,
    )
    return item


@transaction.atomic
def note_agenda_item(actor, item, *, note, title=None, expected_version=None):
    data = {"note": (note or "").strip()}
    if title is not None:
        data["title"] = title.strip()
        if not data["title"]:
            raise ValidationError({"title": _("议题不能为空")})
    return _edit_item(actor, item, data, "agenda.note", expected_version)


@transaction.atomic
def remove_agenda_item(actor, item, *, removed=True):
    return _edit_item(
        actor, item, {"removed": removed}, "agenda.remove" if removed else "agenda.restore"
    )


@transaction.atomic
def move_agenda_item(actor, item, *, up):
    """Swap the item with its neighbour above (up) or below among the items still on."""
    meeting = item.meeting
    require_edit(actor, meeting)  # checked before any item is renumbered
    _require_open(meeting, Status.DRAFT)
    items = list(
        item.meeting.agenda.select_for_update().filter(removed=False).order_by("order", "pk")
    )
    at = next((i for i, x in enumerate(items) if x.pk == item.pk), None)
    other = None if at is None else at - 1 if up else at + 1
    if other is None or not 0 <= other < len(items):
        return item
    # Orders are renumbered so ties from a rebuild cannot keep two items in place.
    orders = {x.pk: n for n, x in enumerate(items, 1)}
    orders[items[at].pk], orders[items[other].pk] = orders[items[other].pk], orders[items[at].pk]
    for x in items:
        if x.pk != item.pk and x.order != orders[x.pk]:
            # Only the place changes: the version stays, so an open note form is not stale.
            AgendaItem.objects.filter(pk=x.pk).update(order=orders[x.pk])
            audit.record(
                actor,
                "agenda.renumber",
                x,
                org=meeting.org,
                changes={"order": [x.order, orders[x.pk]]},
            )
    return _edit_item(actor, item, {"order": orders[item.pk]}, "agenda.move")


@transaction.atomic
def record_minutes(actor, meeting, *, minutes, expected_version=None):
    require_edit(actor, meeting)
    _require_open(meeting, Status.DRAFT, Status.HELD)
    audit.update(
        actor,
        meeting,
        {"minutes": (minutes or "").strip()},
        action="meeting.minutes",
        org=meeting.org,
        expected_version=expected_version,
    )
    return meeting


def _deadline(deadline, working_days):
    """A decision's deadline: a date, or N working days from today; none is allowed."""
    if working_days is None and deadline is None:
        return None
    deadline = deadline_from(working_days if working_days is not None else deadline)
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("办结时限不能早于今天")})
    return deadline


def _clean_unit(unit, meeting):
    if unit is not None and not (
        unit.org.path.startswith(meeting.org.path) or meeting.org.path.startswith(unit.org.path)
    ):
        raise ValidationError(
            {"unit": _("“%(u)s”不属于“%(org)s”") % {"u": unit, "org": meeting.org}}
        )
    return unit


@transaction.atomic
def add_decision(
    actor, meeting, *, text, unit=None, deadline=None, working_days=None, agenda_item=None
):
    require_edit(actor, meeting)
    _require_open(meeting, Status.DRAFT, Status.HELD)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写决定事项")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("议题不属于本次会议")})
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        text=text,
        unit=_clean_unit(unit, meeting),
        deadline=_deadline(deadline, working_days),
        created_by=actor if actor and actor.pk else None,
    )
    return audit.create(
        actor,
        decision,
        action="decision.create",
        org=meeting.org,
        fields=["text", "unit", "deadline", "agenda_item"],
    )


@transaction.atomic
def decision_to_blocker(actor, decision, *, unit, deadline=None, working_days=None, leader=None):
    """转为督办: raise a blocker with the decision's text, unit and deadline, and link it back."""
    meeting = decision.meeting
    require_edit(actor, meeting)
    _require_open(meeting, Status.DRAFT, Status.HELD)
    if decision.blocker_id:
        raise ValidationError({"blocker": _("该决定事项已转为督办")})
    item = decision.agenda_item
    project = item.project if item else None
    blocker = raise_blocker(
        actor,
        org=meeting.org,
        title=decision.text.splitlines()[0][:200],
        description=decision.text,
        unit=unit,
        leader=leader or (project.leader if project and project.leader else meeting.chair),
        deadline=working_days if working_days is not None else deadline,
        project=project,
        source_note=_("%(m)s（%(d)s）决定事项")
        % {"m": meeting.title, "d": f"{timezone.localtime(meeting.held_at):%Y-%m-%d}"},
    )
    audit.update(
        actor,
        decision,
        {"blocker": blocker, "unit": unit, "deadline": blocker.deadline},
        action="decision.blocker",
        org=meeting.org,
    )
    return blocker


def _transition(actor, meeting, source, target, action):
    require_edit(actor, meeting)
    if meeting.status != source:
        raise ValidationError(
            {
                "status": _("会议%(s)s，不能改为“%(t)s”")
                % {"s": Meeting.Status(meeting.status).label, "t": Meeting.Status(target).label}
            }
        )
    audit.update(actor, meeting, {"status": target}, action=action, org=meeting.org)
    return meeting


@transaction.atomic
def mark_held(actor, meeting):
    return _transition(actor, meeting, Status.DRAFT, Status.HELD, "meeting.held")


@transaction.atomic
def close_meeting(actor, meeting):
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": _("请先记录会议纪要再归档")})
    return _transition(actor, meeting, Status.HELD, Status.CLOSED, "meeting.close")
