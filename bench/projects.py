"""The project list and the cockpit at province scale, against hand-written SQL, in the same run.

Runs after the enterprise bench in `python -m bench`, on the tree it built (one province, 10
cities, 100 zones; a zone leader and a province viewer). Adds 300 projects per zone (30,000),
this year's plans for most of them and 36 monthly reports per started project (about 970,000
ProgressReport rows), then times, for the zone leader and for the province viewer:

- the project list as its page reads it: `list_totals` and the first page of `ListRows`;
- the cockpit: `cockpit(user, year, month, group_by_zone=True)`.

The SQL baselines compute the same figures (same totals, same first page with plan, ytd,
warning and the names the page shows, same cockpit numbers per zone) and the bench asserts that they
equal ZoneDesk's before timing anything, so the ratio compares equal work.
"""

import datetime
import itertools
import os
import random
import statistics
import time
from collections import defaultdict
from decimal import Decimal

PER_ZONE, MONTHS = int(os.environ.get("BENCH_PER_ZONE", "300")), 36  # fewer: a quick run
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
CENT = Decimal("0.01")
STAGES = (  # stage, weight
    ("reserve", 4),
    ("signed", 4),
    ("started", 65),
    ("completed", 15),
    ("operating", 10),
    ("cancelled", 2),
)
NATURES = (("new", 45), ("continuing", 35), ("expansion", 10), ("renovation", 10))


