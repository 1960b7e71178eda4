"""Scoped reads of meetings, and the agenda builder of the weekly (and monthly) meeting.

The builder reads the zone's data as of a day: red and yellow projects (the warning colour of
projects.formulas), overdue blockers (supervision), late monthly reports, approval steps past
their committed working days, and leads without a visit or a change of stage for 30 days.
"""

import datetime

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.catalog.money import format_wan
from zonedesk.catalog.rates import format_rate
from zonedesk.leads.models import Lead
from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import STAFF_ROLES, has_role_over, roles_of, scope_q, users_for
from zonedesk.projects import formulas
from zonedesk.projects.models import ApprovalStep, ProgressReport, Project, ZoneSettings
from zonedesk.projects.selectors import default_period
from zonedesk.supervision.models import Blocker
from zonedesk.supervision.selectors import state_q, units_serving

from .models import AgendaItem, Decision, Meeting

READERS = STAFF_ROLES - {Role.Name.UNIT}
EDITORS = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER}
IDLE_DAYS = 30
# Kinds whose agenda reads the zone's data; the others start with an empty agenda.
BUILT = {Meeting.Kind.WEEKLY, Meeting.Kind.MONTHLY}
KIND_ORDER = [k for k, _label in AgendaItem.Kind.choices]


def unit_ids(user):
    return [r.unit_id for r in roles_of(user) if r.role == Role.Name.UNIT and r.unit_id]


def meetings_for(user):
    """Staff (not unit staff) read the meetings of their scope; unit staff only the meetings
    with a decision assigned to their unit, and of those only the decisions."""
    q = scope_q(user, roles=READERS)
    units = unit_ids(user)
    if units:
        q |= Q(pk__in=Decision.objects.filter(unit_id__in=units).values("meeting_id"))
    return Meeting.objects.filter(q).select_related("org", "chair")


def filtered(user, f):
    qs = meetings_for(user)
    for key in ("kind", "status", "org"):
        if f.get(key):
            qs = qs.filter(**{key: f[key]})
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"].strip()) | Q(minutes__icontains=f["q"].strip()))
    return qs


def with_counts(qs):
    return qs.order_by("-held_at", "-pk").annotate(
        n_items=Count("agenda", filter=Q(agenda__removed=False), distinct=True),
        n_decisions=Count("decisions", distinct=True),
        n_blockers=Count("decisions", filter=Q(decisions__blocker__isnull=False), distinct=True),
    )


def can_read_all(user, meeting):
    """Agenda and minutes: staff over the zone other than unit staff."""
    return has_role_over(user, meeting.org, READERS)


def can_edit(user, meeting):
    return user is None or has_role_over(user, meeting.org, EDITORS)


def decisions_for(user, meeting):
    qs = meeting.decisions.select_related("unit", "agenda_item", "blocker")
    if user is None or can_read_all(user, meeting):
        return qs
    return qs.filter(unit_id__in=unit_ids(user))


def agenda_of(meeting):
    return meeting.agenda.select_related("project", "lead", "approval", "blocker")


def grouped(items):
    """Active items grouped by kind in the agenda's order of kinds: [(label, [items])]."""
    groups = {}
    for item in items:
        if not item.removed:
            groups.setdefault(item.kind, []).append(item)
    return [(AgendaItem.Kind(k).label, groups[k]) for k in KIND_ORDER if k in groups]


# -- the agenda builder ----------------------------------------------------------------


def period_for(held_on):
    """The month whose figures the agenda reads: the latest month whose reports are due."""
    year, month = default_period(held_on)
    return datetime.date(year, month, 1)


def build_agenda(org, period, today):
    """What the zone's data puts on the agenda as of `today`, for the figures of `period`:
    a list of dicts with kind, source, title, facts and the linked object, in agenda order."""
    items = [
        *_warned_projects(org, period),
        *_overdue_blockers(org, today),
        *_late_reports(org, period, today),
        *_stalled_approvals(org, today),
        *_idle_leads(org, today),
    ]
    items.sort(key=lambda i: KIND_ORDER.index(i["kind"]))
    return items


def _inside(org, field="org"):
    return Q(**{f"{field}__path__startswith": org.path})


def _warned_projects(org, period):
    qs = (
        formulas.with_figures(Project.objects.filter(_inside(org)), period.year, period.month)
        .filter(warning__in=["red", "yellow"])
        .order_by("-total_investment", "pk")
    )
    progress = formulas.time_progress(period.month)
    for p in qs:
        started = p.started_on is not None and p.started_on < formulas.next_month(period)
        if not started and p.planned_start_month and p.planned_start_month < period.month:
            facts = _("计划%(m)d月开工，尚未开工") % {"m": p.planned_start_month}
        else:
            facts = _(
                "年度计划%(plan)s万元，今年完成%(ytd)s万元，完成率%(rate)s，时序进度%(tp)s%%"
            ) % {
                "plan": format_wan(p.plan or 0),
                "ytd": format_wan(formulas.money(p.ytd)),
                "rate": format_rate(p.ytd, p.plan),
                "tp": progress,
            }
        kind = AgendaItem.Kind.RED_PROJECT if p.warning == "red" else AgendaItem.Kind.YELLOW_PROJECT
        yield {
            "kind": kind,
            "source": f"project:{p.pk}",
            "title": p.name,
            "facts": facts,
            "project": p,
        }


