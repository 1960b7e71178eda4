"""Scoped reads of appeals: who may take which step (`allowed`), who is told of a step, the
list's filters and the 以月答卷 report.

Who sees an appeal:
- readers of the zone (admin, leader, officer, viewer — at the zone or above): every appeal
  of their scope, whatever its unit (so an appeal whose unit was deactivated, or that was
  returned, stays in sight of the zone's leaders);
- users of a unit: the appeals routed to their unit now;
- an enterprise contact: its enterprise's appeals.
"""

import datetime

from django.db.models import Case, Count, Exists, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.catalog.rates import rate
from zonedesk.orgs.models import Org, Role
from zonedesk.orgs.selectors import NOBODY, has_role_over, role_names, roles_of, scope_q

from .models import Appeal, AppealCategory, AppealStep

READERS = frozenset({Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER, Role.Name.VIEWER})
STAFF = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER}
MANAGERS = {Role.Name.ADMIN, Role.Name.LEADER}
# Zone leaders and officers may hand an appeal to 督办 (转为督办).
BLOCKER_RAISERS = {Role.Name.LEADER, Role.Name.OFFICER}
Status, Rating = Appeal.Status, Appeal.Rating


# ---------------------------------------------------------------- who may


def unit_ids(user):
    return {r.unit_id for r in roles_of(user) if r.role == Role.Name.UNIT and r.unit_id}


def enterprise_ids(user):
    return {
        r.enterprise_id
        for r in roles_of(user)
        if r.role == Role.Name.ENTERPRISE and r.enterprise_id
    }


def is_staff(user, org):
    return user is None or has_role_over(user, org, STAFF)


def is_manager(user, org):
    return user is None or has_role_over(user, org, MANAGERS)


def is_handler(user, appeal):
    """A user of the unit the appeal is routed to (the system acts as anyone)."""
    return user is None or user.is_superuser or (appeal.unit_id in unit_ids(user))


def is_owner(user, appeal):
    return user is None or appeal.enterprise_id in enterprise_ids(user)


def allowed(user, appeal):
    """The steps this user may take on this appeal now: the page shows exactly these."""
    s = appeal.status
    handler, staff = is_handler(user, appeal), is_staff(user, appeal.org)
    can = set()
    if handler and appeal.unit_id:
        if s == Status.SUBMITTED:
            can |= {"accept", "return", "transfer"}
        elif s == Status.ACCEPTED:
            can |= {"answer", "return", "transfer"}
        elif s == Status.ANSWERED:
            can |= {"close", "answer"}
    if staff and (s in (Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED) or not appeal.unit_id):
        can.add("transfer")
    if is_owner(user, appeal) and _awaits_rating(appeal):
        can.add("rate")
    if (staff or handler) and appeal.status not in (Status.CLOSED,):
        can.add("attach")
    if is_owner(user, appeal) and appeal.is_open:
        can.add("attach")
    if user is not None and appeal.blocker_id is None and appeal.status != Status.CLOSED:
        if has_role_over(user, appeal.org, BLOCKER_RAISERS):
            can.add("blocker")
    return can


def _awaits_rating(appeal):
    # 不满意 always reopens, so a closed appeal rated 不满意 was closed again and awaits a new
    # rating; 满意 or 基本满意 is final.
    return appeal.status == Status.CLOSED and appeal.rating in ("", Rating.UNSATISFIED)


# ---------------------------------------------------------------- people to tell


