from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import reminders, services
from .models import Heartbeat


@db_periodic_task(crontab(minute="*"))
def heartbeat():
    """Proves the worker runs: the admin home page shows how long ago this last ran."""
    Heartbeat.objects.update_or_create(name="worker", defaults={"last_seen": timezone.now()})


@db_periodic_task(crontab(minute="*"))
def sweep():
    """Every minute: retries failed deliveries whose back-off is over, sends those whose
    quiet hours ended and any the queue lost. Claims make a second worker harmless."""
    return services.sweep()


@db_periodic_task(crontab(minute="7"))
def send_reminders():
    """Hourly, so a worker that was down catches up within the hour; keys keep each to once."""
    return reminders.send_all()
