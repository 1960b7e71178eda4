from django.db import models


class Heartbeat(models.Model):
    """Last time a periodic job of the worker ran: the admin page shows whether jobs run."""

    name = models.CharField(max_length=40, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self):
        return self.name
