"""The reminders the worker sends on its own, each keyed by what makes it the same event.

Each app registers its reminder jobs in its AppConfig.ready(): a job takes `today` (None for
the local date) and returns how many reminders it sent. Each looks at the state of today
(not at what happened since the last run), so a run missed while the worker was down is
caught up by the next one, and the keys make every reminder go once per user and channel
however often it runs.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from zonedesk.orgs.models import User

REMINDERS = []

# A reminder to a team reads its active members' ids alone.
TEAM_MEMBERS = Prefetch("team__members", queryset=User.objects.filter(is_active=True).only("pk"))


def register(job):
    REMINDERS.append(job)


def send_all(today=None):
    """Every registered reminder, in order: {job name: how many it sent}."""
    return {job.__name__: job(today) for job in REMINDERS}


def in_default_language(job):
    """Reminders are stored text, written in the site's language (Chinese), whatever
    language the thread that runs them last served."""

    def run(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return job(*args, **kwargs)

    run.__doc__, run.__name__ = job.__doc__, job.__name__
    return run
