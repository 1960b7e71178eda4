"""Every write to appeals: one function per step, each in one transaction with its audit event
and its AppealStep, and the notifications of the step (sent only after commit).

Who may do what:
- an enterprise contact (Role.enterprise) raises appeals for its own enterprise and rates
  the answer of a closed one;
- staff of the zone (admin, leader, officer) log appeals taken by phone, on a visit or at
  the monthly entrepreneurs' meeting for any enterprise of the zone, and route or re-route
  (transfer) any appeal of the zone;
- users of a unit (Role.unit) accept, transfer, return, answer and close the appeals routed
  to their unit;
- zone admins and leaders manage the categories.

`selectors.allowed` says which steps a user may take now (the pages show exactly those);
each step checks it before its first write.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.common import files
from zonedesk.notify.services import notify, notify_group
from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import has_role_over
from zonedesk.supervision.services import raise_blocker

from . import selectors
from .models import Appeal, AppealCategory, AppealStep, Attachment

Status, Action, Rating = Appeal.Status, AppealStep.Action, Appeal.Rating
CATEGORY_FIELDS = ["name", "unit", "leader", "days", "is_active"]
APPEAL_FIELDS = [
    "enterprise",
    "channel",
    "category",
    "title",
    "description",
    "unit",
    "received_on",
    "deadline",
    "contact",
]
DEFAULT_CATEGORIES = [
    ("用地", 10),
    ("融资", 10),
    ("用工", 5),
    ("审批", 5),
    ("水电气暖", 3),
    ("政策兑现", 10),
    ("其他", 5),
]
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 9
IMAGE_MAX_SIDE = 2400
TITLE_FROM_DESCRIPTION = 30


# ---------------------------------------------------------------- who may


def _require(user, appeal, step):
    if step not in selectors.allowed(user, appeal):
        raise PermissionDenied(
            _("您不能对状态为“%(s)s”的诉求执行“%(a)s”")
            % {"s": appeal.get_status_display(), "a": STEP_LABELS.get(step, step)}
        )


STEP_LABELS = {
    "accept": _("受理"),
    "return": _("退回"),
    "transfer": _("转办"),
    "answer": _("答复"),
    "close": _("办结"),
    "rate": _("评价"),
    "attach": _("上传附件"),
    "blocker": _("转为督办"),
}


# ---------------------------------------------------------------- people to tell


def _tell(users, appeal, event, title, body="", *, key=None, unit=None):
    url = reverse("appeals:detail", args=[appeal.pk])
    key = key or f"appeal:{appeal.pk}:{event}:{appeal.version}"
    notify(users, event=event, key=key, title=title, body=body, url=url, org=appeal.org)
    if unit is not None:
        notify_group(unit=unit, event=event, key=key, title=title, body=body, url=url)


# ---------------------------------------------------------------- steps


def _step(appeal, action, actor, text="", *, from_unit=None, to_unit=None, on=None):
    return AppealStep.objects.create(
        appeal=appeal,
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=str(actor) if actor is not None else _("系统"),
        text=text,
        from_unit=from_unit,
        from_unit_name=from_unit.name if from_unit else "",
        to_unit=to_unit,
        to_unit_name=to_unit.name if to_unit else "",
        at=timezone.now(),
        on=on or timezone.localdate(),
    )


CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def _text(value, field, label, *, required=True, limit=None):
    """Trimmed text without control characters (they break Word and Excel files)."""
    value = (value or "").translate(CONTROL).strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(f)s") % {"f": label}})
    if limit and len(value) > limit:
        raise ValidationError({field: _("“%(f)s”不能超过%(n)d个字符") % {"f": label, "n": limit}})
    return value


def title_from(description):
    """A title for an appeal raised without one: the text's start on one line, cut with "…"
    when it runs on, so a reader knows there is more."""
    text = " ".join(description.split())
    if len(text) <= TITLE_FROM_DESCRIPTION:
        return text
    return text[: TITLE_FROM_DESCRIPTION - 1] + "…"


def _check_unit(unit, org):
    if unit is None or not unit.is_active or not org.path.startswith(unit.org.path):
        raise ValidationError({"to_unit": _("请选择本开发区启用中的责任单位")})


def deadline_for(received_on, days, calendar=None):
    """The deadline `days` working days after the day received, and whether it is an estimate
    (a year whose holiday schedule is not published yet)."""
    cal = calendar or WorkCalendar()
    deadline = cal.add_working_days(received_on, days)
    return deadline, cal.estimated(received_on, deadline)


# ---------------------------------------------------------------- categories


def _clean_category(data, org, instance=None):
    data["name"] = _text(data.get("name"), "name", _("名称"), limit=40)
    others = AppealCategory.objects.filter(org=org, name=data["name"])
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise ValidationError({"name": _("已有名为“%(n)s”的诉求类别") % {"n": data["name"]}})
    days = data.get("days")
    if not isinstance(days, int) or not 1 <= days <= 60:
        raise ValidationError({"days": _("办理时限应为1到60个工作日")})
    unit = data.get("unit")
    if unit is not None and not org.path.startswith(unit.org.path):
        raise ValidationError({"unit": _("责任单位不属于“%(org)s”") % {"org": org}})
    leader = data.get("leader")
    if leader is not None and not has_role_over(leader, org, {Role.Name.LEADER, Role.Name.ADMIN}):
        raise ValidationError({"leader": _("分管领导须是本开发区的领导或管理员")})
    return data


@transaction.atomic
def create_category(actor, *, org, name, unit=None, leader=None, days=5, is_active=True):
    if not selectors.is_manager(actor, org):
        raise PermissionDenied(_("只有领导或管理员可以管理诉求类别"))
    data = _clean_category(
        {"name": name, "unit": unit, "leader": leader, "days": days, "is_active": is_active}, org
    )
    return audit.create(
        actor,
        AppealCategory(org=org, **data),
        action="appeal_category.create",
        org=org,
        fields=CATEGORY_FIELDS,
    )


@transaction.atomic
def update_category(actor, category, data, *, expected_version=None):
    if not selectors.is_manager(actor, category.org):
        raise PermissionDenied(_("只有领导或管理员可以管理诉求类别"))
    merged = {f: getattr(category, f) for f in CATEGORY_FIELDS} | data
    merged = _clean_category(merged, category.org, instance=category)
    audit.update(
        actor,
        category,
        merged,
        action="appeal_category.update",
        org=category.org,
        expected_version=expected_version,
    )
    return category


def seed_categories(actor, org, unit=None):
    """The usual categories of a zone, all routed to `unit` (demo and new zones)."""
    return [
        AppealCategory.objects.filter(org=org, name=name).first()
        or create_category(actor, org=org, name=name, unit=unit, days=days)
        for name, days in DEFAULT_CATEGORIES
    ]


# ---------------------------------------------------------------- raising


@transaction.atomic
def raise_appeal(
    actor,
    *,
    enterprise,
    category,
    description,
    title="",
    channel=None,
    received_on=None,
    contact="",
    attachments=(),
):
    """An appeal raised by an enterprise contact (channel 企业自助, today) or logged by staff
    (any other channel, on the day it was received). Routed to the category's unit."""
    today = timezone.localdate()
    org = selectors.zone_of(enterprise)
    if category is None or category.org_id != org.pk or not category.is_active:
        raise ValidationError({"category": _("请选择本开发区启用中的诉求类别")})
    own = actor is not None and enterprise.pk in selectors.enterprise_ids(actor)
    if own and not selectors.is_staff(actor, org):
        channel, received_on = Appeal.Channel.SELF, today
    elif selectors.is_staff(actor, org):
        channel = channel or Appeal.Channel.PHONE
        if channel not in Appeal.Channel.values:
            raise ValidationError({"channel": _("请选择受理渠道")})
    else:
        raise PermissionDenied(_("您只能为本企业提出诉求"))
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": _("受理日期不能晚于今天")})
    description = _text(description, "description", _("诉求内容"), limit=4000)
    title = _text(title, "title", _("标题"), required=False, limit=100) or title_from(description)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("附件最多%(n)d个") % {"n": MAX_ATTACHMENTS}})
    unit = category.unit if category.unit is not None and category.unit.is_active else None
    deadline, estimated = deadline_for(received_on, category.days)
    appeal = Appeal(
        org=org,
        enterprise=enterprise,
        channel=channel,
        category=category,
        title=title,
        description=description,
        unit=unit,
        received_on=received_on,
        deadline=deadline,
        deadline_estimated=estimated,
        raised_by=actor,
        raised_by_name=str(actor) if actor else _("系统"),
        contact=_text(contact, "contact", _("联系人及电话"), required=False, limit=80),
    )
    audit.create(actor, appeal, action="appeal.raise", org=org, fields=APPEAL_FIELDS)
    _step(appeal, Action.RAISE, actor, appeal.get_channel_display(), to_unit=unit)
    for upload in attachments:
        _attach(actor, appeal, upload)
    if unit is not None:
        _tell(
            selectors.unit_users(unit),
            appeal,
            "appeal.routed",
            _("新诉求：%(t)s") % {"t": appeal.title},
            _("%(e)s 提出，办理时限 %(d)s") % {"e": enterprise, "d": deadline},
            unit=unit,
        )
    else:
        _tell(
            selectors.zone_leaders(org),
            appeal,
            "appeal.unrouted",
            _("待分派诉求：%(t)s") % {"t": appeal.title},
            _("类别“%(c)s”没有启用中的责任单位，请分派") % {"c": category},
        )
    return appeal


