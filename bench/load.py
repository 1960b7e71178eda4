"""`python -m bench load`: a burst of concurrent clients against a real ZoneDesk server.

Loads the demo into a fresh database (SQLite in a temporary directory; with
BENCH_DATABASE_URL, that PostgreSQL database dropped and created anew), starts `zonedesk
runserver` on 127.0.0.1 with DEBUG off, and runs BENCH_CLIENTS (40) clients for BENCH_SECONDS
(30) — each stops at the deadline or after BENCH_MAX_REQUESTS (2,000) requests. Each client
keeps its HTTP connection open, as browsers and API clients do; BENCH_KEEP_ALIVE=0 opens one per
request instead (beware: runserver listens with a backlog of 10, so a storm of new connections
makes the kernel answer some of them with a reset before the server sees them). A client's
request is, by a seeded draw:

- a read (80%): the project list page or the cockpit page (a logged-in session), or the API's
  project, lead, enterprise or blocker list (a token) — as the zone leader, the city viewer or
  the province admin;
- a write (20%) through the API: register a project (`POST /api/v1/projects`, as the zone
  leader or the province admin), or file this month's report for a project the client
  registered (`POST /api/v1/projects/{id}/progress`, as the province admin).

Then it stops the server and reports requests, requests per second, median, p95 and slowest
time, answers by status, and on PostgreSQL the most server connections the run held. It checks
that every acknowledged write (2xx) is in the database with what was sent, and that no refused
one is. Exits 1 if any answer was a 5xx, any request failed to get an answer, or a check failed.

The server's environment is the bench's: `ZONEDESK_DB_POOL_MAX=0 python -m bench load` runs it
without the connection pool (the configuration before it). BENCH_PORT picks the port (default:
a free one).
"""

import http.client
import io
import json
import logging
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from bench.boot import setup_django

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "40"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "2000"))
KEEP_ALIVE = os.environ.get("BENCH_KEEP_ALIVE", "1") == "1"
TIMEOUT = 60  # seconds a client waits for one answer
SERVER_NAME = "zonedesk-load-server"

PAGES = ("/projects/", "/projects/cockpit/")
API_LISTS = ("/api/v1/projects", "/api/v1/leads", "/api/v1/enterprises", "/api/v1/blockers")


def fresh_database():
    """An empty database for the run, migrated, with the demo loaded."""
    import tempfile

    os.environ["ZONEDESK_VAR_DIR"] = tempfile.mkdtemp(prefix="zonedesk-load-")
    if url := os.environ.get("BENCH_DATABASE_URL"):
        import dj_database_url
        import psycopg

        name = dj_database_url.parse(url)["NAME"]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    setup_django(flush=False)
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())


