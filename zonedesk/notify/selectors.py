from datetime import timedelta

from django.utils import timezone

from .models import Heartbeat


def worker_status():
    """(alive, last_seen): alive when the minutely heartbeat ran in the last three minutes."""
    beat = Heartbeat.objects.filter(name="worker").first()
    if beat is None:
        return False, None
    return timezone.now() - beat.last_seen < timedelta(minutes=3), beat.last_seen