# ---------------------------------------------------------------- the unit's steps


def _lock(appeal):
    """Lock the row and bring the caller's copy up to date (two clicks at once: one wins)."""
    Appeal.objects.select_for_update().filter(pk=appeal.pk).values_list("pk").first()
    appeal.refresh_from_db()


def _change(actor, appeal, data, action, expected_version=None, note=None):
    audit.update(
        actor,
        appeal,
        data,
        action=f"appeal.{action}",
        org=appeal.org,
        expected_version=expected_version,
        note=note,
    )


@transaction.atomic
def accept(actor, appeal, *, expected_version=None):
    _require(actor, appeal, "accept")
    _change(actor, appeal, {"status": Status.ACCEPTED}, "accept", expected_version)
    _step(appeal, Action.ACCEPT, actor, to_unit=appeal.unit)
    _tell(
        selectors.enterprise_users(appeal),
        appeal,
        "appeal.accepted",
        _("您的诉求已受理：%(t)s") % {"t": appeal.title},
        _("%(u)s 已受理，办理时限 %(d)s") % {"u": appeal.unit, "d": appeal.deadline},
    )
    return appeal


@transaction.atomic
def transfer(actor, appeal, *, to_unit, reason, expected_version=None):
    """Hand the appeal to another unit (the new unit must accept it). The deadline runs on
    from the day received: the enterprise's clock does not restart."""
    _lock(appeal)
    _require(actor, appeal, "transfer")
    reason = _text(reason, "reason", _("转办原因"), limit=500)
    _check_unit(to_unit, appeal.org)
    if to_unit.pk == appeal.unit_id and appeal.status != Status.RETURNED:
        raise ValidationError({"to_unit": _("诉求已在“%(u)s”办理") % {"u": to_unit}})
    before = appeal.unit
    _change(
        actor,
        appeal,
        {"unit": to_unit, "status": Status.SUBMITTED},
        "transfer",
        expected_version,
        note=reason,
    )
    _step(appeal, Action.TRANSFER, actor, reason, from_unit=before, to_unit=to_unit)
    _tell(
        selectors.unit_users(to_unit),
        appeal,
        "appeal.routed",
        _("转来诉求：%(t)s") % {"t": appeal.title},
        _("由%(a)s转来：%(r)s") % {"a": before or _("开发区"), "r": reason},
        unit=to_unit,
    )
    return appeal


