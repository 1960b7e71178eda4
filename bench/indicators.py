"""The indicator ranking (经济指标通报) at province scale against hand-written SQL, in one run.

On the tree of `python -m bench` (one province, 10 cities, 100 zones) it enters 20 indicators
for every zone and 36 months (the 13 entered ones of the seeded catalogue and 7 more of the
same kinds: 100 × 20 × 36 = 72,000 IndicatorValue rows, 1—2月 counted as one period, so 33
periods over three years), with targets for this year, then times what the ranking page
computes — `selectors.rows_for(parent, year, month)` — for a city (10 zones ranked) and for
the province (10 cities ranked, each rolled up from its zones).

The derived indicators are switched off for this run: they read projects and leads, whose
reads the project bench measures; here the figures are the catalogue's own.

The baseline is one hand-written statement per parent: the children's own values, and for
sum indicators the sum of their subtree's, this year and last, and the targets; the same
figure functions (indicators/figures.py) then give 同比, 完成率, gap and rank, so the ratio
compares the reads. The bench checks that both give equal figures before timing, and that
ZoneDesk's query count is the same for a tenth of the data as for all of it.
"""

import datetime
import importlib
import random
from decimal import Decimal

from bench.projects import REPEAT, medians_ms, queries

EXTRA = [  # (code, name, unit, price basis, roll-up)
    ("POWER", "全社会用电量", "万千瓦时", "current", "sum"),
    ("IND_POWER", "工业用电量", "万千瓦时", "current", "sum"),
    ("LOANS", "金融机构贷款余额", "万元", "current", "sum"),
    ("DEPOSITS", "金融机构存款余额", "万元", "current", "sum"),
    ("SERVICE", "规上服务业营业收入", "万元", "current", "sum"),
    ("TOURISM", "旅游收入", "万元", "current", "sum"),
    ("CONST", "建筑业总产值", "万元", "comparable", "none"),
]
MONTHS = 36


def build(year, month, share=1.0):
    """Indicators, values and targets for a `share` of the zones; returns the row count."""
    from django.apps import apps

    from zonedesk.indicators.models import Indicator, IndicatorTarget, IndicatorValue
    from zonedesk.orgs.models import Org

    rng = random.Random(18)
    # The bench flushed the database: the catalogue its migration seeded goes in again.
    catalogue = importlib.import_module("zonedesk.indicators.migrations.0002_catalogue")
    catalogue.seed(apps, None)
    Indicator.objects.filter(source="derived").update(is_active=False)
    for i, (code, name, unit, basis, rollup) in enumerate(EXTRA):
        Indicator.objects.get_or_create(
            code=code,
            defaults=dict(name=name, unit=unit, frequency="monthly", price_basis=basis,
                          rollup=rollup, source="entered", yellow_gap=10, red_gap=30,
                          order=500 + i),
        )  # fmt: skip
    indicators = list(Indicator.objects.filter(is_active=True))
    zones = list(Org.objects.filter(kind="zone").order_by("pk"))
    zones = zones[: max(1, int(len(zones) * share))]
    IndicatorValue.objects.all().delete()
    IndicatorTarget.objects.all().delete()
    periods = []
    index = year * 12 + month - 1
    for n in range(MONTHS):
        y, m = divmod(index - n, 12)
        if m + 1 != 1:  # no January-only value
            periods.append((y, m + 1))
    rows, targets = [], []
    for zone in zones:
        for ind in indicators:
            base = Decimal(rng.randrange(10_000, 5_000_000))
            for y, m in periods:
                if m not in ind.months() or rng.random() < 0.03:  # a few missing
                    continue
                value = (base * m / 12 * Decimal(1 + (y - year) * 0.07)).quantize(Decimal("0.01"))
                growth = Decimal(rng.randrange(-50, 150)) / 10
                rows.append(IndicatorValue(org=zone, indicator=ind, year=y, month=m,
                                           value=value, growth=growth))  # fmt: skip
            targets.append(IndicatorTarget(org=zone, indicator=ind, year=year, value=base * 2))
    IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    IndicatorTarget.objects.bulk_create(targets, batch_size=5000)
    return len(rows)


def ranking_zonedesk(parent, year, month):
    from zonedesk.indicators import selectors

    def run():
        board = selectors.rows_for(parent, year, month)
        return _figures(board["rows"], board["indicators"])

    return run


def _figures(rows, indicators):
    return {
        (org_id, ind.pk): tuple(
            cells[ind.pk][k] for k in ("value", "last", "growth", "completion", "gap", "rank")
        )
        for org_id, cells in rows.items()
        for ind in indicators
    }


