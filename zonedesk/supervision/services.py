"""Every write to blockers (问题督办): one function per transition, each audited once and
logged on the blocker's timeline.

Who may do what:
- raise: admins, leaders and officers over the zone (and the system, actor None);
- answer, resolve: the staff of the responsible unit;
- verify, reopen: the one who raised it, or a leader over the zone;
- reassign: the raiser, a leader or an admin over the zone;
- escalate by hand: a leader over the zone; the daily task escalates overdue ones.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.notify.services import notify, notify_group
from zonedesk.orgs.models import Org, Role, User
from zonedesk.orgs.selectors import has_role_over, roles_of

from .models import Blocker, BlockerStep

Status = Blocker.Status
Level = Blocker.Level
Action = BlockerStep.Action
FIELDS = [
    "title",
    "description",
    "project",
    "enterprise",
    "progress_report",
    "source_note",
    "unit",
    "leader",
    "raised_by",
    "raised_on",
    "deadline",
    "level",
    "status",
]
RAISERS = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER}
MAX_DAYS = 250  # a deadline further than about a working year is a typo
# Working days a blocker stays at a 挂牌督办 level, still overdue, before the next level.
ESCALATION_GRACE = 5


# -- rights ------------------------------------------------------------------------


def can_raise(user, org):
    return user is None or has_role_over(user, org, RAISERS)


def is_unit_staff(user, blocker):
    if user is None or user.is_superuser:
        return True
    return any(r.role == Role.Name.UNIT and r.unit_id == blocker.unit_id for r in roles_of(user))


def is_leader(user, blocker):
    return user is None or has_role_over(user, blocker.org, {Role.Name.LEADER})


def can_verify(user, blocker):
    return is_leader(user, blocker) or (user is not None and user.pk == blocker.raised_by_id)


def can_reassign(user, blocker):
    return can_verify(user, blocker) or has_role_over(user, blocker.org, {Role.Name.ADMIN})


def actions_for(user, blocker):
    """The transitions the user may take on the blocker now (the page shows these buttons)."""
    allowed = set()
    if blocker.is_open:
        if is_unit_staff(user, blocker):
            allowed |= {"answer", "resolve"}
        if can_reassign(user, blocker):
            allowed.add("reassign")
        if is_leader(user, blocker) and blocker.next_level():
            allowed.add("escalate")
    if blocker.status == Status.RESOLVED and can_verify(user, blocker):
        allowed |= {"verify", "reopen"}
    return allowed


def _require(ok, message):
    if not ok:
        raise PermissionDenied(message)


# -- helpers -----------------------------------------------------------------------


def deadline_from(value, start=None, calendar=None):
    """A deadline given as a date, or as N working days after `start` (today by default)."""
    start = start or timezone.localdate()
    if isinstance(value, bool) or value is None:
        raise ValidationError({"deadline": _("请填写办结时限（日期或工作日数）")})
    if isinstance(value, int):
        if not 1 <= value <= MAX_DAYS:
            raise ValidationError({"deadline": _("办结时限应为1到%(n)d个工作日") % {"n": MAX_DAYS}})
        return (calendar or WorkCalendar()).add_working_days(start, value)
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if not isinstance(value, datetime.date):
        raise ValidationError({"deadline": _("办结时限应为日期或工作日数")})
    return value


def _text(value, field, label, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(f)s") % {"f": label}})
    return value


def _within(node, org):
    return node.path.startswith(org.path) or org.path.startswith(node.path)


def _check_unit(unit, org):
    if unit is None:
        raise ValidationError({"unit": _("请选择责任单位")})
    if not unit.is_active or not _within(unit.org, org):
        raise ValidationError(
            {"unit": _("“%(unit)s”不是“%(org)s”可交办的单位") % {"unit": unit, "org": org}}
        )


def _step(blocker, actor, action, text=""):
    return BlockerStep.objects.create(
        blocker=blocker,
        actor=actor if actor and actor.pk else None,
        actor_name=str(actor) if actor else _("系统"),
        action=action,
        text=text,
    )


def _lock(blocker):
    """The current row, locked: two clicks on one transition cannot both pass."""
    return Blocker.objects.select_for_update().select_related("org", "unit").get(pk=blocker.pk)


def _change(actor, blocker, data, action, text="", note=None):
    audit.update(actor, blocker, data, action=f"blocker.{action}", org=blocker.org, note=note)
    _step(blocker, actor, action, text)
    return blocker


def _refuse_status(blocker, allowed, verb):
    if blocker.status not in allowed:
        raise ValidationError(
            {
                "status": _("“%(s)s”的问题不能%(verb)s")
                % {"s": blocker.get_status_display(), "verb": verb}
            }
        )


# -- notices -----------------------------------------------------------------------


def url_of(blocker):
    return reverse("supervision:detail", args=[blocker.pk])


def unit_staff(unit):
    return list(
        User.objects.filter(roles__role=Role.Name.UNIT, roles__unit=unit, is_active=True).distinct()
    )


def tell_unit(blocker, *, event, key, title, body=""):
    """The unit's staff in-app and by mail, and the unit's group robot; once per key."""
    kw = {"event": event, "key": key, "title": title, "body": body, "url": url_of(blocker)}
    notify(unit_staff(blocker.unit), org=blocker.org, **kw)
    notify_group(unit=blocker.unit, **kw)


def tell(users, blocker, *, event, key, title, body=""):
    notify(
        users, event=event, key=key, title=title, body=body, url=url_of(blocker), org=blocker.org
    )


# -- transitions -------------------------------------------------------------------


@transaction.atomic
def raise_blocker(
    actor,
    *,
    org,
    title,
    description,
    unit,
    leader,
    deadline,
    project=None,
    enterprise=None,
    progress_report=None,
    source_note="",
):
    """Hand a problem to a unit. `deadline` is a date, or an int: that many working days
    from today on China's calendar. The source (project, enterprise, monthly report, or a
    note such as a meeting's name) must lie in the zone."""
    if org is None or org.kind not in (Org.Kind.ZONE, Org.Kind.PARK):
        raise ValidationError({"org": _("问题应提交到开发区")})
    _require(can_raise(actor, org), _("您没有在“%(org)s”提出问题的权限") % {"org": org})
    today = timezone.localdate()
    deadline = deadline_from(deadline, today)
    if deadline < today:
        raise ValidationError({"deadline": _("办结时限不能早于今天")})
    _check_unit(unit, org)
    if progress_report is not None:
        project = project or progress_report.project
        if progress_report.project_id != project.pk:
            raise ValidationError({"progress_report": _("月度进展不属于所选项目")})
    for field, obj in (("project", project), ("enterprise", enterprise)):
        if obj is not None and not obj.org.path.startswith(org.path):
            raise ValidationError({field: _("“%(obj)s”不属于“%(org)s”") % {"obj": obj, "org": org}})
    if enterprise is None and project is not None:
        enterprise = project.enterprise
    if leader is not None and not isinstance(leader, User):
        raise ValidationError({"leader": _("请选择协调领导")})
    blocker = Blocker(
        org=org,
        title=_text(title, "title", _("问题")),
        description=(description or "").strip(),
        project=project,
        enterprise=enterprise,
        progress_report=progress_report,
        source_note=(source_note or "").strip(),
        unit=unit,
        leader=leader,
        raised_by=actor if actor and actor.pk else None,
        raised_on=today,
        deadline=deadline,
    )
    audit.create(actor, blocker, action="blocker.raise", org=org, fields=FIELDS)
    _step(blocker, actor, Action.RAISE, blocker.description)
    _assigned(blocker)
    return blocker


