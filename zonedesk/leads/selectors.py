"""Scoped reads of leads and visits, the 招商大比拼 leaderboard and the funnel."""

import datetime
import statistics
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from zonedesk.catalog.rates import rate
from zonedesk.common.masking import mask_name, mask_phone
from zonedesk.orgs.models import Role, Team
from zonedesk.orgs.selectors import STAFF_ROLES, roles_of, scope_q, teams_for
from zonedesk.projects.formulas import next_month

from .models import Lead, TeamTarget, Visit

ZERO = Decimal("0.00")
# Contacts are for those who work the lead: its team's promoters, leaders and admins.
CONTACT_ROLES = {Role.Name.ADMIN, Role.Name.LEADER}
READERS = STAFF_ROLES - {Role.Name.UNIT, Role.Name.ENTERPRISE}
FUNNEL_STAGES = ["lead", "contacting", "negotiating", "signed", "started"]
FUNNEL_FIELDS = [
    "created_on",
    "contacting_on",
    "negotiating_on",
    "signed_on",
    "project__started_on",
]
ADVANCES = ("contacting_on", "negotiating_on", "signed_on")


def leads_for(user):
    return Lead.objects.filter(scope_q(user, roles=READERS)).select_related(
        "org", "park", "team", "leader", "project"
    )


def visits_for(user):
    return Visit.objects.filter(scope_q(user, roles=READERS)).select_related("team", "lead")


def contact_reader(user):
    """A test of whether the user may read a lead's contacts: admins and leaders over the
    lead's zone, and the promoters of its team. Roles and teams are loaded once per call."""
    if user.is_superuser:
        return lambda lead: True
    roles = roles_of(user)
    over = [r.org.path for r in roles if r.role in CONTACT_ROLES]
    teams = (
        set(user.teams.values_list("pk", flat=True))
        if any(r.role == Role.Name.PROMOTER for r in roles)
        else set()
    )
    return lambda lead: lead.team_id in teams or any(lead.org.path.startswith(p) for p in over)


def mask(lead, may_read):
    """Blank the contact fields of a lead the user may not read them of (pages, API, export)."""
    if not may_read(lead):
        lead.contact_name = mask_name(lead.contact_name)
        lead.contact_phone = mask_phone(lead.contact_phone)
    return lead


def filtered(user, f):
    qs = leads_for(user)
    for key in ("stage", "team", "chain", "source", "org"):
        if f.get(key):
            qs = qs.filter(**{key: f[key]})
    if f.get("overdue"):
        qs = qs.filter(next_step_on__lt=timezone.localdate()).exclude(
            stage__in=[Lead.Stage.SIGNED, Lead.Stage.DROPPED]
        )
    if f.get("signed_from"):
        qs = qs.filter(signed_on__gte=f["signed_from"])
    if f.get("signed_before"):
        qs = qs.filter(signed_on__lt=f["signed_before"])
    if f.get("advanced_from") and f.get("advanced_before"):
        qs = advanced_in(qs, f["advanced_from"], f["advanced_before"])
    if f.get("created_year"):
        qs = qs.filter(created_on__year=f["created_year"])
    if f.get("reached"):
        qs = reached(qs, f["reached"])
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(Q(name__icontains=q) | Q(investor__icontains=q) | Q(content__icontains=q))
    return qs


def period(year, month):
    return datetime.date(year, 1, 1), next_month(datetime.date(year, month, 1))


def leaderboard(user, year, month):
    """招商大比拼 for January..month of `year`: one row per investment team in scope, ranked by
    signed amount, with the rank the team held a month earlier."""
    rows = _board(user, year, month)
    if month > 1:
        before = {r["team"].pk: r["rank"] for r in _board(user, year, month - 1)}
        for r in rows:
            r["previous_rank"] = before.get(r["team"].pk)
            r["rank_change"] = (
                None if r["previous_rank"] is None else r["previous_rank"] - r["rank"]
            )
    return rows


def board_total(rows):
    """The scope's 签约完成率: all teams' signings against all their targets."""
    amount = sum((r["amount"] for r in rows), ZERO)
    count = sum(r["count"] for r in rows)
    targets = [r["target"] for r in rows if r["target"]]
    target_amount = sum((t.amount for t in targets), ZERO)
    target_count = sum(t.count for t in targets)
    return {
        "amount": amount,
        "count": count,
        "target_amount": target_amount,
        "target_count": target_count,
        "amount_rate": rate(amount, target_amount) if targets else None,
        "count_rate": rate(count, target_count) if targets else None,
        "visits": sum(r["visits"] for r in rows),
        "advanced": sum(r["advanced"] for r in rows),
    }


def advanced_in(qs, start, end):
    q = Q()
    for field in ADVANCES:
        q |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return qs.filter(q)