def unit_users(unit):
    if unit is None:
        return []
    return list(
        Role.objects.filter(role=Role.Name.UNIT, unit=unit, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def zone_leaders(org):
    """The zone's leaders (leader roles at the zone itself); its admins if it has none."""
    for role in (Role.Name.LEADER, Role.Name.ADMIN):
        ids = list(
            Role.objects.filter(role=role, org=org, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
        if ids:
            return ids
    return []


def unit_leaders(appeal):
    """Who answers for the unit when an answer is judged 不满意: the category's 分管领导 if
    one is set, otherwise the zone's leaders."""
    leader = appeal.category.leader
    if leader is not None and leader.is_active:
        return [leader.pk]
    return zone_leaders(appeal.org)


def enterprise_users(appeal):
    return list(
        Role.objects.filter(
            role=Role.Name.ENTERPRISE, enterprise_id=appeal.enterprise_id, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def zone_of(enterprise):
    """Appeals belong to the zone: an enterprise registered at a park belongs to its zone."""
    org = enterprise.org
    if org.kind == Org.Kind.PARK and org.parent_id:
        return org.parent
    return org


# ---------------------------------------------------------------- what they see


def appeal_q(user):
    if user.is_superuser:
        return Q()
    q = scope_q(user, roles=READERS) if role_names(user) & READERS else NOBODY
    units, companies = unit_ids(user), enterprise_ids(user)
    if units:
        q |= Q(unit_id__in=units)
    if companies:
        q |= Q(enterprise_id__in=companies)
    return q


def appeals_for(user):
    return Appeal.objects.filter(appeal_q(user)).select_related(
        "org", "enterprise", "category", "unit"
    )


def is_reader(user):
    return user.is_superuser or bool(role_names(user) & READERS)


def may_use(user):
    """Does the user see any appeals page at all?"""
    return is_reader(user) or bool(unit_ids(user)) or bool(enterprise_ids(user))


def categories_for(user):
    """Categories of the zones the user sees appeals in (an enterprise: its own zone)."""
    if user.is_superuser:
        q = Q()
    else:
        q = scope_q(user, roles=READERS | {Role.Name.UNIT})
        companies = enterprise_ids(user)
        if companies:
            q |= Q(org__enterprises__in=companies) | Q(org__children__enterprises__in=companies)
    return AppealCategory.objects.filter(q).distinct().select_related("org", "unit", "leader")


def steps_of(appeal):
    return appeal.steps.select_related("actor").order_by("at", "pk")


# ---------------------------------------------------------------- the list's filters


def month_span(text):
    """ "2026-03" → (first day, first day of next month), or None."""
    try:
        first = datetime.date.fromisoformat(f"{text}-01")
    except (TypeError, ValueError):
        return None
    return first, _next_month(first)


def _next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def filtered(user, f):
    """The list, its export and the API share these filters; every figure of the report
    links to the list with the filters that give exactly its rows."""
    qs = appeals_for(user)
    for key in ("status", "channel", "category", "enterprise", "level", "org"):
        if f.get(key):
            qs = qs.filter(**{key: f[key]})
    unit = str(f.get("unit") or "")
    if unit == "none":
        qs = qs.filter(unit__isnull=True)
    elif unit.isdigit():
        qs = qs.filter(unit=int(unit))
    if f.get("open"):
        qs = qs.filter(status__in=Appeal.OPEN)
    if f.get("overdue"):
        qs = qs.filter(status__in=Appeal.OPEN, level__gt=0)
    if f.get("mine"):
        qs = qs.filter(unit_id__in=unit_ids(user))
    if f.get("needs_unit"):
        qs = qs.filter(Q(unit__isnull=True) | Q(unit__is_active=False) | Q(status=Status.RETURNED))
    for key, field in (("received", "received_on"), ("closed", "closed_on"), ("rated", "rated_on")):
        span = month_span(f.get(key))
        if span:
            qs = qs.filter(**{f"{field}__gte": span[0], f"{field}__lt": span[1]})
    if f.get("on_time") in (True, "1", "yes"):
        qs = qs.filter(on_time=True)
    if f.get("satisfied") in (True, "1", "yes"):
        qs = qs.filter(rating__in=Appeal.GOOD)
    span = month_span(f.get("reopened"))
    if span:
        qs = qs.filter(
            Exists(
                AppealStep.objects.filter(
                    appeal=OuterRef("pk"),
                    action=AppealStep.Action.REOPEN,
                    on__gte=span[0],
                    on__lt=span[1],
                )
            )
        )
    span = month_span(f.get("open_at"))
    if span:
        qs = qs.filter(status__in=Appeal.OPEN, received_on__lt=span[1])
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(enterprise__name__icontains=q)
        )
    return qs


# ---------------------------------------------------------------- 以月答卷


FIGURES = ["received", "closed", "on_time", "avg_days", "rated", "satisfaction", "reopened"]


def average(total, n, places=1):
    """total ÷ n rounded half up (rate() gives total × 100 ÷ (n × 100), exactly)."""
    return rate(total, n * 100, places) if n else None


def monthly_report(user, year, month):
    """One row per unit for the month, a row for appeals without a unit, and the total:
    received (受理日期 in the month), closed (办结日期 in the month), of those closed on
    time, their average working days from received to closed, the satisfaction rate of the
    answers rated in the month ((满意 + 基本满意) ÷ rated, half up to one place), and the
    appeals reopened in the month. Appeals count under the unit that holds them now.
    """
    first = datetime.date(year, month, 1)
    end = _next_month(first)
    key = f"{year:04d}-{month:02d}"
    qs = appeals_for(user)
    received = _by_unit(qs.filter(received_on__gte=first, received_on__lt=end))
    rated = _by_unit(
        qs.filter(rated_on__gte=first, rated_on__lt=end),
        good=Count("pk", filter=Q(rating__in=Appeal.GOOD)),
    )
    reopened = _by_unit(
        qs.filter(
            Exists(
                AppealStep.objects.filter(
                    appeal=OuterRef("pk"),
                    action=AppealStep.Action.REOPEN,
                    on__gte=first,
                    on__lt=end,
                )
            )
        )
    )
    closed_rows = list(
        qs.filter(closed_on__gte=first, closed_on__lt=end).values_list(
            "unit", "unit__name", "received_on", "closed_on", "on_time"
        )
    )
    cal = WorkCalendar()
    closed = {}
    for unit, name, start, done, on_time in closed_rows:
        c = closed.setdefault(unit, {"name": name, "n": 0, "on_time": 0, "days": 0})
        c["n"] += 1
        c["on_time"] += 1 if on_time else 0
        c["days"] += cal.working_days_between(start, done)
    names = {}
    for source in (received, rated, reopened, closed):
        for unit, r in source.items():
            names.setdefault(unit, r["name"])
    units = sorted((u for u in names if u is not None), key=lambda u: names[u])
    if None in names:
        units.append(None)
    rows = [_row(u, names[u], received, closed, rated, reopened) for u in units]
    total = _row(
        "",
        "",
        {"": {"n": sum(r["received"] for r in rows)}},
        {
            "": {
                "n": sum(r["closed"] for r in rows),
                "on_time": sum(r["on_time"] for r in rows),
                "days": sum(r["days"] for r in rows),
            }
        },
        {
            "": {
                "n": sum(r["rated"] for r in rows),
                "good": sum(r["good"] for r in rows),
            }
        },
        {"": {"n": sum(r["reopened"] for r in rows)}},
    )
    still_open = (
        qs.filter(status__in=Appeal.OPEN, received_on__lt=end)
        .order_by("deadline", "pk")
        .select_related("enterprise", "unit", "category")
    )
    return {
        "key": key,
        "first": first,
        "end": end,
        "rows": rows,
        "total": total,
        "open": still_open,
    }


def _by_unit(qs, **extra):
    return {
        r["unit"]: {"name": r["unit__name"], **r}
        for r in qs.values("unit", "unit__name").annotate(n=Count("pk"), **extra).order_by()
    }


def _row(unit, name, received, closed, rated, reopened):
    c = closed.get(unit, {})
    r = rated.get(unit, {})
    n_closed, n_rated = c.get("n", 0), r.get("n", 0)
    return {
        "unit": unit,
        "unit_param": "none" if unit is None else unit,
        "name": name,
        "received": received.get(unit, {}).get("n", 0),
        "closed": n_closed,
        "on_time": c.get("on_time", 0),
        "days": c.get("days", 0),
        "avg_days": average(c.get("days", 0), n_closed),
        "rated": n_rated,
        "good": r.get("good", 0),
        "satisfaction": rate(r.get("good", 0), n_rated, 1) if n_rated else None,
        "reopened": reopened.get(unit, {}).get("n", 0),
    }


# ---------------------------------------------------------------- home page cards
HOME_ROWS = 8
NEAR = 3  # days ahead that a leader's card counts as near the deadline
# What each open status asks of the unit.
UNIT_TODO = {
    Status.SUBMITTED: _("待受理"),
    Status.ACCEPTED: _("待答复"),
    Status.ANSWERED: _("待办结"),
}
AWAITING_RATING = Q(status=Status.CLOSED, rating__in=("", Rating.UNSATISFIED))


def _rows(qs, todo):
    """The first rows of `qs`, each with what it asks (`todo(appeal)`) and, while open, its
    days left to the deadline; and how many there are in all. Two queries at most."""
    today = timezone.localdate()
    rows = list(qs[:HOME_ROWS])
    for a in rows:
        a.todo = todo(a)
        a.days_left = (a.deadline - today).days if a.is_open else None
        a.days_over = a.days_left is not None and -a.days_left
    return {"rows": rows, "count": qs.count() if len(rows) == HOME_ROWS else len(rows)}


def home_near_deadline(user):
    """诉求临近时限: open appeals of the leader's scope due within NEAR days or overdue."""
    soon = timezone.localdate() + datetime.timedelta(days=NEAR)
    qs = appeals_for(user).filter(status__in=Appeal.OPEN, deadline__lte=soon)
    return {"near_appeals": _rows(qs.order_by("deadline", "pk"), Appeal.get_status_display)}


def home_unit_appeals(user):
    """待办诉求: the open appeals of the user's units, what each asks and its days left."""
    qs = appeals_for(user).filter(unit__in=unit_ids(user), status__in=Appeal.OPEN)
    return {"unit_appeals": _rows(qs.order_by("deadline", "pk"), lambda a: UNIT_TODO[a.status])}


def home_own_appeals(user):
    """我的诉求: the enterprise's appeals awaiting its rating first, then the open ones."""
    mine = appeals_for(user).filter(enterprise__in=enterprise_ids(user))
    qs = mine.filter(AWAITING_RATING | Q(status__in=Appeal.OPEN)).order_by(
        Case(When(AWAITING_RATING, then=0), default=1), "deadline", "pk"
    )

    def todo(appeal):
        return _("请评价") if _awaits_rating(appeal) else appeal.get_status_display()

    return {"own_appeals": _rows(qs, todo)}
