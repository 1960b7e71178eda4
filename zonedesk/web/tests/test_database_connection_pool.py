"""PostgreSQL connections come from a bounded pool per process, configured from the
environment; SQLite keeps its own settings."""

import json
import os
import subprocess
import sys
import threading

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)

SHOW = (
    "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps([d['CONN_MAX_AGE'], d['OPTIONS'].get('pool')]))"
)


def database_settings(**env):
    inherited = {
        k: v for k, v in os.environ.items() if not k.startswith(("ZONEDESK_DB_", "DATABASE_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        env={**inherited, "DJANGO_SETTINGS_MODULE": "zonedesk.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_postgresql_gets_a_bounded_pool_and_no_persistent_connections():
    conn_max_age, pool = database_settings(DATABASE_URL="postgres://u@127.0.0.1:5432/zd")
    assert conn_max_age == 0  # Django refuses a pool with persistent connections
    assert pool == {"min_size": 2, "max_size": 10, "timeout": 5.0}


def test_the_pool_is_sized_from_the_environment():
    _, pool = database_settings(
        DATABASE_URL="postgres://u@127.0.0.1:5432/zd",
        ZONEDESK_DB_POOL_MIN="1",
        ZONEDESK_DB_POOL_MAX="4",
        ZONEDESK_DB_POOL_TIMEOUT="2.5",
    )
    assert pool == {"min_size": 1, "max_size": 4, "timeout": 2.5}


def test_a_pool_size_of_zero_keeps_persistent_connections_instead():
    """For a deployment behind PgBouncer, which pools for every process."""
    conn_max_age, pool = database_settings(
        DATABASE_URL="postgres://u@127.0.0.1:5432/zd", ZONEDESK_DB_POOL_MAX="0"
    )
    assert (conn_max_age, pool) == (60, None)


def test_sqlite_has_no_pool():
    assert database_settings(DATABASE_URL="sqlite:///x.sqlite3") == [0, None]


def test_a_closed_connection_stays_open_in_the_pool_and_is_used_again():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    pids = set()
    for _ in range(20):
        pids.add(backend_pid())
        connection.close()  # what Django does at the end of every request
    assert len(pids) <= connection.settings_dict["OPTIONS"]["pool"]["max_size"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)])
        assert {pid for (pid,) in cursor.fetchall()} == pids  # none was really closed


def test_many_threads_share_no_more_server_connections_than_the_pool_holds():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    pids, errors, lock = set(), [], threading.Lock()

    def request():
        try:
            pid = backend_pid()
            with lock:
                pids.add(pid)
        except Exception as e:
            errors.append(e)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=request) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert 1 <= len(pids) <= connection.settings_dict["OPTIONS"]["pool"]["max_size"]
