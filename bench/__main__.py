"""`make bench`: ZoneDesk's scoped reads against hand-written SQL, measured in the same run.

Builds a province-scale tree (100 zones, 30,000 enterprises) in a fresh database — SQLite in
a temporary directory, or PostgreSQL when BENCH_DATABASE_URL is set — and times the
enterprise list (first page and total) for a zone user and for a province viewer; then adds
30,000 projects with about a million monthly reports and times the project list and the
cockpit (bench/projects.py); then loads whole pages, logged in, against SQL and a bare
template (bench/pages.py); last, imports a 10,000-row ledger with ZoneDesk, with
django-import-export and with a bare calamine read + bulk_create (bench/imports.py).
`python -m bench projects` runs the project bench only, `python -m bench pages` the page bench
only (on a fresh build), `python -m bench imports` the import bench only; `BENCH_PER_ZONE`
sets the projects per zone (300) for a quick run. Not part of the full run: `python -m bench
http` serves those pages with gunicorn to concurrent clients (bench/http.py), and `python -m
bench load` (`make bench-load`) puts a real server under a burst of clients (bench/load.py).
"""

import sys

from bench import http, imports, indicators, load, pages, projects
from bench.boot import setup_django

ZONES, ENTERPRISES, REPEAT = 100, 30_000, 15


def build():
    from zonedesk.catalog.validators import make_uscc
    from zonedesk.enterprises.models import Enterprise
    from zonedesk.orgs import services
    from zonedesk.orgs.models import Role

    province = services.create_org(None, parent=None, kind="province", name="山西省", code="140000")
    zones = []
    for c in range(10):
        city = services.create_org(
            None, parent=province, kind="city", name=f"市{c}", code=f"14{c + 1:02d}00"
        )
        for z in range(ZONES // 10):
            zones.append(services.create_org(None, parent=city, kind="zone", name=f"开发区{c}-{z}"))
    Enterprise.objects.bulk_create(
        Enterprise(org=zones[i % len(zones)], name=f"企业{i:05d}", uscc=make_uscc(f"e{i}"))
        for i in range(ENTERPRISES)
    )
    zone_user = services.create_user(
        None,
        username="zoneuser",
        name="Zone",
        password="Bench@2026x",
        org=zones[0],
        role=Role.Name.LEADER,
    )
    viewer = services.create_user(
        None,
        username="viewer",
        name="Prov",
        password="Bench@2026x",
        org=province,
        role=Role.Name.VIEWER,
    )
    return zone_user, viewer


def enterprise_page_zonedesk(user):
    from zonedesk.enterprises.selectors import enterprises_for

    def run():
        user.__dict__.pop("_zd_roles", None)  # a new request loads the roles again
        qs = enterprises_for(user)
        return qs.count(), list(qs[:50])

    return run


def enterprise_page_sql(user):
    from django.db import connection

    def run():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT o.path FROM orgs_role r JOIN orgs_org o ON o.id = r.org_id "
                "WHERE r.user_id = %s AND r.role <> 'enterprise' AND o.is_active",
                [user.pk],
            )
            paths = [row[0] for row in cur.fetchall()]
            where = " OR ".join(["o.path LIKE %s"] * len(paths))
            args = [p + "%" for p in paths]
            base = (
                "FROM enterprises_enterprise e JOIN orgs_org o ON o.id = e.org_id "
                f"LEFT JOIN catalog_industrycode i ON i.id = e.industry_id WHERE ({where})"
            )
            cur.execute(f"SELECT COUNT(*) {base}", args)
            count = cur.fetchone()[0]
            cur.execute(
                f"SELECT e.id, e.name, e.uscc, e.above_scale, o.name, i.code, i.name {base} "
                "ORDER BY e.name LIMIT 50",
                args,
            )
            return count, cur.fetchall()

    return run


def main(argv=()):
    if "load" in argv:
        return load.main()  # its own fresh database and a server
    setup_django()
    from django.db import connection

    if "imports" in argv:
        imports.main()
        return 0
    zone_user, viewer = build()
    if "indicators" in argv:
        indicators.main()
        return 0
    if "projects" in argv:
        projects.main()
        return 0
    if "http" in argv:
        http.main()
        return 0
    if "pages" in argv:
        from zonedesk.projects.selectors import default_period

        year, month = default_period()
        projects.build(year, month)
        pages.main(year, month)
        return 0
    rows = []
    for label, user in (
        ("enterprise list, one zone", zone_user),
        ("enterprise list, province", viewer),
    ):
        # Interleaved, as the project bench does, so that load elsewhere hits both alike.
        ours, sql = projects.medians_ms(
            enterprise_page_zonedesk(user), enterprise_page_sql(user), repeat=REPEAT
        )
        rows.append((label, ours, sql, ours / sql))
    print(
        f"\nZoneDesk bench on {connection.vendor}: {ZONES} zones, {ENTERPRISES:,} enterprises, "
        f"median of {REPEAT} runs\n"
    )
    print(f"| {'measure':<28} | ZoneDesk ms | SQL ms | ratio |")
    print(f"| {'-' * 28} | ---: | ---: | ---: |")
    for label, ours, sql, ratio in rows:
        print(f"| {label:<28} | {ours:.2f} | {sql:.2f} | {ratio:.2f}× |")
    indicators.main()
    projects.main()
    pages.main()
    imports.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