def credentials():
    """Per demo user: a session cookie for the pages and a token for the API."""
    from django.conf import settings
    from django.test import Client

    from zonedesk.orgs.models import Org, User
    from zonedesk.orgs.services import create_token

    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login
    users = {}
    for username in ("leader", "viewer", "admin"):
        user = User.objects.get(username=username)
        browser = Client()
        browser.force_login(user)
        users[username] = {
            "cookie": f"{settings.SESSION_COOKIE_NAME}="
            + browser.cookies[settings.SESSION_COOKIE_NAME].value,
            "token": "Bearer " + create_token(user, "压测")[1],
        }
    zone = Org.objects.get(name="寿阳经济技术开发区").pk
    return users, zone


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port, log):
    server = subprocess.Popen(
        [sys.executable, "-m", "zonedesk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PGAPPNAME": SERVER_NAME},  # tells its connections from the bench's
    )
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"the server stopped at start; see {log.name}")
        try:
            if call(port, "GET", "/login/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"the server did not answer within 60 s; see {log.name}")


def call(port, method, path, headers=None, body=None, conn=None):
    """One request; on `conn` (kept open for the next) or on a connection of its own."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        data = json.dumps(body).encode() if body is not None else None
        headers = {**(headers or {}), **({"Content-Type": "application/json"} if data else {})}
        conn.request(method, path, data, headers)
        response = conn.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        conn.close()  # reconnects on the next request
        raise
    finally:
        if own:
            conn.close()


class Run:
    """What the clients did: every request's kind, status and time, and every write."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []  # (kind, status or None for no answer, seconds)
        self.errors = Counter()  # why a request got no answer
        self.projects = {}  # name -> (status or None for no answer, id if acknowledged)
        self.reports = {}  # (project id, period) -> (status or None, invested sent)


def client(i, port, users, zone, period, deadline, run, conn):
    rng = random.Random(i)
    reader = users[("leader", "viewer", "admin")[i % 3]]
    writer = users[("leader", "admin")[i % 2]]  # who registers projects
    mine = []  # projects this client registered and has not yet reported on
    for n in range(MAX_REQUESTS):
        if time.monotonic() >= deadline:
            break
        draw = rng.random()
        if draw < 0.1 or (draw < 0.2 and not mine):
            kind, name = "write: project", f"压测项目-{i}-{n}"
            body = {
                "org_id": zone,
                "name": name,
                "category": "industry",
                "nature": "new",
                "total_investment": str(rng.randint(100, 90000)),
            }
            request = ("POST", "/api/v1/projects", {"Authorization": writer["token"]}, body)
        elif draw < 0.2:
            kind, project = "write: progress", mine.pop()
            invested = f"{rng.randint(0, 99999) / 100:.2f}"
            body = {"period": period, "invested": invested, "progress": "主体施工"}
            path = f"/api/v1/projects/{project}/progress"
            # A leader registers projects but only an admin (or the task force) edits them.
            request = ("POST", path, {"Authorization": users["admin"]["token"]}, body)
        elif draw < 0.5:
            path = rng.choice(PAGES)
            kind, request = f"page {path}", ("GET", path, {"Cookie": reader["cookie"]}, None)
        else:
            path = rng.choice(API_LISTS)
            kind, request = f"api {path}", ("GET", path, {"Authorization": reader["token"]}, None)
        start = time.perf_counter()
        try:
            status, content = call(port, *request, conn=conn)
        except (OSError, http.client.HTTPException) as e:
            status, content = None, b""
            with run.lock:
                run.errors[f"{type(e).__name__}: {e}"] += 1
        elapsed = time.perf_counter() - start
        ok = status is not None and 200 <= status < 300
        with run.lock:
            run.requests.append((kind, status, elapsed))
            if kind == "write: project":
                run.projects[name] = (status, json.loads(content)["id"] if ok else None)
            elif kind == "write: progress":
                run.reports[(project, period)] = (status, Decimal(invested))
        if kind == "write: project" and ok:
            mine.append(run.projects[name][1])
    if conn:
        conn.close()


def server_connections(stop, peak):
    """The most connections the server held on PostgreSQL, sampled twice a second."""
    from django.db import connection

    while not stop.wait(0.5):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                [SERVER_NAME],
            )
            peak[0] = max(peak[0], cursor.fetchone()[0])
    connection.close()


def check_writes(run):
    """Every acknowledged (2xx) write present with what was sent, every refused one absent.
    Returns the number acknowledged, the problems found, and of the writes that got no
    answer, how many were made (the client cannot know; neither outcome is a problem)."""
    from zonedesk.projects.models import ProgressReport, Project

    projects = dict(Project.objects.filter(name__in=run.projects).values_list("name", "pk"))
    reports = {
        (r.project_id, f"{r.period:%Y-%m}"): r.invested
        for r in ProgressReport.objects.filter(project_id__in=projects.values())
    }
    problems, acknowledged, unanswered = [], 0, Counter()
    for name, (status, pk) in run.projects.items():
        if status is None:
            unanswered["made" if name in projects else "not made"] += 1
        elif status < 300:
            acknowledged += 1
            if projects.get(name) != pk:
                problems.append(f"acknowledged project {name} (id {pk}) is missing")
        elif name in projects:
            problems.append(f"project {name}, answered {status}, was written")
    for key, (status, invested) in run.reports.items():
        if status is None:
            unanswered["made" if reports.get(key) == invested else "not made"] += 1
        elif status < 300:
            acknowledged += 1
            if reports.get(key) != invested:
                problems.append(f"acknowledged report {key} is {reports.get(key)}, not {invested}")
        elif key in reports:
            problems.append(f"report {key}, answered {status}, was written")
    return acknowledged, problems, unanswered