def _assigned(blocker):
    tell_unit(
        blocker,
        event="blocker.assigned",
        key=f"blocker:{blocker.pk}:assigned:{blocker.unit_id}",
        title=_("交办问题：%(t)s（%(d)s前办结）") % {"t": blocker.title, "d": blocker.deadline},
        body=blocker.description,
    )


@transaction.atomic
def answer(actor, blocker, *, text):
    """The unit's reply (progress, plan, or a question back); may be given more than once."""
    blocker = _lock(blocker)
    _require(is_unit_staff(actor, blocker), _("只有责任单位可以答复此问题"))
    _refuse_status(blocker, Blocker.OPEN_STATUSES, _("答复"))
    text = _text(text, "text", _("答复内容"))
    return _change(actor, blocker, {"answer": text, "status": Status.ANSWERED}, Action.ANSWER, text)


@transaction.atomic
def resolve(actor, blocker, *, text, on=None):
    """The unit reports the problem solved; on time when solved on or before the deadline."""
    blocker = _lock(blocker)
    _require(is_unit_staff(actor, blocker), _("只有责任单位可以办结此问题"))
    _refuse_status(blocker, Blocker.OPEN_STATUSES, _("办结"))
    text = _text(text, "text", _("办结情况"))
    now = timezone.now()
    on = on or timezone.localdate(now)
    if on > timezone.localdate(now) or on < blocker.raised_on:
        raise ValidationError({"on": _("办结日期应在提出日期与今天之间")})
    data = {
        "status": Status.RESOLVED,
        "answer": text,
        "resolved_on": on,
        "resolved_at": now,
        "on_time": on <= blocker.deadline,
    }
    _change(actor, blocker, data, Action.RESOLVE, text)
    tell(
        [blocker.raised_by, blocker.leader],
        blocker,
        event="blocker.resolved",
        key=f"blocker:{blocker.pk}:resolved:{blocker.version}",
        title=_("%(u)s已办结：%(t)s，请核实销号") % {"u": blocker.unit, "t": blocker.title},
        body=text,
    )
    return blocker


