"""The reminders the worker sends on its own, each keyed by what makes it the same event.

Each function looks at the state of today (not at what happened since the last run), so a
run missed while the worker was down is caught up by the next one, and the keys make
every reminder go once per user and channel however often it runs.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.leads.models import Lead
from zonedesk.orgs.models import User
from zonedesk.projects import formulas
from zonedesk.projects.models import ProgressReport, Project, ZoneSettings
from zonedesk.projects.selectors import default_period

from .services import notify, notify_group

DUE_WORKING_DAYS = getattr(settings, "NOTIFY_DUE_WORKING_DAYS", 3)

_members = Prefetch("team__members", queryset=User.objects.filter(is_active=True).only("pk"))


def _missing_reports(period):
    """Projects under construction in `period` whose report of that month is not filed."""
    return (
        Project.objects.filter(
            stage=Project.Stage.STARTED,
            started_on__lt=formulas.next_month(period),
            team__isnull=False,
        )
        .exclude(Exists(ProgressReport.objects.filter(project=OuterRef("pk"), period=period)))
        .select_related("team", "org")
        .prefetch_related(_members)
        .order_by("pk")
    )


def in_default_language(job):
    """Reminders are stored text, written in the site's language (Chinese), whatever
    language the thread that runs them last served."""

    def run(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return job(*args, **kwargs)

    run.__doc__, run.__name__ = job.__doc__, job.__name__
    return run


@in_default_language
def progress_reminders(today=None):
    """月度进展: "due" in the last N working days before the zone's deadline, "late" after it,
    to the officers of the project's task force (and its robots when late)."""
    today = today or timezone.localdate()
    year, month = default_period(today)
    period = datetime.date(year, month, 1)
    days = dict(ZoneSettings.objects.values_list("org", "report_day"))
    calendar = WorkCalendar()
    sent = 0
    for p in _missing_reports(period):
        deadline = formulas.deadline(period, days.get(p.org_id, formulas.DEFAULTS["report_day"]))
        if today > deadline:
            kind, title = "late", _("月度进展逾期未报：%(name)s") % {"name": p.name}
        elif calendar.working_days_between(today, deadline) <= DUE_WORKING_DAYS:
            kind, title = "due", _("月度进展即将到期：%(name)s") % {"name": p.name}
        else:
            continue
        body = _("%(period)s 的月度进展须在 %(deadline)s 前填报。") % {
            "period": f"{period:%Y-%m}",
            "deadline": f"{deadline:%Y-%m-%d}",
        }
        key = f"progress:{p.pk}:{period:%Y-%m}:{kind}"
        url = reverse("projects:progress", args=[p.pk])
        notify(
            p.team.members.all(),
            event=f"progress.{kind}",
            key=key,
            title=title,
            body=body,
            url=url,
            org=p.org,
        )
        if kind == "late":
            notify_group(
                team=p.team, event="progress.late", key=key, title=title, body=body, url=url
            )
        sent += 1
    return sent


@in_default_language
def lead_reminders(today=None):
    """招商线索: the next step is due today or past, to the team's leader and promoters and
    the lead's responsible leader; a new date makes a new reminder."""
    today = today or timezone.localdate()
    leads = (
        Lead.objects.filter(next_step_on__lte=today)
        .exclude(stage__in=[Lead.Stage.SIGNED, Lead.Stage.DROPPED])
        .select_related("team", "org")
        .prefetch_related(_members)
        .order_by("pk")
    )
    sent = 0
    for lead in leads:
        people = {u.pk for u in lead.team.members.all()}
        people |= {pk for pk in (lead.team.leader_id, lead.leader_id) if pk}
        overdue = lead.next_step_on < today
        title = (_("线索下一步已逾期：%(name)s") if overdue else _("线索今日跟进：%(name)s")) % {
            "name": lead.name
        }
        notify(
            people,
            event="lead.next_step",
            key=f"lead:{lead.pk}:next:{lead.next_step_on:%Y-%m-%d}",
            title=title,
            body=_("%(date)s：%(step)s")
            % {"date": f"{lead.next_step_on:%Y-%m-%d}", "step": lead.next_step},
            url=reverse("leads:detail", args=[lead.pk]),
            org=lead.org,
        )
        sent += 1
    return sent
