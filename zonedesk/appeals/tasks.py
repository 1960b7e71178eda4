"""Periodic work on appeals: the overdue sweep."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zonedesk.catalog.calendar import WorkCalendar

from . import services
from .models import Appeal

# Working days past the deadline at which an overdue appeal escalates to level 2.
ESCALATE_AFTER = 3


def overdue_sweep(today=None):
    """Appeals past their deadline reach level 1 (已逾期) and, ESCALATE_AFTER working days
    later, level 2 (逾期升级); each level notifies the unit and the zone's leaders once (the
    keys carry the appeal, its reopen round and the level, so running twice sends nothing
    new). A sweep that finds an appeal already due for level 2 passes level 1 first, with
    its notice, as blockers do. Returns the number of appeals whose level rose."""
    today = today or timezone.localdate()
    cal = WorkCalendar()
    raised = 0
    late = Appeal.objects.filter(status__in=Appeal.OPEN, deadline__lt=today, level__lt=2)
    for appeal in late.only("pk", "deadline", "level").iterator(chunk_size=200):
        behind = cal.working_days_between(appeal.deadline, today)
        level = Appeal.Level.ESCALATED if behind >= ESCALATE_AFTER else Appeal.Level.OVERDUE
        steps = [services.escalate(appeal, step) for step in range(appeal.level + 1, level + 1)]
        raised += any(steps)
    return raised


@db_periodic_task(crontab(minute="20", hour="8-20"))
def overdue_appeals():
    """Hourly in office hours; a worker that was down catches up on its next run."""
    return overdue_sweep()
