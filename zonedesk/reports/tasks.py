from huey import crontab
from huey.contrib.djhuey import close_db, db_periodic_task, on_startup

from . import services


@db_periodic_task(crontab(minute="*"))
def recover_reports():
    """Every minute: fail the documents whose worker died, so their page offers 重试."""
    return services.recover()


@on_startup("recover_reports")
@close_db
def recover_reports_at_start():
    """A restarted worker first fails the documents its predecessor left running."""
    services.recover()
