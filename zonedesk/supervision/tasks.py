"""The daily supervision run: escalate overdue blockers by one level and send reminders.

Scheduled at 08:30 and again every hour until the evening: the work is idempotent (an
escalation is re-checked on the locked row, a reminder is sent once per key and channel), so
the later runs only catch up what an earlier one missed — a worker that was down at 08:30
does the day's work when it comes back, and a worker down for days escalates one level,
never several at once.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zonedesk.catalog.calendar import WorkCalendar

from . import services
from .models import Blocker

NEAR = 2  # working days before the deadline when the unit is reminded


def run(today=None):
    """One pass; returns what it did, for the log and the tests."""
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    done = {"escalated": 0, "near": 0, "overdue": 0}
    open_ = Blocker.objects.filter(status__in=Blocker.OPEN_STATUSES).select_related(
        "org", "unit", "raised_by", "leader"
    )
    for blocker in open_.filter(deadline__lt=today).order_by("pk"):
        if services.due_for_escalation(blocker, today, calendar) and services.auto_escalate(
            blocker, today, calendar
        ):
            done["escalated"] += 1
        overdue_reminder(blocker)
        done["overdue"] += 1
    for blocker in open_.filter(deadline__gte=today).order_by("pk"):
        if calendar.working_days_between(today, blocker.deadline) <= NEAR:
            near_reminder(blocker)
            done["near"] += 1
    return done


def near_reminder(blocker):
    services.tell_unit(
        blocker,
        event="blocker.due",
        key=f"blocker:{blocker.pk}:due:{blocker.deadline}",
        title=_("问题即将到期：%(t)s（%(d)s前办结）") % {"t": blocker.title, "d": blocker.deadline},
        body=blocker.description,
    )


def overdue_reminder(blocker):
    key = f"blocker:{blocker.pk}:overdue:{blocker.deadline}"
    title = _("问题已逾期：%(t)s（责任单位%(u)s，时限%(d)s）") % {
        "t": blocker.title,
        "u": blocker.unit,
        "d": blocker.deadline,
    }
    services.tell_unit(blocker, event="blocker.overdue", key=key, title=title)
    services.tell(
        [blocker.raised_by, blocker.leader], blocker, event="blocker.overdue", key=key, title=title
    )


@db_periodic_task(crontab(minute="30", hour="8-20"))
def daily():
    return run()
