from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import Heartbeat


@db_periodic_task(crontab(minute="*"))
def heartbeat():
    """Proves the worker runs: the admin home page shows how long ago this last ran."""
    Heartbeat.objects.update_or_create(name="worker", defaults={"last_seen": timezone.now()})
