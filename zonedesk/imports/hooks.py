"""The tests' kill hook, handed to engine.run as its `after_batch` callback by whoever starts
an import (flow, tasks, the import_xlsx command): a process started with
ZONEDESK_IMPORT_KILL_AFTER=N kills itself, unannounced, once N rows were written inside the
import's transaction, as a power cut or an OOM kill would."""

import os
import signal

KILL_AFTER = "ZONEDESK_IMPORT_KILL_AFTER"


def after_batch():
    """The callback for this process, or None (the normal case)."""
    limit = os.environ.get(KILL_AFTER)
    if not limit:
        return None

    def kill(done):
        if done >= int(limit):
            os.kill(os.getpid(), signal.SIGKILL)

    return kill
