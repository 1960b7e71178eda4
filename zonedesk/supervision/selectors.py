"""Scoped reads of blockers, the by-unit summary and the period summary for reports."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.catalog.rates import rate
from zonedesk.leads.models import Lead
from zonedesk.leads.selectors import leads_for
from zonedesk.orgs.models import Role, Unit
from zonedesk.orgs.selectors import STAFF_ROLES, roles_of, scope_q
from zonedesk.projects.models import ApprovalStep
from zonedesk.projects.selectors import projects_for, reports_due

from .models import Blocker

Status = Blocker.Status
# Zone staff read every blocker of their scope; unit staff only their unit's.
READERS = STAFF_ROLES - {Role.Name.UNIT, Role.Name.ENTERPRISE}
OPEN = Q(status__in=Blocker.OPEN_STATUSES)
DONE = Q(status__in=Blocker.DONE_STATUSES)
STATES = ("open", "overdue", "resolved", "on_time", "late")


def unit_ids(user):
    return [r.unit_id for r in roles_of(user) if r.role == Role.Name.UNIT and r.unit_id]


def blockers_for(user):
    q = scope_q(user, roles=READERS)
    units = unit_ids(user)
    if units:
        q |= Q(unit_id__in=units)
    return Blocker.objects.filter(q).select_related(
        "org", "unit", "leader", "supervisor", "raised_by", "project", "enterprise"
    )


def is_reader(user):
    """May the user open the blocker pages at all (zone staff or unit staff)?"""
    return user.is_superuser or bool(
        {r.role for r in roles_of(user)} & (READERS | {Role.Name.UNIT})
    )


def state_q(state, today):
    """The rows behind each figure of the by-unit summary."""
    return {
        "open": OPEN,
        "overdue": OPEN & Q(deadline__lt=today),
        "resolved": DONE,
        "on_time": DONE & Q(on_time=True),
        "late": DONE & Q(on_time=False),
    }[state]


def filtered(user, f, today=None):
    today = today or timezone.localdate()
    qs = blockers_for(user)
    for key in ("status", "level", "unit", "project", "org", "enterprise"):
        if f.get(key):
            qs = qs.filter(**{key: f[key]})
    if f.get("overdue"):
        qs = qs.filter(state_q("overdue", today))
    if f.get("state") in STATES:
        qs = qs.filter(state_q(f["state"], today))
    if f.get("raised_from"):
        qs = qs.filter(raised_on__gte=f["raised_from"])
    if f.get("raised_to"):
        qs = qs.filter(raised_on__lte=f["raised_to"])
    if f.get("q"):
        text = f["q"].strip()
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(project__name__icontains=text)
        )
    return qs


def inbox(user):
    """待办: the open blockers of the user's units, most urgent first."""
    return blockers_for(user).filter(OPEN, unit_id__in=unit_ids(user)).order_by("deadline", "pk")


def _counts(today):
    return {
        "open": Count("pk", filter=OPEN),
        "overdue": Count("pk", filter=OPEN & Q(deadline__lt=today)),
        "resolved": Count("pk", filter=DONE),
        "on_time": Count("pk", filter=DONE & Q(on_time=True)),
    }


def by_unit(qs, today=None):
    """One row per responsible unit: open, overdue, resolved, resolved on time and the
    on-time rate (resolved on time ÷ resolved, one place); plus the total row. One query."""
    today = today or timezone.localdate()
    rows = list(
        qs.order_by()
        .values("unit", "unit__name")
        .annotate(**_counts(today))
        .order_by("-overdue", "-open", "unit__name")
    )
    total = {k: sum(r[k] for r in rows) for k in ("open", "overdue", "resolved", "on_time")}
    for r in [*rows, total]:
        r["rate"] = rate(r["on_time"], r["resolved"], 1)
    return rows, total


def blocker_summary(user, start: datetime.date, end: datetime.date) -> dict:
    """Counts for a period report, both ends inclusive, in the user's scope:

    - opened: blockers raised in the period;
    - closed: blockers resolved (办结) by their unit in the period and not reopened since
      (a verified one counts on its resolution date);
    - closed_on_time: those of `closed` resolved on or before their deadline;
    - open_overdue: blockers still unresolved at the end of the period whose deadline had
      passed by then (a blocker resolved later still counts for this past period).
    """
    qs = blockers_for(user).order_by()
    unresolved_at_end = Q(resolved_on__isnull=True) | Q(resolved_on__gt=end)
    closed = DONE & Q(resolved_on__gte=start, resolved_on__lte=end)
    figures = qs.aggregate(
        opened=Count("pk", filter=Q(raised_on__gte=start, raised_on__lte=end)),
        closed=Count("pk", filter=closed),
        closed_on_time=Count("pk", filter=closed & Q(on_time=True)),
        open_overdue=Count(
            "pk", filter=Q(raised_on__lte=end, deadline__lt=end) & unresolved_at_end
        ),
    )
    return {k: figures[k] or 0 for k in ("opened", "closed", "closed_on_time", "open_overdue")}