@transaction.atomic
def verify(actor, blocker, *, text=""):
    """The raiser or a leader confirms the solution: the blocker is closed (销号)."""
    blocker = _lock(blocker)
    _require(can_verify(actor, blocker), _("只有提出人或领导可以销号"))
    _refuse_status(blocker, [Status.RESOLVED], _("销号"))
    data = {"status": Status.VERIFIED, "closed_at": timezone.now()}
    return _change(actor, blocker, data, Action.VERIFY, (text or "").strip())


@transaction.atomic
def reopen(actor, blocker, *, reason):
    """The raiser or a leader refuses the solution: the unit works on it again, and the
    earlier resolution no longer counts (neither its date nor its on-time flag)."""
    blocker = _lock(blocker)
    _require(can_verify(actor, blocker), _("只有提出人或领导可以退回"))
    _refuse_status(blocker, [Status.RESOLVED], _("退回"))
    reason = _text(reason, "reason", _("退回原因"))
    data = {"status": Status.REOPENED, "resolved_on": None, "resolved_at": None, "on_time": None}
    _change(actor, blocker, data, Action.REOPEN, reason, note=reason)
    tell_unit(
        blocker,
        event="blocker.reopened",
        key=f"blocker:{blocker.pk}:reopened:{blocker.version}",
        title=_("问题被退回重办：%(t)s") % {"t": blocker.title},
        body=reason,
    )
    return blocker


@transaction.atomic
def reassign(actor, blocker, *, unit, reason):
    """Hand the blocker to another unit (the first one was the wrong one); the deadline stays."""
    blocker = _lock(blocker)
    _require(can_reassign(actor, blocker), _("只有提出人、领导或管理员可以改派"))
    _refuse_status(blocker, Blocker.OPEN_STATUSES, _("改派"))
    reason = _text(reason, "reason", _("改派原因"))
    _check_unit(unit, blocker.org)
    if unit.pk == blocker.unit_id:
        raise ValidationError({"unit": _("新责任单位与原单位相同")})
    text = _("%(a)s → %(b)s：%(r)s") % {"a": blocker.unit, "b": unit, "r": reason}
    data = {"unit": unit, "status": Status.OPEN}
    _change(actor, blocker, data, Action.REASSIGN, text, note=reason)
    _assigned(blocker)
    return blocker


