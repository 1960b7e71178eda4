"""Django for a bench run: its own var directory, DEBUG off, a migrated database.

Its own module so that every bench (and `python -m bench`) can start Django without
importing the runner that imports them."""

import os
import tempfile


def setup_django(flush=True):
    os.environ.setdefault("ZONEDESK_VAR_DIR", tempfile.mkdtemp(prefix="zonedesk-bench-"))
    # As in production: with DEBUG on, Django logs every statement it runs, which would
    # charge ZoneDesk (more statements) more than the baseline. Counting them still works.
    os.environ.setdefault("ZONEDESK_DEBUG", "0")
    if url := os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "zonedesk.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if flush:
        call_command("flush", "--noinput", verbosity=0)  # a server database may hold an old run
