"""`python -m bench http`: the pages of bench/pages.py over HTTP, served by gunicorn as in
production (2 sync workers), beside a bare view through the same middleware.

Builds the bench's province database (bench/projects.py; `BENCH_PER_ZONE` projects per zone),
logs the zone leader and the province viewer in (a session each, and an API token), starts
`gunicorn --workers 2 bench.wsgi` on 127.0.0.1 and loads each page for each user, then the
bare view `/bench/bare`, for BENCH_SECONDS (15) at concurrency 4 and then 16: that many
client threads, each sending one request after another on a new connection (a sync worker
closes it after each answer). It prints requests per second and the 95th percentile of the
time from sending to the last byte, for each page beside the bare view's. Every answer must
be 200. SQLite by default, PostgreSQL with BENCH_DATABASE_URL.
"""

import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from bench.pages import PAGES

SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
CONCURRENCY = (4, 16)
PORT = int(os.environ.get("BENCH_PORT", "8765"))
GUNICORN = ["--workers", "2", "--worker-class", "sync", "--backlog", "2048", "--timeout", "120"]


def credentials():
    """Per user: the session cookie and the API token's header."""
    from django.test import Client

    from zonedesk.orgs import services
    from zonedesk.orgs.models import User

    found = {}
    for username in ("zoneuser", "viewer"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        _token, secret = services.create_token(user, "bench http")
        found[username] = {
            "Cookie": f"sessionid={client.cookies['sessionid'].value}",
            "Authorization": f"Bearer {secret}",
        }
    return found


def get(path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def start(log):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *GUNICORN,
            "--bind",
            f"127.0.0.1:{PORT}",
            "bench.wsgi:application",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),  # the bench's var directory and database
    )
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start; see {log.name}")
        try:
            if get("/bench/bare", {}) == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log.name}")


def load(path, headers, clients):
    """`clients` threads for SECONDS: requests per second and the p95 in ms."""
    times, statuses = [], []
    deadline = time.perf_counter() + SECONDS

    def client():
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            status = get(path, headers)
            times.append((time.perf_counter() - start) * 1000)  # list.append is atomic
            statuses.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    bad = [s for s in statuses if s != 200]
    assert not bad, f"{path}: {len(bad)} answers not 200 ({sorted(set(bad))})"
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return len(times) / elapsed, p95


def main():
    from django.db import connection
    from django.urls import reverse

    from bench.projects import build, engine
    from zonedesk.projects.models import Project
    from zonedesk.projects.selectors import default_period

    year, month = default_period()
    build(year, month)
    heads = credentials()
    zone_project = Project.objects.filter(org__roles__user__username="zoneuser")
    pk = zone_project.order_by("-total_investment").values_list("pk", flat=True).first()
    connection.close()  # the server's workers take over the database
    with tempfile.NamedTemporaryFile("w", prefix="zonedesk-gunicorn-", suffix=".log") as log:
        server = start(log)
        try:
            rows = []
            for clients in CONCURRENCY:
                bare = load("/bench/bare", {}, clients)
                rows.append(("bare view", "—", clients, *bare, bare[0]))
                for key, label, name, query in PAGES:
                    path = reverse(name, args=[pk] if key == "detail" else []) + query
                    for who in ("zoneuser", "viewer"):
                        headers = heads[who]
                        if key != "api":
                            headers = {"Cookie": headers["Cookie"]}
                        rate, p95 = load(path, headers, clients)
                        rows.append((label, who, clients, rate, p95, bare[0]))
        finally:
            server.terminate()
            server.wait()
    print(
        f"\nOver HTTP on {engine(connection)}: {Project.objects.count():,} projects, gunicorn "
        f"{' '.join(GUNICORN)}, {SECONDS:.0f} s per line, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    print("| page | user | clients | req/s | p95 ms | bare view req/s | share of the bare |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for label, who, clients, rate, p95, bare in rows:
        user = {"zoneuser": "zone leader", "viewer": "province viewer"}.get(who, who)
        print(
            f"| {label} | {user} | {clients} | {rate:,.1f} | {p95:,.0f} | {bare:,.1f} "
            f"| 1/{bare / rate:,.0f} |"
        )
    return rows
