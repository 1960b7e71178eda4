"""月度进展 reminders: the monthly report falls due, or is late (notify.reminders runs them)."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.notify.reminders import TEAM_MEMBERS, in_default_language
from zonedesk.notify.services import notify, notify_group

from . import formulas
from .models import ProgressReport, Project, ZoneSettings

DUE_WORKING_DAYS = getattr(settings, "NOTIFY_DUE_WORKING_DAYS", 3)


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
        .prefetch_related(TEAM_MEMBERS)
        .order_by("pk")
    )


def _candidate_periods(today):
    """The months whose report may be due or late today: this month's (its deadline's last
    working days may fall at the end of this month) and last month's."""
    this = today.replace(day=1)
    return [this - datetime.timedelta(days=1), this]


@in_default_language
def progress_reminders(today=None):
    """月度进展: "due" in the last N working days before the zone's deadline (China's calendar,
    whatever month they fall in), "late" on the working days after it, to the officers of the
    project's task force (and its robots when late)."""
    today = today or timezone.localdate()
    settings = {s.org_id: s for s in ZoneSettings.objects.all()}
    calendar = WorkCalendar()
    if not calendar.is_workday(today):
        return 0  # nobody can file on a holiday; the next working day's run sends
    sent = 0
    for period in (p.replace(day=1) for p in _candidate_periods(today)):
        for p in _missing_reports(period):
            sent += _remind(
                p,
                period,
                today,
                formulas.zone_deadline(settings.get(p.org_id), period, calendar),
                calendar,
            )
    return sent


def _remind(p, period, today, deadline, calendar):
    if today > deadline:
        kind, title = "late", _("月度进展逾期未报：%(name)s") % {"name": p.name}
    elif calendar.working_days_between(today, deadline) <= DUE_WORKING_DAYS:
        kind, title = "due", _("月度进展即将到期：%(name)s") % {"name": p.name}
    else:
        return 0
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
        notify_group(team=p.team, event="progress.late", key=key, title=title, body=body, url=url)
    return 1
