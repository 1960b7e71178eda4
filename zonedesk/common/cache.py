"""Read-mostly lists a page needs on every request (a filter form's zones, parks, units and
leaders, a scope's chain names), kept in Django's cache and dropped when their tables change.

Each model has a stamp in the cache; a remembered list is stored under its key and the
stamps of the models it reads, so the service that writes one of those models calls
`changed(Model)` and every reader, in every process sharing the cache, loads the list anew
on its next request. The cache is shared by the web workers and the job consumer of one
machine (settings.CACHES, a directory under the var directory), which is why a write in one
process is seen by the others; nothing else is kept per process.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction

# A bound on a list's life if a write ever bypassed the services (a shell, a SQL fix).
TIMEOUT = 600


def _stamp_key(model):
    return f"zd:stamp:{model._meta.label_lower}"


def remembered(models, key, load):
    """`load()` (a picklable value), or the value it returned for `key` since none of
    `models` changed. `key` is anything whose repr names what the value is built from."""
    names = [_stamp_key(m) for m in models]
    stamps = cache.get_many(names)
    for name in names:
        if name not in stamps:  # never stamped, or evicted: a new stamp, so a fresh load
            cache.add(name, time.time_ns(), None)
            stamps[name] = cache.get(name)
    digest = hashlib.sha256(repr((key, [stamps[n] for n in names])).encode()).hexdigest()
    value = cache.get(f"zd:list:{digest}")
    if value is None:
        value = load()
        cache.set(f"zd:list:{digest}", value, TIMEOUT)
    return value


def changed(*models):
    """Called by the service that writes rows of `models`: readers load anew from now on,
    and again once the transaction commits (a read in between would remember the old rows)."""

    def stamp():
        cache.set_many({_stamp_key(m): time.time_ns() for m in models}, None)

    stamp()
    transaction.on_commit(stamp)