def months_back(period, n):
    """The first day of the month `n` months before `period`."""
    index = period.year * 12 + period.month - 1 - n
    return datetime.date(index // 12, index % 12 + 1, 1)


def build(year, month):
    """Projects, plans and reports for every zone of the tree. Returns the numbers of projects,
    plans and reports, and the seconds spent creating projects and plans, loading the reports
    and analysing the tables."""
    from django.db import connection, transaction

    from zonedesk.enterprises.models import Enterprise
    from zonedesk.orgs import services
    from zonedesk.orgs.models import Org, Team, Unit, User
    from zonedesk.projects.models import Project, YearPlan, ZoneSettings

    rng = random.Random(2026)
    zones = list(Org.objects.filter(kind="zone").order_by("pk"))
    parks = {
        z.pk: [
            services.create_org(None, parent=z, kind="park", name=f"园区{k}").pk for k in range(2)
        ]
        for z in zones
    }
    units = Unit.objects.bulk_create(Unit(org=z, name="发改局") for z in zones)
    teams = Team.objects.bulk_create(Team(org=z, kind="taskforce", name="项目专班") for z in zones)
    leaders = User.objects.bulk_create(
        User(username=f"leader{i}", name=f"领导{i}", password="!") for i in range(len(zones))
    )
    # A fifth of the zones have their own warning rules, the first one among them.
    ZoneSettings.objects.bulk_create(
        ZoneSettings(
            org=z,
            report_day=rng.randint(3, 10),
            yellow_gap=rng.choice([5, 10, 15]),
            red_gap=rng.choice([20, 25, 40]),
            red_start_delay=rng.choice([2, 4]),
        )
        for z in zones[::5]
    )
    firms = defaultdict(list)
    for pk, org_id in Enterprise.objects.values_list("pk", "org_id"):
        firms[org_id].append(pk)

    period = datetime.date(year, month, 1)
    first = months_back(period, MONTHS - 1)
    stages, stage_w = zip(*STAGES, strict=True)
    natures, nature_w = zip(*NATURES, strict=True)
    projects, meta = [], []
    for zi, zone in enumerate(zones):
        for j in range(PER_ZONE):
            stage = rng.choices(stages, stage_w)[0]
            nature = rng.choices(natures, nature_w)[0]
            started = stage in ("started", "completed", "operating") or (
                stage == "cancelled" and rng.random() < 0.5
            )
            if not started:
                started_on = None
            elif nature == "continuing":
                started_on = first + datetime.timedelta(days=rng.randrange(365))
            else:
                started_on = first + datetime.timedelta(days=rng.randrange((period - first).days))
            total = Decimal(rng.randrange(100_000, 50_000_000)) / 100
            p = Project(
                org=zone,
                park_id=rng.choice(parks[zone.pk] + [None]),
                name=f"项目{zi:03d}-{j:03d}",
                project_code=f"2024-140000-{zi:03d}{j:03d}",
                category=rng.choice(["industry", "infrastructure", "livelihood"]),
                nature=nature,
                is_provincial=rng.random() < 0.1,
                is_municipal=rng.random() < 0.2,
                chain=rng.choice(["新材料", "新能源", "装备制造", "数字经济", ""]),
                enterprise_id=rng.choice(firms[zone.pk]) if rng.random() < 0.4 else None,
                total_investment=total,
                leader=leaders[zi] if rng.random() < 0.5 else None,
                unit=units[zi] if rng.random() < 0.7 else None,
                team=teams[zi] if rng.random() < 0.2 else None,
                stage=stage,
                started_on=started_on,
                planned_start=started_on or datetime.date(year, rng.randint(1, 12), 1),
            )
            projects.append(p)
            in_plan = stage != "cancelled" and rng.random() < (
                0.5 if stage in ("completed", "operating") else 0.9
            )
            meta.append((started, in_plan))

    start = time.perf_counter()
    with transaction.atomic():
        Project.objects.bulk_create(projects, batch_size=2000)
        plans = []
        for p, (started, in_plan) in zip(projects, meta, strict=True):
            if not in_plan:
                p.plan = None
                continue
            start_month = None
            if not started:
                start_month = rng.randint(1, 12)
            elif p.started_on.year == year:
                start_month = p.started_on.month
            p.plan = (p.total_investment * Decimal(rng.uniform(0.1, 0.5))).quantize(CENT)
            plans.append(
                YearPlan(
                    project=p,
                    year=year,
                    planned_investment=p.plan,
                    planned_start_month=start_month,
                )
            )
        YearPlan.objects.bulk_create(plans, batch_size=2000)
    created = time.perf_counter() - start

    columns = "version, project_id, period, invested, progress, problems, is_late, filed_by_id"
    columns += ", filed_at"
    ops = connection.ops
    periods = [months_back(period, n) for n in reversed(range(MONTHS))]
    filed_at = {
        d: ops.adapt_datetimefield_value(
            datetime.datetime(d.year, d.month, 3, 9, 30, tzinfo=datetime.UTC)
            + datetime.timedelta(days=31)
        )
        for d in periods
    }
    dates = {d: ops.adapt_datefield_value(d) for d in periods}

    def reports():
        for p, (started, _) in zip(projects, meta, strict=True):
            if not started:
                continue
            pace = rng.uniform(0.4, 1.3)  # how fast this year's plan is being done
            idle = p.nature == "continuing" and rng.random() < 0.1  # not resumed this year
            missing = p.stage == "started" and rng.random() < 0.04  # this month not filed
            base = p.total_investment / MONTHS
            for d in periods:
                if d == period and missing:
                    continue
                if d.year == year:
                    if idle:
                        amount = Decimal(0)
                    else:
                        monthly = (p.plan or base) / 12 * Decimal(pace)
                        amount = monthly * Decimal(rng.uniform(0.7, 1.3))
                else:
                    amount = base * Decimal(rng.uniform(0.2, 1.2))
                late = rng.random() < (0.08 if d == period else 0.03)
                yield (1, p.pk, dates[d], amount.quantize(CENT), "按计划推进", "", late, None,
                       filed_at[d])  # fmt: skip

    start = time.perf_counter()
    n_reports = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # COPY through psycopg: the fastest way in, one stream for the whole table.
            with connection.cursor() as cur:
                sql = f"COPY projects_progressreport ({columns}) FROM STDIN"
                with cur.cursor.copy(sql) as copy:
                    for row in reports():
                        copy.write_row(row)
                        n_reports += 1
        else:
            # executemany in one transaction, 50,000 rows at a time.
            values = ", ".join(["%s"] * 9)
            sql = f"INSERT INTO projects_progressreport ({columns}) VALUES ({values})"
            rows = reports()
            with connection.cursor() as cur:
                while chunk := list(itertools.islice(rows, 50_000)):
                    cur.executemany(sql, chunk)
                    n_reports += len(chunk)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load. SQLite gets no ANALYZE: ZoneDesk never
        # runs one (nor `PRAGMA optimize`), so its planner works without statistics there.
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    analysed = time.perf_counter() - start
    return len(projects), len(plans), n_reports, created, loaded, analysed


# --- measured reads -------------------------------------------------------------------------


def fresh(user, roles):
    """The user as a request holds it: with `roles`, its roles are loaded again (as by the
    request's first permission check); without, they are those already loaded."""
    if roles:
        user.__dict__.pop("_zd_roles", None)
    return user


def list_zonedesk(user, year, month, roles):
    from zonedesk.orgs.selectors import roles_of
    from zonedesk.projects import selectors

    roles_of(user)  # loaded as by the request's first permission check

    def run():
        f = {"year": year, "month": month}
        totals = selectors.list_totals(fresh(user, roles), f)
        page = selectors.ListRows(user, f, totals["count"])[0:50]
        return totals, [
            (p.pk, p.plan, p.ytd, p.warning, p.zone, p.park_name, p.unit_name,
             p.enterprise_name, p.leader_name)
            for p in page
        ]  # fmt: skip

    return run


def cockpit_zonedesk(user, year, month, roles):
    from zonedesk.orgs.selectors import roles_of
    from zonedesk.projects import selectors

    roles_of(user)  # loaded as by the request's first permission check

    def run():
        return selectors.cockpit(fresh(user, roles), year, month, group_by_zone=True)

    return run


def scoped(user, roles):
    """`scope` for each run with `roles`, as the request's roles are loaded by ZoneDesk; else
    computed once, as ZoneDesk reuses the roles already loaded."""
    from django.db import connection

    if roles:
        return lambda cur: scope(cur, user)
    with connection.cursor() as cur:
        once = scope(cur, user)
    return lambda cur: once


def scope(cur, user):
    """The user's scope as a condition on `p` (a project) with its named arguments: the org is
    under a path prefix of a staff role (unit and enterprise roles see less, not benched here).
    `org_id IN (orgs by path)` lets the database read the small org table once and then reach
    the projects by their org index (SQLite cannot use an index for the LIKE itself)."""
    cur.execute(
        "SELECT o.path FROM orgs_role r JOIN orgs_org o ON o.id = r.org_id "
        "WHERE r.user_id = %s AND r.role NOT IN ('enterprise', 'unit') AND o.is_active",
        [user.pk],
    )
    paths = sorted({row[0] for row in cur.fetchall()})
    paths = [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]
    where = " OR ".join(f"o.path LIKE %(path{i})s" for i in range(len(paths))) or "1 = 0"
    where = f"p.org_id IN (SELECT o.id FROM orgs_org o WHERE {where})"
    return where, {f"path{i}": p + "%" for i, p in enumerate(paths)}


def bounds(year, month):
    from zonedesk.projects.formulas import next_month

    period = datetime.date(year, month, 1)
    return {
        "year": year,
        "m": month,
        "jan": datetime.date(year, 1, 1),
        "period": period,
        "end": next_month(period),
    }


# The rule of formulas.warning (used by with_figures and year_figures) over the columns plan,
# psm (planned start month), ytd, stage, started_on and the zone's settings yg, rg, rsd: "not
# started" as of the end of the month, money compared in whole fen. Keep it in step with
# formulas.py (the bench asserts it).
NOT_STARTED = "(started_on IS NULL OR started_on >= %(end)s) AND psm IS NOT NULL"
WARNING = f"""CASE
    WHEN stage IN ('completed', 'operating', 'cancelled') THEN ''
    WHEN {NOT_STARTED} AND psm <= %(m)s - rsd THEN 'red'
    WHEN plan > 0 AND CAST(ROUND(ytd * 100) AS BIGINT) * 1200
        < (%(m)s * 100 - rg * 12) * CAST(ROUND(plan * 100) AS BIGINT) THEN 'red'
    WHEN {NOT_STARTED} AND psm < %(m)s THEN 'yellow'
    WHEN plan > 0 AND CAST(ROUND(ytd * 100) AS BIGINT) * 1200
        <= (%(m)s * 100 - yg * 12) * CAST(ROUND(plan * 100) AS BIGINT) THEN 'yellow'
    ELSE 'green' END"""
SETTINGS = """COALESCE(z.yellow_gap, 10) AS yg, COALESCE(z.red_gap, 30) AS rg,
    COALESCE(z.red_start_delay, 3) AS rsd, COALESCE(z.report_day, 5) AS report_day"""

LIST_TOTALS = """
SELECT t.n, t.total, t.plan, r.ytd, r.month_invested FROM (
    SELECT COUNT(*) AS n, SUM(p.total_investment) AS total, SUM(yp.planned_investment) AS plan
    FROM projects_project p
    LEFT JOIN projects_yearplan yp ON yp.project_id = p.id AND yp.year = %(year)s
    WHERE {where} AND p.stage <> 'cancelled'
) t, (
    SELECT SUM(invested) AS ytd,
        SUM(CASE WHEN period = %(period)s THEN invested ELSE 0 END) AS month_invested
    FROM projects_progressreport
    WHERE project_id IN (
        SELECT p.id FROM projects_project p WHERE {where} AND p.stage <> 'cancelled'
    ) AND period >= %(jan)s AND period < %(end)s
) r"""

LIST_PAGE = """
WITH page AS (
    SELECT p.* FROM projects_project p
    WHERE {where} AND p.stage <> 'cancelled' ORDER BY p.total_investment DESC, p.id LIMIT 50
), r AS (
    SELECT project_id, SUM(invested) AS ytd
    FROM projects_progressreport
    WHERE project_id IN (SELECT id FROM page) AND period >= %(jan)s AND period < %(end)s
    GROUP BY project_id
), f AS (
    SELECT page.*, yp.planned_investment AS plan, yp.planned_start_month AS psm,
        COALESCE(r.ytd, 0) AS ytd, {settings}
    FROM page
    LEFT JOIN projects_yearplan yp ON yp.project_id = page.id AND yp.year = %(year)s
    LEFT JOIN r ON r.project_id = page.id
    LEFT JOIN projects_zonesettings z ON z.org_id = page.org_id
)
SELECT f.id, f.plan, f.ytd, {warning} AS warning, o.name, pk.name, u.name, e.name,
    COALESCE(NULLIF(l.name, ''), l.username),
    f.name, f.stage, f.is_provincial, f.is_double_hundred, f.total_investment
FROM f
JOIN orgs_org o ON o.id = f.org_id
LEFT JOIN orgs_org pk ON pk.id = f.park_id
LEFT JOIN orgs_unit u ON u.id = f.unit_id
LEFT JOIN enterprises_enterprise e ON e.id = f.enterprise_id
LEFT JOIN orgs_user l ON l.id = f.leader_id
ORDER BY f.total_investment DESC, f.id"""

COCKPIT = """
SELECT w.org_id, o.name, w.stage, MAX(w.report_day), COUNT(*), SUM(w.total_investment),
    SUM(in_plan), SUM(in_plan * (1 - cont)),
    SUM(CASE WHEN in_plan = 1 AND cont = 0 AND started_on < %(end)s THEN 1 ELSE 0 END),
    SUM(in_plan * cont), SUM(in_plan * cont * resumed), SUM(plan),
    SUM(CASE WHEN in_plan = 1 THEN ytd ELSE 0 END),
    SUM(CASE WHEN warning = 'red' THEN 1 ELSE 0 END),
    SUM(CASE WHEN warning = 'yellow' THEN 1 ELSE 0 END),
    SUM(due * filed_late), SUM(due * (1 - filed))
FROM (
    SELECT f.*, {warning} AS warning FROM (
        SELECT p.id, p.org_id, p.stage, p.nature, p.started_on, p.total_investment,
            yp.planned_investment AS plan, yp.planned_start_month AS psm,
            CASE WHEN yp.id IS NULL THEN 0 ELSE 1 END AS in_plan,
            CASE WHEN p.nature = 'continuing' THEN 1 ELSE 0 END AS cont,
            CASE WHEN p.stage = 'started' AND p.started_on < %(end)s THEN 1 ELSE 0 END AS due,
            COALESCE(r.ytd, 0) AS ytd, COALESCE(r.resumed, 0) AS resumed,
            COALESCE(r.filed, 0) AS filed, COALESCE(r.filed_late, 0) AS filed_late, {settings}
        FROM projects_project p
        LEFT JOIN projects_yearplan yp ON yp.project_id = p.id AND yp.year = %(year)s
        LEFT JOIN (
            SELECT project_id, SUM(invested) AS ytd,
                MAX(CASE WHEN invested > 0 THEN 1 ELSE 0 END) AS resumed,
                MAX(CASE WHEN period = %(period)s THEN 1 ELSE 0 END) AS filed,
                MAX(CASE WHEN period = %(period)s AND is_late THEN 1 ELSE 0 END) AS filed_late
            FROM projects_progressreport
            WHERE project_id IN (SELECT p.id FROM projects_project p WHERE {where})
                AND period >= %(jan)s AND period < %(end)s
            GROUP BY project_id
        ) r ON r.project_id = p.id
        LEFT JOIN projects_zonesettings z ON z.org_id = p.org_id
        WHERE {where} AND p.stage <> 'cancelled'
    ) f
) w JOIN orgs_org o ON o.id = w.org_id
GROUP BY w.org_id, o.name, w.stage"""


def list_sql(user, year, month, roles):
    """Totals in one statement (the scope's reports summed directly, not per project), then the
    first page: its 50 projects first, their figures from one grouped pass over their reports."""
    from django.db import connection

    params, user_scope = bounds(year, month), scoped(user, roles)

    def run():
        with connection.cursor() as cur:
            where, args = user_scope(cur)
            cur.execute(LIST_TOTALS.format(where=where), {**args, **params})
            n, total, plan, ytd, month_sum = cur.fetchone()
            totals = {"count": n, "total": total, "plan": plan, "ytd": ytd, "month": month_sum}
            sql = LIST_PAGE.format(where=where, settings=SETTINGS, warning=WARNING)
            cur.execute(sql, {**args, **params})
            return totals, [row[:9] for row in cur.fetchall()]

    return run


def cockpit_sql(user, year, month, roles):
    """One statement grouped by (zone, stage) over the scope's projects, this year's plan and
    one grouped pass over this year's reports; zone and province totals summed in Python."""
    from django.db import connection
    from django.utils import timezone

    from zonedesk.projects.formulas import deadline

    params, user_scope = bounds(year, month), scoped(user, roles)

    def run():
        today = timezone.localdate()
        with connection.cursor() as cur:
            where, args = user_scope(cur)
            cur.execute(
                COCKPIT.format(where=where, settings=SETTINGS, warning=WARNING),
                {**args, **params},
            )
            rows = cur.fetchall()
        zones = {}
        for (org, name, stage, day, n, inv, planned, planned_new, started_new, continuing,
             resumed, plan, ytd, red, yellow, late, missing) in rows:  # fmt: skip
            z = zones.setdefault(org, defaultdict(int, org_id=org, name=name))
            z[f"n_{stage}"] += n
            z[f"inv_{stage}"] += inv or 0
            for key, value in (
                ("projects", n),
                ("investment", inv),
                ("planned", planned),
                ("planned_new", planned_new),
                ("started_new", started_new),
                ("continuing", continuing),
                ("resumed", resumed),
                ("plan", plan),
                ("ytd", ytd),
                ("red", red),
                ("yellow", yellow),
                ("late", late),
            ):
                z[key] += value or 0
            if today > deadline(params["period"], day):
                z["late"] += missing
        total = defaultdict(int)
        for z in zones.values():
            for key, value in z.items():
                if key not in ("org_id", "name"):
                    total[key] += value
        return {"total": total, "zones": sorted(zones.values(), key=lambda z: z["name"])}

    return run


# --- checks ---------------------------------------------------------------------------------


def money(value):
    return Decimal(value or 0).quantize(CENT)


def same_list(ours, sql):
    (t1, page1), (t2, page2) = ours, sql
    assert t1["count"] == t2["count"], (t1, t2)
    for key in ("total", "plan", "ytd", "month"):
        assert money(t1[key]) == money(t2[key]), (key, t1[key], t2[key])
    assert len(page1) == len(page2) == 50, (len(page1), len(page2))
    for a, b in zip(page1, page2, strict=True):
        a = (a[0], a[1] and money(a[1]), money(a[2]), *a[3:])
        b = (b[0], b[1] and money(b[1]), money(b[2]), *b[3:])
        assert a == b, (a, b)


COCKPIT_KEYS = (
    "planned planned_new started_new continuing resumed red yellow late projects".split()
    + [f"n_{s}" for s, _ in STAGES]
)
COCKPIT_MONEY = ["plan", "ytd", "investment"] + [f"inv_{s}" for s, _ in STAGES]


def same_cockpit(ours, sql):
    def figures(z):
        return {
            **{k: z.get(k, 0) for k in COCKPIT_KEYS},
            **{k: money(z.get(k)) for k in COCKPIT_MONEY},
        }

    assert figures(ours["total"]) == figures(sql["total"]), (ours["total"], sql["total"])
    assert [z["org_id"] for z in ours["zones"]] == [z["org_id"] for z in sql["zones"]]
    for a, b in zip(ours["zones"], sql["zones"], strict=True):
        assert figures(a) == figures(b), (a["name"], figures(a), figures(b))


# --- timing ---------------------------------------------------------------------------------


def medians_ms(*fns, repeat=REPEAT):
    """The median time of each function; runs interleave so that a burst of load elsewhere on
    the machine hits ZoneDesk and the baseline alike."""
    for fn in fns:
        fn()  # warm caches and connections
    runs = [[] for _ in fns]
    for _ in range(repeat):
        for fn, times in zip(fns, runs, strict=True):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    return [statistics.median(times) for times in runs]


def queries(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def measure(zone_user, viewer, year, month):
    """Each measure twice: for a request whose user's roles are loaded (the figures' own
    cost, what every read of the request shares left out) and with the roles loaded again,
    on both sides (ZoneDesk's ORM query of the roles, the baseline's one raw statement)."""
    cases = []
    for what, ours, sql, same in (
        ("project list", list_zonedesk, list_sql, same_list),
        ("cockpit", cockpit_zonedesk, cockpit_sql, same_cockpit),
    ):
        for where, user in (("one zone", zone_user), ("province", viewer)):
            label = f"{what}, {where}"
            fns = [(ours(user, year, month, r), sql(user, year, month, r)) for r in (False, True)]
            cases.append((label, fns, same))
    rows = []
    for label, fns, same in cases:
        row = [label]
        for ours, sql in fns:
            (a, n_ours), (b, n_sql) = queries(ours), queries(sql)
            same(a, b)  # the baseline computes ZoneDesk's figures, or the ratio means nothing
            t_ours, t_sql = medians_ms(ours, sql)
            row += [t_ours, t_sql, t_ours / t_sql, n_ours, n_sql]
        rows.append(row)
    # 300 projects or 30,000, ZoneDesk runs the same statements: nothing per row or per zone.
    for zone, province in zip(rows[::2], rows[1::2], strict=True):
        assert zone[4::5] == province[4::5], f"{zone[0]}, {province[0]}: queries differ"
    return rows


def engine(connection):
    if connection.vendor != "postgresql":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('server_version'), current_setting('jit')")
        version, jit = cur.fetchone()
    return f"PostgreSQL {version} (jit {jit})"


def main(year=None, month=None):
    from django.db import connection

    from zonedesk.orgs.models import User
    from zonedesk.projects.selectors import default_period

    if year is None:
        year, month = default_period()
    start = time.perf_counter()
    n_projects, n_plans, n_reports, created, loaded, analysed = build(year, month)
    print(
        f"\nBuilt {n_projects:,} projects, {n_plans:,} year plans and {n_reports:,} monthly "
        f"reports in {time.perf_counter() - start:.1f} s (projects and plans {created:.1f} s, "
        f"reports {loaded:.1f} s, analyse {analysed:.1f} s)"
    )
    zone_user = User.objects.get(username="zoneuser")
    viewer = User.objects.get(username="viewer")
    rows = measure(zone_user, viewer, year, month)
    print(
        f"\nZoneDesk project bench on {engine(connection)}: {n_projects:,} projects, "
        f"{n_reports:,} reports, period {year}-{month:02d}, median of {REPEAT} runs; "
        f"figures checked equal to the SQL's; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs\n"
    )
    print(
        "| measure | ZoneDesk ms | SQL ms | ratio | queries | with the roles query: "
        "ZoneDesk ms | SQL ms | ratio | queries |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, *r in rows:
        print(
            f"| {label} | {r[0]:.1f} | {r[1]:.1f} | {r[2]:.2f}× | {r[3]} / {r[4]} "
            f"| {r[5]:.1f} | {r[6]:.1f} | {r[7]:.2f}× | {r[8]} / {r[9]} |"
        )
    return rows