def supervisors(blocker, level):
    """The org above the zone that supervises at `level`, and its leaders.

    County level: the county (县/区) above the zone, or the zone's parent if it hangs
    straight under a city. City level: the city above the zone."""
    ids = [int(x) for x in blocker.org.path.strip("/").split("/")]
    ancestors = {o.pk: o for o in Org.objects.filter(pk__in=ids[:-1])}
    chain = [ancestors[i] for i in ids[:-1] if i in ancestors]
    chain.reverse()  # nearest first
    want = Org.Kind.COUNTY if level == Level.COUNTY else Org.Kind.CITY
    org = next((o for o in chain if o.kind == want), None)
    if org is None and level == Level.COUNTY:
        org = next((o for o in chain if o.kind != Org.Kind.ZONE), None)
    if org is None:
        return None, []
    leaders = list(
        User.objects.filter(roles__org=org, roles__role=Role.Name.LEADER, is_active=True).order_by(
            "username"
        )
    )
    return org, leaders


@transaction.atomic
def escalate(actor, blocker, *, reason="", today=None):
    """Raise the supervision level by exactly one step (一般 → 县级 → 市级), naming the
    supervising leader above the zone; returns the blocker and the leaders to notify.

    `actor` None is the daily task; a person must be a leader over the zone."""
    blocker = _lock(blocker)
    if actor is not None:
        _require(is_leader(actor, blocker), _("只有领导可以升级督办"))
        reason = _text(reason, "reason", _("升级原因"))
    _refuse_status(blocker, Blocker.OPEN_STATUSES, _("升级督办"))
    level = blocker.next_level()
    if level is None:
        raise ValidationError({"level": _("已是市级挂牌督办，不能再升级")})
    org, leaders = supervisors(blocker, level)
    today = today or timezone.localdate()
    text = _("%(a)s → %(b)s") % {"a": blocker.get_level_display(), "b": Level(level).label}
    if org is not None:
        text += _("，督办单位：%(org)s") % {"org": org}
    if reason:
        text += _("；%(r)s") % {"r": reason}
    data = {
        "level": level,
        "escalated_on": today,
        "supervisor": leaders[0] if leaders else None,
    }
    _change(actor, blocker, data, Action.ESCALATE, text, note=reason or None)
    title = _("%(level)s：%(t)s（%(org)s，%(u)s，%(d)s到期）") % {
        "level": blocker.get_level_display(),
        "t": blocker.title,
        "org": blocker.org,
        "u": blocker.unit,
        "d": blocker.deadline,
    }
    key = f"blocker:{blocker.pk}:escalated:{level}"
    tell(leaders, blocker, event="blocker.escalated", key=key, title=title, body=text)
    tell_unit(blocker, event="blocker.escalated", key=key, title=title, body=text)
    return blocker, leaders


def due_for_escalation(blocker, today, calendar):
    """The daily rule: open, at least one working day past the deadline, not yet at city
    level, and — once escalated — ESCALATION_GRACE working days at its level since."""
    if not blocker.is_open or blocker.next_level() is None:
        return False
    if calendar.working_days_between(blocker.deadline, today) < 1:
        return False
    return (
        blocker.escalated_on is None
        or calendar.working_days_between(blocker.escalated_on, today) >= ESCALATION_GRACE
    )


@transaction.atomic
def auto_escalate(blocker, today, calendar):
    """Escalate one level if the daily rule says so, re-checked on the locked row: two
    workers, or the task run twice, escalate once. Returns True when it escalated."""
    current = _lock(blocker)
    if not due_for_escalation(current, today, calendar):
        return False
    escalate(None, current, today=today)
    return True