def reroute_unit(actor, old, new, *, reason):
    """Move every open or returned appeal of a unit being merged or closed to another unit,
    each as a logged transfer. All or nothing."""
    with transaction.atomic():
        moved = 0
        for appeal in Appeal.objects.filter(
            unit=old, status__in=[*Appeal.OPEN, Status.RETURNED]
        ).select_related("org", "unit", "category"):
            transfer(actor, appeal, to_unit=new, reason=reason)
            moved += 1
        return moved


@transaction.atomic
def return_appeal(actor, appeal, *, reason, expected_version=None):
    """The unit sends the appeal back (not its remit, not an appeal): the zone's leaders
    see it as returned and may route it to another unit; the enterprise sees the reason."""
    _require(actor, appeal, "return")
    reason = _text(reason, "reason", _("退回原因"), limit=500)
    _change(actor, appeal, {"status": Status.RETURNED}, "return", expected_version, note=reason)
    _step(appeal, Action.RETURN, actor, reason, from_unit=appeal.unit)
    title = _("诉求被退回：%(t)s") % {"t": appeal.title}
    _tell(selectors.zone_leaders(appeal.org), appeal, "appeal.returned", title, reason)
    _tell(selectors.enterprise_users(appeal), appeal, "appeal.returned", title, reason)
    return appeal