def _board(user, year, month):
    start, end = period(year, month)
    # A team disbanded mid-year keeps its row while its signings count in the period.
    teams = list(
        teams_for(user)
        .filter(kind=Team.Kind.INVESTMENT)
        .filter(Q(is_active=True) | Q(leads__signed_on__gte=start, leads__signed_on__lt=end))
        .distinct()
    )
    leads = leads_for(user).filter(team__in=teams)
    signed = {
        r["team"]: r
        for r in leads.filter(signed_on__gte=start, signed_on__lt=end)
        .values("team")
        .annotate(
            amount=Sum("signed_amount"),
            n=Count("pk"),
            started=Count("pk", filter=Q(project__started_on__lt=end)),
        )
    }
    # Leads that moved forward in the period, each counted once however far it went.
    advanced = dict(
        advanced_in(leads, start, end)
        .values("team")
        .annotate(n=Count("pk"))
        .values_list("team", "n")
    )
    visits = dict(
        visits_for(user)
        .filter(team__in=teams, date__gte=start, date__lt=end)
        .values("team")
        .annotate(n=Count("pk"))
        .values_list("team", "n")
    )
    targets = {t.team_id: t for t in TeamTarget.objects.filter(team__in=teams, year=year)}
    rows = []
    for team in teams:
        s = signed.get(team.pk, {})
        target = targets.get(team.pk)
        amount, n, started = s.get("amount") or ZERO, s.get("n", 0), s.get("started", 0)
        rows.append(
            {
                "team": team,
                "amount": amount,
                "count": n,
                "started": started,
                "target": target,
                "amount_rate": rate(amount, target.amount) if target else None,
                "count_rate": rate(n, target.count) if target else None,
                "start_rate": rate(started, n, 1),
                "start_completion": start_completion(started, n, target),
                "visits": visits.get(team.pk, 0),
                "advanced": advanced.get(team.pk, 0),
            }
        )
    rows.sort(key=lambda r: (-r["amount"], -r["count"], r["team"].name))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows


def start_completion(started, signed, target):
    """开工率完成率: the signed leads' start rate against the team's target, from the exact
    fraction (started ÷ signed ÷ target), not from the rounded rate: 50% against 40% is 125%."""
    if target is None or not signed:
        return None
    return rate(started * 100, signed * target.start_rate)


def funnel(user, year):
    """Leads registered in `year`: how many reached each stage (a lead that skipped a stage
    passed it), conversion from the stage before, and median days to reach each stage."""
    rows = list(
        leads_for(user)
        .filter(created_on__year=year)
        .values_list(
            "created_on", "contacting_on", "negotiating_on", "signed_on", "project__started_on"
        )
    )
    steps = []
    for i, stage in enumerate(FUNNEL_STAGES):
        reached = [r for r in rows if any(d is not None for d in r[i:])]
        days = [(r[i] - _previous(r, i)).days for r in reached if i and r[i] and _previous(r, i)]
        previous = steps[-1]["count"] if steps else None
        steps.append(
            {
                "stage": stage,
                "count": len(reached),
                "conversion": rate(len(reached), previous, 1) if previous is not None else None,
                "median_days": statistics.median(days) if days else None,
            }
        )
    return steps


def reached(qs, stage):
    """Leads that reached `stage` (or any later one): the funnel's rows."""
    later = FUNNEL_FIELDS[FUNNEL_STAGES.index(stage) :]
    q = Q()
    for field in later:
        q |= Q(**{f"{field}__isnull": False})
    return qs.filter(q)


def _previous(row, i):
    """The last stage date before position i that the lead has (stages may be skipped)."""
    return next((d for d in reversed(row[:i]) if d is not None), None)


# ---------------------------------------------------------------- home page cards
HOME_ROWS = 8
WEEK = 7  # days ahead that a promoter's card lists next steps for


def _own(user, qs):
    """The rows of the user's investment teams, or led by the user."""
    return qs.filter(Q(team__members=user) | Q(leader=user)).distinct()


def home_next_steps(user):
    """下一步工作: the next steps of the promoter's leads due within a week or overdue."""
    today = timezone.localdate()
    qs = _own(user, leads_for(user)).filter(next_step_on__lte=today + datetime.timedelta(WEEK))
    qs = qs.exclude(stage__in=[Lead.Stage.SIGNED, Lead.Stage.DROPPED]).order_by(
        "next_step_on", "pk"
    )
    rows = list(qs[:HOME_ROWS])
    for lead in rows:
        lead.days_left = (lead.next_step_on - today).days
        lead.days_over = -lead.days_left
    count = qs.count() if len(rows) == HOME_ROWS else len(rows)
    return {"next_steps": {"rows": rows, "count": count}}


def home_signings(user):
    """本月签约: what the promoter's teams signed this month and this year, against the
    year's targets and 时序进度. Two queries."""
    today = timezone.localdate()
    start, end = period(today.year, today.month)
    month_start = today.replace(day=1)
    teams = teams_for(user).filter(kind=Team.Kind.INVESTMENT, members=user)
    signed = leads_for(user).filter(team__in=teams, signed_on__gte=start, signed_on__lt=end)
    figures = signed.aggregate(
        year=Sum("signed_amount"),
        month=Sum("signed_amount", filter=Q(signed_on__gte=month_start)),
        month_count=Count("pk", filter=Q(signed_on__gte=month_start)),
    )
    target = TeamTarget.objects.filter(team__in=teams, year=today.year).aggregate(
        amount=Sum("amount"), n=Count("pk")
    )
    year_amount = figures["year"] or ZERO
    return {
        "signings": {
            "month": figures["month"] or ZERO,
            "month_count": figures["month_count"],
            "year": year_amount,
            "target": target["amount"] if target["n"] else None,
            "rate": rate(year_amount, target["amount"]) if target["n"] else None,
            "time_progress": rate(today.month, 12),
            "year_no": today.year,
            "month_no": today.month,
        }
    }