SOON = 2  # working days ahead that 日碰头 lists as falling due


def today(user, day):
    """日碰头: the user's list for `day`.

    - blockers of the user's unit, or raised by, coordinated or supervised by the user,
      overdue or falling due within SOON working days;
    - the latest monthly reports still missing for the projects of the user's task forces;
    - approval steps of the user's projects (agent, unit, task force, 包联领导) past their
      committed working days;
    - lead next steps due by today for the user's teams or led by the user.
    """
    work = WorkCalendar()
    units = unit_ids(user)
    mine = (
        blockers_for(user)
        .filter(OPEN)
        .filter(Q(unit_id__in=units) | Q(raised_by=user) | Q(leader=user) | Q(supervisor=user))
    )
    soon = work.add_working_days(day, SOON)
    blockers = list(mine.filter(deadline__lte=soon).order_by("deadline", "pk")[:200])
    for b in blockers:
        b.overdue = b.deadline < day
        b.estimate_note = work.estimate_note(b.deadline)
    reports, period = reports_due(user)
    steps = (
        ApprovalStep.objects.filter(project__in=projects_for(user), started_on__isnull=False)
        .exclude(status=ApprovalStep.Status.DONE)
        .filter(
            Q(agent=user)
            | Q(unit_id__in=units)
            | Q(project__team__members=user)
            | Q(project__leader=user)
        )
        .select_related("project", "unit", "agent")
        .distinct()
        .order_by("started_on", "pk")
    )
    late_steps = []
    for step in steps[:500]:
        step.deadline = work.add_working_days(step.started_on, step.committed_days)
        if day > step.deadline:
            step.elapsed = work.working_days_between(step.started_on, day)
            step.late_by = work.working_days_between(step.deadline, day)
            late_steps.append(step)
    leads = (
        leads_for(user)
        .filter(next_step_on__lte=day)
        .exclude(stage__in=[Lead.Stage.SIGNED, Lead.Stage.DROPPED])
        .filter(Q(team__members=user) | Q(leader=user))
        .distinct()
        .order_by("next_step_on", "pk")[:200]
    )
    return {
        "overdue": [b for b in blockers if b.overdue],
        "due": [b for b in blockers if not b.overdue],
        "soon": soon,
        "reports": list(reports[:200]),
        "period": period,
        "steps": late_steps,
        "leads": list(leads),
    }


# ---------------------------------------------------------------- home page cards
HOME_ROWS = 8


def _due_rows(qs, today):
    """The first rows of `qs` by deadline, each with its days left (negative: overdue), and
    how many there are in all. Two queries."""
    rows = list(qs.order_by("deadline", "pk")[:HOME_ROWS])
    for b in rows:
        b.days_left = (b.deadline - today).days
        b.days_over = -b.days_left
    return {"rows": rows, "count": qs.count() if len(rows) == HOME_ROWS else len(rows)}


def home_overdue(user):
    """逾期督办: the open blockers of the leader's scope past their deadline."""
    today = timezone.localdate()
    qs = blockers_for(user).filter(state_q("overdue", today))
    return {"overdue_blockers": _due_rows(qs, today)}


def home_my_blockers(user):
    """我负责项目的问题: open blockers on the officer's task-force projects or raised by them."""
    today = timezone.localdate()
    mine = Q(project__team__members=user) | Q(raised_by=user)
    return {"my_blockers": _due_rows(blockers_for(user).filter(OPEN).filter(mine), today)}


def home_unit_blockers(user):
    """待办督办: the open blockers handed to the user's units, with days left."""
    return {"unit_blockers": _due_rows(inbox(user), timezone.localdate())}


def units_serving(org):
    """The active units a blocker of `org` may go to: those of the zone and the parks below
    it, and those of the nodes above it (县自然资源局 for a zone's land question); never a
    unit of a neighbouring zone, whoever asks."""
    above = [int(pk) for pk in org.path.strip("/").split("/") if pk]
    return Unit.objects.filter(is_active=True).filter(
        Q(org__path__startswith=org.path) | Q(org_id__in=above)
    )