def _overdue_blockers(org, today):
    qs = Blocker.objects.filter(_inside(org), state_q("overdue", today))
    for b in qs.select_related("unit", "project").order_by("deadline", "pk"):
        yield {
            "kind": AgendaItem.Kind.OVERDUE_BLOCKER,
            "source": f"blocker:{b.pk}",
            "title": b.title,
            "facts": _("责任单位：%(unit)s，时限%(d)s，已逾期%(n)d天")
            % {
                "unit": b.unit or "—",
                "d": f"{b.deadline:%Y-%m-%d}",
                "n": (today - b.deadline).days,
            },
            "project": b.project,
            "blocker": b,
        }


def _late_reports(org, period, today):
    """Projects under construction whose report of `period` came in after its deadline, or
    is still missing once the deadline has passed."""
    due = formulas.zone_deadline(ZoneSettings.objects.filter(org=org).first(), period)
    report = ProgressReport.objects.filter(project=OuterRef("pk"), period=period)
    qs = (
        Project.objects.filter(
            _inside(org),
            stage=Project.Stage.STARTED,
            started_on__lt=formulas.next_month(period),
        )
        .annotate(filed=Exists(report), late=Exists(report.filter(is_late=True)))
        .filter(Q(late=True) | Q(filed=False) if today > due else Q(late=True))
        .order_by("name")
    )
    month = f"{period:%Y-%m}"
    for p in qs:
        facts = (
            _("%(m)s月报逾期填报（截止%(d)s）") if p.filed else _("%(m)s月报未填报（截止%(d)s）")
        ) % {"m": month, "d": f"{due:%Y-%m-%d}"}
        yield {
            "kind": AgendaItem.Kind.LATE_REPORT,
            "source": f"report:{p.pk}:{period:%Y%m}",
            "title": p.name,
            "facts": facts,
            "project": p,
        }


def _stalled_approvals(org, today):
    """Approval steps under way past their committed working days (China's calendar)."""
    steps = ApprovalStep.objects.filter(
        _inside(org, "project__org"),
        status=ApprovalStep.Status.ACTIVE,
        started_on__isnull=False,
    ).select_related("project", "unit")
    work = WorkCalendar()
    for step in steps.order_by("started_on", "pk"):
        due = work.add_working_days(step.started_on, step.committed_days)
        if today <= due:
            continue
        facts = _(
            "%(unit)s受理于%(start)s，承诺%(n)d个工作日，时限%(due)s，已用%(used)d个工作日"
        ) % {
            "unit": step.unit or "",
            "start": f"{step.started_on:%Y-%m-%d}",
            "n": step.committed_days,
            "due": f"{due:%Y-%m-%d}",
            "used": work.working_days_between(step.started_on, today),
        }
        note = work.estimate_note(step.started_on, due)
        yield {
            "kind": AgendaItem.Kind.STALLED_APPROVAL,
            "source": f"approval:{step.pk}",
            "title": f"{step.project} · {step}",
            "facts": f"{facts}（{note}）" if note else facts,
            "project": step.project,
            "approval": step,
        }


def _idle_leads(org, today):
    """Open leads with neither a visit nor a change of stage in the last 30 days."""
    since = today - datetime.timedelta(days=IDLE_DAYS)
    base = F("created_on")
    qs = (
        Lead.objects.filter(_inside(org))
        .exclude(stage__in=[Lead.Stage.SIGNED, Lead.Stage.DROPPED])
        .annotate(
            last=Greatest(
                base,
                Coalesce("contacting_on", base),
                Coalesce("negotiating_on", base),
                Coalesce(Max("visits__date"), base),
            )
        )
        .filter(last__lt=since)
        .select_related("team")
        .order_by("last", "pk")
    )
    for lead in qs:
        yield {
            "kind": AgendaItem.Kind.IDLE_LEAD,
            "source": f"lead:{lead.pk}",
            "title": lead.name,
            "facts": _("%(team)s · %(stage)s，最近进展%(d)s，已%(n)d天无拜访或阶段变化")
            % {
                "team": lead.team,
                "stage": lead.get_stage_display(),
                "d": f"{lead.last:%Y-%m-%d}",
                "n": (today - lead.last).days,
            },
            "lead": lead,
        }


def units_of(meeting):
    """Units a decision may go to: those a blocker of the meeting's zone may go to."""
    return units_serving(meeting.org)


def chairs_for(user, org):
    """People who may chair a meeting of `org`: users holding a role there, in the scope."""
    return users_for(user).filter(roles__org__path__startswith=org.path).distinct()
