"""What the background jobs (imports, reports) share: the heartbeat that tells a running
job from one whose worker died, the message such a job is failed with, and the refusal of
an action the job's state does not allow."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INTERRUPTED = _("后台任务中断（处理进程意外停止），未写入任何数据，请重试")


class Busy(Exception):
    """The job's state refuses the action (confirming a running import, retrying a job that
    has not failed); the API answers 409 with the message."""


def stale_before(now=None):
    """Running jobs whose heartbeat is older than this lost their worker."""
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.JOBS_STALE_AFTER)
