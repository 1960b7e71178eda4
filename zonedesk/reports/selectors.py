"""Scoped reads of report jobs, and the figures a period document is composed of.

Every cockpit figure comes from `zonedesk.projects.selectors.cockpit` — the function the
cockpit page calls — so a document and the page show the same numbers. The document itself
(sections, tables, texts) is composed in `documents`.
"""

import copy
import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from zonedesk.catalog import calendar
from zonedesk.leads import selectors as leads
from zonedesk.orgs.models import Org, Role
from zonedesk.orgs.selectors import roles_of, scope_q
from zonedesk.projects import formulas
from zonedesk.projects import selectors as projects
from zonedesk.projects.models import ApprovalStep, Project

from .models import ReportJob

# Leaders, officers and admins of a zone or an office produce documents; viewers (the city
# and province offices that read the roll-ups) and statisticians (who enter the indicators)
# read those of their organisations; units, promoters and enterprises neither.
GENERATORS = frozenset({Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER})
READERS = GENERATORS | {Role.Name.STATISTICIAN, Role.Name.VIEWER}
REPORT_ORG_KINDS = [Org.Kind.PROVINCE, Org.Kind.CITY, Org.Kind.COUNTY, Org.Kind.ZONE]
ZERO = Decimal("0.00")
RATE_KEYS = ("start_rate", "resume_rate", "start_resume_rate", "completion")


def jobs_for(user):
    """Documents the user may open: those of organisations where they hold a generating or
    a reading role (or beneath one)."""
    return ReportJob.objects.filter(scope_q(user, roles=READERS)).select_related("org", "user")


def is_reader(user):
    """May the user open the documents page at all?"""
    return user.is_superuser or any(r.role in READERS for r in roles_of(user))


def report_orgs(user, roles=GENERATORS):
    """Organisations the user may request a document for: zones, counties, cities and the
    province within reach of a generating role (with READERS: those whose documents the
    user may read)."""
    return Org.objects.filter(
        scope_q(user, field=None, roles=roles),
        kind__in=REPORT_ORG_KINDS,
        is_active=True,
    ).order_by("path")


def window(kind, year, month=None, quarter=None):
    """(first day, day after the last, end month) of a document's period."""
    if kind == ReportJob.Kind.MONTHLY:
        first, last = month, month
    elif kind == ReportJob.Kind.QUARTERLY:
        first, last = quarter * 3 - 2, quarter * 3
    else:
        first, last = 1, 12
    start = datetime.date(year, first, 1)
    return start, formulas.next_month(datetime.date(year, last, 1)), last


# -- the cockpit's figures, for an organisation ------------------------------------------


def narrowed(user, org):
    """The user as seen from `org`: the same person whose generating roles that reach `org`
    sit at `org` itself. Every selector called with it — the cockpit, the project lists,
    the leaderboard, the blocker summary — answers for `org`'s subtree exactly as it would
    for a leader of `org`, and never beyond what the user may see."""
    if user.is_superuser:
        kinds = [Role.Name.ADMIN]
    else:
        kinds = sorted(
            {
                r.role
                for r in roles_of(user)
                if r.role in GENERATORS and org.path.startswith(r.org.path)
            }
        )
    proxy = copy.copy(user)
    proxy.is_superuser = False
    proxy._zd_roles = [Role(user_id=user.pk, org=org, role=kind) for kind in kinds]
    return proxy


def cockpit_for(user, org, year, month):
    """The cockpit's figures for `org` (call with `narrowed(user, org)`): the total as the
    cockpit computes it, and one column per zone beneath — zones without projects too."""
    figures = projects.cockpit(user, year, month, group_by_zone=True)
    rows = {z["org_id"]: z for z in figures["zones"]}
    zones = Org.objects.filter(
        Q(pk__in=list(rows)) | Q(path__startswith=org.path, kind=Org.Kind.ZONE, is_active=True)
    )
    columns = [
        _extend(rows.get(z.pk) or {"org_id": z.pk, "name": z.name, **_empty(month)})
        for z in sorted(zones, key=lambda z: z.name)
    ]
    single = org.kind == Org.Kind.ZONE  # a county with one zone still gets its 合计
    return {"zones": columns, "total": _extend(figures["total"]), "single": single}


def _empty(month):
    """A zone without projects: every count and sum zero, rates undefined."""
    return {
        **dict.fromkeys(RATE_KEYS),
        "time_progress": formulas.time_progress(month),
        "plan": ZERO,
        "ytd": ZERO,
        "investment": ZERO,
    }


def _extend(z):
    """The figures with 开复工项目 (new starts and resumed ones) beside their parts."""
    z = dict(z)
    z["started_resumed"] = z.get("started_new", 0) + z.get("resumed", 0)
    return z


def signings(user, start, end):
    """Leads signed and projects signed in [start, end)."""
    signed_leads = leads.leads_for(user).filter(signed_on__gte=start, signed_on__lt=end)
    t = signed_leads.aggregate(n=Count("pk"), amount=Sum("signed_amount"))
    return {
        "count": t["n"],
        "amount": formulas.money(t["amount"] or ZERO),
        "leads": signed_leads.order_by("signed_on", "pk"),
        "projects": projects.projects_for(user)
        .filter(signed_on__gte=start, signed_on__lt=end)
        .exclude(stage=Project.Stage.CANCELLED)
        .select_related("org")
        .order_by("signed_on", "pk"),
    }


def approvals(user, start, end):
    """The approval steps of the user's projects handled in [start, end): those finished in
    the period as (step, deadline, working days used, on time?), those past their deadline
    and unfinished at the period's end (or today) as (step, deadline, working days used),
    and the calendar's note when a deadline lies in a year without a published schedule."""
    steps = (
        ApprovalStep.objects.filter(
            project__in=projects.projects_for(user),
            started_on__isnull=False,
            started_on__lt=end,
        )
        .exclude(project__stage=Project.Stage.CANCELLED)
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=start))
        .select_related("project", "unit")
        .order_by("project__name", "started_on", "pk")
    )
    work = calendar.WorkCalendar()
    as_of = min(end - datetime.timedelta(days=1), timezone.localdate())
    done, overdue = [], []
    for step in steps:
        deadline, used, late = formulas.approval_timing(step, work, as_of)
        finished = step.done_on is not None and step.done_on <= as_of
        if finished and step.done_on >= start:
            done.append((step, deadline, used, not late))
        elif not finished and late:
            overdue.append((step, deadline, used))
    return {"done": done, "overdue": overdue, "note": work.estimate_note(start, end)}


def projects_at(user, year, month, **f):
    """The user's projects under the list's filter `f`, with their figures at the month."""
    qs = projects.filtered(user, {"year": year, "month": month, **f})
    return projects.page_rows(qs)