# Per child of the parent (and the parent itself) and indicator: its own value and growth,
# its subtree's sum, this year and last, and its target.
RANKING = """
SELECT c.id, v.indicator_id,
    MAX(CASE WHEN v.year = %(y)s AND v.org_id = c.id THEN v.value END),
    MAX(CASE WHEN v.year = %(y)s AND v.org_id = c.id THEN v.growth END),
    SUM(CASE WHEN v.year = %(y)s THEN v.value END),
    MAX(CASE WHEN v.year = %(last)s AND v.org_id = c.id THEN v.value END),
    SUM(CASE WHEN v.year = %(last)s THEN v.value END),
    (SELECT t.value FROM indicators_indicatortarget t
     WHERE t.org_id = c.id AND t.indicator_id = v.indicator_id AND t.year = %(y)s)
FROM orgs_org c
JOIN orgs_org o ON o.path LIKE c.path || '%%'
JOIN indicators_indicatorvalue v ON v.org_id = o.id
WHERE (c.parent_id = %(parent)s OR c.id = %(parent)s) AND c.is_active
    AND v.month = %(m)s AND v.year IN (%(y)s, %(last)s)
GROUP BY c.id, v.indicator_id"""


def ranking_sql(parent, year, month):
    from django.db import connection

    from zonedesk.indicators import figures
    from zonedesk.indicators.models import Indicator

    def run():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id, unit, price_basis, rollup, higher_is_better, yellow_gap, red_gap, "
                'frequency FROM indicators_indicator WHERE is_active ORDER BY "order", code'
            )
            indicators = [
                Indicator(pk=r[0], unit=r[1], price_basis=r[2], rollup=r[3],
                          higher_is_better=r[4], yellow_gap=r[5], red_gap=r[6], frequency=r[7])
                for r in cur.fetchall()
            ]  # fmt: skip
            indicators = [i for i in indicators if month in i.months()]
            cur.execute("SELECT id FROM orgs_org WHERE parent_id = %s AND is_active", [parent.pk])
            kids = [r[0] for r in cur.fetchall()]
            cur.execute(RANKING, {"y": year, "last": year - 1, "m": month, "parent": parent.pk})
            got = {(r[0], r[1]): r[2:] for r in cur.fetchall()}
        progress = figures.time_progress(month)
        rows = {}
        for ind in indicators:
            for org_id in [parent.pk, *kids]:
                own, reported, total, own_last, total_last, target = got.get(
                    (org_id, ind.pk), (None,) * 6
                )
                summed = ind.rollup == "sum"
                value = own if own is not None else (total if summed else None)
                last = own_last if own_last is not None else (total_last if summed else None)
                value, last = _money(value), _money(last)
                reported = _money(reported, "0.1") if own is not None else None
                growth = figures.growth(ind, value, last, reported)
                done = figures.completion(value, _money(target))
                rows.setdefault(org_id, {})[ind.pk] = {
                    "value": value, "last": last, "growth": growth, "completion": done,
                    "gap": figures.gap(done, progress), "rank": None,
                }  # fmt: skip
            ranked = figures.ranks(
                {k: rows[k][ind.pk]["growth"] for k in kids}, ind.higher_is_better
            )
            for k in kids:
                rows[k][ind.pk]["rank"] = ranked[k]
        return _figures(rows, indicators)

    return run


def _money(value, places="0.01"):
    """SQLite hands decimals back as floats; the figure is to the fen (a rate to 0.1)."""
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def main(year=None, month=None):
    from django.db import connection

    from zonedesk.orgs.models import Org

    today = datetime.date.today()
    year, month = year or today.year, month or 6
    province = Org.objects.get(kind="province")
    city = Org.objects.filter(kind="city").order_by("pk").first()
    counts = {}
    for share in (0.1, 1.0):
        n = build(year, month, share)
        for parent in (city, province):
            _result, counts[(share, parent.pk)] = queries(ranking_zonedesk(parent, year, month))
    for parent in (city, province):
        assert counts[(0.1, parent.pk)] == counts[(1.0, parent.pk)], counts
    rows = []
    for label, parent in (("ranking, a city's 10 zones", city), ("ranking, 10 cities", province)):
        ours, sql = ranking_zonedesk(parent, year, month), ranking_sql(parent, year, month)
        a, b = ours(), sql()
        diff = [(k, a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)]
        assert not diff, f"{label}: ZoneDesk and SQL figures differ, e.g. {diff[:3]}"
        ours_ms, sql_ms = medians_ms(ours, sql, repeat=REPEAT)
        rows.append((label, ours_ms, sql_ms, ours_ms / sql_ms, counts[(1.0, parent.pk)]))
    print(
        f"\nZoneDesk indicator bench on {connection.vendor}: {n:,} values, period "
        f"{year}年1—{month}月, median of {REPEAT} runs; figures checked equal to the SQL's\n"
    )
    print("| measure | ZoneDesk ms | SQL ms | ratio | queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, ours_ms, sql_ms, ratio, n_queries in rows:
        print(f"| {label} | {ours_ms:.1f} | {sql_ms:.1f} | {ratio:.2f}× | {n_queries} |")
    return rows