def main():
    fresh_database()
    from django.db import connection, connections
    from django.utils import timezone

    users, zone = credentials()
    period = f"{timezone.localdate():%Y-%m}"
    vendor = connection.vendor
    connections.close_all()  # SQLite: the bench holds no lock while the server works

    port = int(os.environ.get("BENCH_PORT") or free_port())
    log_path = Path(os.environ["ZONEDESK_VAR_DIR"]) / "server.log"
    run, stop, peak = Run(), threading.Event(), [0]
    with open(log_path, "w") as log:
        server = start_server(port, log)
        sampler = threading.Thread(target=server_connections, args=(stop, peak))
        if vendor == "postgresql":
            sampler.start()
        try:
            # Connected one after another before the burst: 40 connections opened at once
            # overflow runserver's listen backlog of 10, and the kernel resets a few.
            conns = [None] * CLIENTS
            for i in range(CLIENTS if KEEP_ALIVE else 0):
                conns[i] = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                conns[i].connect()
            deadline = time.monotonic() + SECONDS
            began = time.perf_counter()
            clients = [
                threading.Thread(
                    target=client, args=(i, port, users, zone, period, deadline, run, conns[i])
                )
                for i in range(CLIENTS)
            ]
            for t in clients:
                t.start()
            for t in clients:
                t.join()
            wall = time.perf_counter() - began
        finally:
            stop.set()
            if sampler.is_alive():
                sampler.join()
            server.terminate()
            server.wait(timeout=30)

    acknowledged, problems, unanswered = check_writes(run)
    report(run, vendor, wall, peak[0], acknowledged, problems, unanswered, log_path)
    statuses = Counter(status for _, status, _ in run.requests)
    failed = sum(n for s, n in statuses.items() if s is None or s >= 500)
    if not failed and not problems:
        shutil.rmtree(os.environ["ZONEDESK_VAR_DIR"], ignore_errors=True)
    return 1 if failed or problems else 0


def report(run, vendor, wall, peak, acknowledged, problems, unanswered, log_path):
    times = sorted(t for _, _, t in run.requests)
    statuses = Counter(status for _, status, _ in run.requests)
    server_errors = sum(n for s, n in statuses.items() if s is not None and s >= 500)
    pool = os.environ.get("ZONEDESK_DB_POOL_MAX", "10")
    print(
        f"\nZoneDesk load on {vendor}"
        + (f" (pool of {pool} a process)" if vendor == "postgresql" and pool != "0" else "")
        + (" (no pool)" if vendor == "postgresql" and pool == "0" else "")
        + f": {CLIENTS} clients, {SECONDS:.0f} s, "
        + ("keep-alive" if KEEP_ALIVE else "a new connection per request")
        + f", load average {os.getloadavg()[0]:.1f}\n"
    )
    print(f"requests          {len(times):,} in {wall:.1f} s = {len(times) / wall:.1f} req/s")
    print(
        f"time              median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {statistics.quantiles(times, n=20)[18] * 1000:.0f} ms, "
        f"slowest {times[-1] * 1000:.0f} ms"
    )
    answers = ", ".join(f"{s or 'no answer'}: {n:,}" for s, n in sorted(statuses.items(), key=str))
    print(f"answers           {answers}")
    print(f"5xx               {server_errors}")
    if vendor == "postgresql":
        print(f"server conns      at most {peak} at once")
    print(f"writes            {acknowledged:,} acknowledged, all present: {not problems}")
    if unanswered:
        print(f"writes unanswered {unanswered['made']} made, {unanswered['not made']} not made")
    kinds = Counter(kind for kind, _, _ in run.requests)
    print("by kind           " + ", ".join(f"{k} {n:,}" for k, n in sorted(kinds.items())))
    other = Counter((k, s) for k, s, _ in run.requests if s is None or not 200 <= s < 300)
    if other:
        print("not 2xx           " + ", ".join(f"{k} {s}: {n}" for (k, s), n in other.items()))
    for error, n in run.errors.items():
        print(f"  no answer ({n}): {error}")
    for problem in problems[:20]:
        print(f"  {problem}")
    if server_errors or problems or statuses.get(None):
        print(f"server log: {log_path}")
