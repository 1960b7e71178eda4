"""招商线索 reminders: a lead's next step is due (notify.reminders runs them)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.notify.reminders import TEAM_MEMBERS, in_default_language
from zonedesk.notify.services import notify

from .models import Lead


@in_default_language
def lead_reminders(today=None):
    """招商线索: the next step is due today or past, to the team's leader and promoters and
    the lead's responsible leader; a new date makes a new reminder."""
    today = today or timezone.localdate()
    leads = (
        Lead.objects.filter(next_step_on__lte=today)
        .exclude(stage__in=[Lead.Stage.SIGNED, Lead.Stage.DROPPED])
        .select_related("team", "org")
        .prefetch_related(TEAM_MEMBERS)
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