@transaction.atomic
def answer(actor, appeal, *, text, close_too=False, expected_version=None):
    """The unit's answer. With `close_too` the appeal is closed in the same step (答复并办结)
    and the enterprise is asked to rate at once; without, it waits as 已答复 for 办结, and
    the enterprise can rate only then."""
    _require(actor, appeal, "answer")
    text = _text(text, "text", _("答复"), limit=4000)
    _change(actor, appeal, {"status": Status.ANSWERED, "answer": text}, "answer", expected_version)
    _step(appeal, Action.ANSWER, actor, text, to_unit=appeal.unit)
    if close_too:
        return close(actor, appeal)
    _tell(
        selectors.enterprise_users(appeal),
        appeal,
        "appeal.answered",
        _("您的诉求已答复，待责任单位办结后即可评价：%(t)s") % {"t": appeal.title},
        text,
    )
    return appeal


@transaction.atomic
def close(actor, appeal, *, expected_version=None, on=None):
    _require(actor, appeal, "close")
    on = on or timezone.localdate()
    if on < appeal.received_on or on > timezone.localdate():
        raise ValidationError({"closed_on": _("办结日期应在受理日期与今天之间")})
    _change(
        actor,
        appeal,
        {"status": Status.CLOSED, "closed_on": on, "on_time": on <= appeal.deadline},
        "close",
        expected_version,
    )
    _step(appeal, Action.CLOSE, actor, to_unit=appeal.unit, on=on)
    _tell(
        selectors.enterprise_users(appeal),
        appeal,
        "appeal.closed",
        _("诉求已办结，请评价：%(t)s") % {"t": appeal.title},
    )
    return appeal


@transaction.atomic
def rate(actor, appeal, *, rating, comment="", expected_version=None, on=None):
    """The enterprise judges the answer. 不满意 reopens the appeal to the same unit, with a
    fresh deadline from today, and tells the unit and its leader (see `unit_leaders`)."""
    _require(actor, appeal, "rate")
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择满意、基本满意或不满意")})
    comment = _text(comment, "comment", _("评价意见"), required=False, limit=500)
    today = timezone.localdate()
    # `on`: a rating taken earlier (a return visit) and recorded now.
    on = on or today
    if on > today or (appeal.closed_on and on < appeal.closed_on):
        raise ValidationError({"rated_on": _("评价日期应在办结日期与今天之间")})
    data = {"rating": rating, "rating_comment": comment, "rated_on": on}
    if rating == Rating.UNSATISFIED:
        if not comment:
            raise ValidationError({"comment": _("不满意时请说明原因")})
        deadline, estimated = deadline_for(on, appeal.category.days)
        data |= {
            "status": Status.ACCEPTED,
            "reopened": appeal.reopened + 1,
            "closed_on": None,
            "on_time": None,
            "deadline": deadline,
            "deadline_estimated": estimated,
            "level": Appeal.Level.NONE,
        }
    _change(actor, appeal, data, "rate", expected_version)
    label = Rating(rating).label
    _step(appeal, Action.RATE, actor, f"{label}：{comment}" if comment else str(label), on=on)
    if rating == Rating.UNSATISFIED:
        _step(appeal, Action.REOPEN, actor, comment, to_unit=appeal.unit, on=on)
        key = f"appeal:{appeal.pk}:reopen:{appeal.reopened}"
        title = _("诉求被评为不满意，重新办理：%(t)s") % {"t": appeal.title}
        _tell(
            selectors.unit_users(appeal.unit),
            appeal,
            "appeal.reopened",
            title,
            comment,
            key=key,
            unit=appeal.unit,
        )
        _tell(selectors.unit_leaders(appeal), appeal, "appeal.reopened", title, comment, key=key)
    return appeal


# ---------------------------------------------------------------- overdue


@transaction.atomic
def escalate(appeal, level):
    """Raise the appeal's overdue level (system step) and tell the unit and the zone's
    leaders once per appeal, round (reopen) and level."""
    _lock(appeal)
    if level <= appeal.level or not appeal.is_open:
        return False
    # Not a version bump: a system flag must not turn a unit's pending answer into a conflict.
    before = appeal.level
    Appeal.objects.filter(pk=appeal.pk).update(level=level)
    appeal.level = level
    audit.record(
        None, "appeal.escalate", appeal, org=appeal.org, changes={"level": [before, level]}
    )
    label = Appeal.Level(level).label
    _step(appeal, Action.ESCALATE, None, str(label), to_unit=appeal.unit)
    key = f"appeal:{appeal.pk}:overdue:{appeal.reopened}:{level}"
    title = _("诉求%(l)s：%(t)s") % {"l": label, "t": appeal.title}
    body = _("%(e)s 的诉求，办理时限 %(d)s，责任单位 %(u)s") % {
        "e": appeal.enterprise,
        "d": appeal.deadline,
        "u": appeal.unit or _("未分派"),
    }
    unit = appeal.unit
    _tell(selectors.unit_users(unit), appeal, "appeal.overdue", title, body, key=key, unit=unit)
    _tell(selectors.zone_leaders(appeal.org), appeal, "appeal.overdue", title, body, key=key)
    return True


# ---------------------------------------------------------------- attachments


def _attach(actor, appeal, upload):
    name = (getattr(upload, "name", "") or _("附件")).rsplit("/", 1)[-1][:100]
    try:
        found = files.check(
            upload,
            kinds=set(Attachment.Kind.values),
            max_bytes=MAX_ATTACHMENT_BYTES,
            max_side=IMAGE_MAX_SIDE,
        )
    except files.Refused as e:
        if e.too_large:
            raise ValidationError(
                {"attachments": _("“%(n)s”超过10MB，不能上传") % {"n": name}}
            ) from e
        raise ValidationError(
            {
                "attachments": _(
                    "“%(n)s”不是可接受的文件：只接受 JPEG、PNG、WebP 图片，"
                    "PDF，Word（.docx）和 Excel（.xlsx）"
                )
                % {"n": name}
            }
        ) from e
    item = Attachment(
        appeal=appeal, kind=found.kind, name=name, size=len(found.data), uploaded_by=actor
    )
    item.file.save(f"{appeal.pk}.{found.extension}", ContentFile(found.data), save=False)
    item.save()
    return item


@transaction.atomic
def add_attachments(actor, appeal, uploads):
    _require(actor, appeal, "attach")
    if appeal.attachments.count() + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("附件最多%(n)d个") % {"n": MAX_ATTACHMENTS}})
    items = [_attach(actor, appeal, u) for u in uploads]
    names = "、".join(i.name for i in items)
    _step(appeal, Action.ATTACH, actor, names)
    audit.record(
        actor, "appeal.attach", appeal, org=appeal.org, changes={"attachments": [None, names]}
    )
    return items


# ---------------------------------------------------------------- supervision


@transaction.atomic
def to_blocker(actor, appeal, *, title, unit, leader, deadline, expected_version=None):
    """转为督办: raise a blocker through supervision for this appeal, linked both ways in the
    record (Appeal.blocker) and in the history (a step naming the blocker)."""
    _lock(appeal)
    _require(actor, appeal, "blocker")
    note = _("企业诉求#%(pk)d：%(t)s") % {"pk": appeal.pk, "t": appeal.title}
    blocker = raise_blocker(
        actor,
        org=appeal.org,
        title=_text(title, "title", _("督办事项"), limit=200),
        description=appeal.description,
        unit=unit,
        leader=leader,
        deadline=deadline,
        enterprise=appeal.enterprise,
        source_note=note[:200],
    )
    _change(actor, appeal, {"blocker": blocker}, "blocker", expected_version)
    _step(appeal, Action.BLOCKER, actor, str(blocker), to_unit=unit)
    return blocker
