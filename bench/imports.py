"""The import bench: one generated 10,000-row × 20-column project ledger imported three ways in
one run, each into the same empty zone:

- ZoneDesk: `engine.run` on a previewed job (the preview's parsed rows, match, the services'
  rules, bulk writes, an audit event per record and one for the import) — the confirm step;
  then again with the file read and parsed again, as a confirm in another process does; the
  preview before it is timed too;
- django-import-export 4 with its defaults: a `ModelResource` for `Project` whose fields carry
  the sheet's Chinese headers, matched by 统一项目代码, `import_data(dataset)`;
- the floor: python-calamine's read plus `bulk_create` of the same projects, no checks.

Then 100,000 rows are previewed and imported in a subprocess whose peak memory (VmHWM; see
peak_mb) must stay under 400 MB. `python -m bench imports` runs this bench alone.
"""

import datetime
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from bench.boot import setup_django

ROWS, BIG_ROWS, MEMORY_LIMIT_MB = 10_000, 100_000, 400
HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "建设性质",
    "项目类型",
    "建设内容",
    "建设规模",
    "总投资（万元）",
    "预计年产值（万元）",
    "预计年税收（万元）",
    "带动就业",
    "计划开工时间",
    "计划竣工时间",
    "产业链",
    "责任单位",
    "建设地点",
    "用地面积（亩）",
    "联系人",
    "联系电话",
    "备注",
]
NATURES, CATEGORIES = ["新建", "续建", "扩建", "技改"], ["产业类", "基础设施类", "民生类"]
CHAINS = ["造纸", "新材料", "装备制造", "数字经济", "现代物流"]
UNITS = ["企业服务中心", "经济发展局", "规划建设局"]


def ledger(rows, seed=2026):
    """A zone's ledger as xlsxwriter writes it: header on row 1, dates as Excel dates."""
    import xlsxwriter

    rng = random.Random(seed)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("重点项目")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for c, text in enumerate(HEADER):
        sheet.write_string(0, c, text)
    start = datetime.datetime(2026, 1, 1)
    for i in range(rows):
        r = i + 1
        begins = start + datetime.timedelta(days=rng.randrange(300))
        values = [
            i + 1,
            f"2026-140725-{rng.choice(['04', '26', '13'])}-01-{i:06d}",
            f"{rng.choice(CHAINS)}项目{i:06d}",
            rng.choice(NATURES),
            rng.choice(CATEGORIES),
            "新建厂房及生产线",
            f"年产{rng.randrange(1, 50)}万吨",
            rng.randrange(500, 500_000),
            rng.randrange(1000, 900_000),
            rng.randrange(10, 50_000),
            rng.randrange(10, 2000),
        ]
        for c, value in enumerate(values):
            sheet.write(r, c, value)
        sheet.write_datetime(r, 11, begins, day)
        sheet.write_datetime(r, 12, begins + datetime.timedelta(days=rng.randrange(200, 900)), day)
        sheet.write_string(r, 13, rng.choice(CHAINS))
        sheet.write_string(r, 14, rng.choice(UNITS))
        sheet.write_string(r, 15, "造纸产业园")
        sheet.write_number(r, 16, rng.randrange(10, 500))
        sheet.write_string(r, 17, "张三")
        sheet.write_string(r, 18, "13800000000")
        sheet.write_string(r, 19, "")
    book.close()
    return out.getvalue()


def setup_zone():
    from zonedesk.orgs import services
    from zonedesk.orgs.models import Org, Role, User

    zone = Org.objects.filter(kind="zone", name="导入开发区").first()
    if zone is None:
        province = services.create_org(None, parent=None, kind="province", name="导入省")
        zone = services.create_org(None, parent=province, kind="zone", name="导入开发区")
        for name in UNITS:
            services.create_unit(None, org=zone, name=name)
        services.create_user(
            None,
            username="importer",
            name="Importer",
            password="Bench@2026x",
            org=zone,
            role=Role.Name.ADMIN,
        )
    return zone, User.objects.get(username="importer")


def clear(zone):
    from zonedesk.audit.models import AuditEvent
    from zonedesk.imports.models import ImportJob
    from zonedesk.projects.models import Project, YearPlan

    YearPlan.objects.filter(project__org=zone).delete()
    Project.objects.filter(org=zone).delete()
    AuditEvent.objects.filter(org=zone).delete()
    ImportJob.objects.filter(org=zone).delete()


def zonedesk_import(zone, user, data, reread=False):
    """Preview then confirm; with `reread`, the confirm reads the file again, as it does in
    another process than the preview's."""
    from zonedesk.imports import engine
    from zonedesk.imports.models import ImportJob

    kind = engine.KINDS["projects"]
    start = time.perf_counter()
    job = engine.preview(user, zone, kind, data, filename="台账.xlsx")
    if reread:
        engine._kept.clear()
    previewed = time.perf_counter()
    job = engine.run(user, job)
    done = time.perf_counter()
    assert job.status == ImportJob.Status.DONE, job.errors[:5]
    return previewed - start, done - previewed, job.counts["create"]


def import_export_resource(zone):
    """django-import-export's defaults, told only what it cannot guess: the Chinese column
    names, the zone every row belongs to, labels for the two choice fields, the unit by name."""
    from import_export import fields, resources, widgets

    from zonedesk.orgs.models import Unit
    from zonedesk.projects.models import Project

    class Label(widgets.Widget):
        def __init__(self, choices):
            self.values = {str(label): value for value, label in choices.choices}

        def clean(self, value, row=None, **kwargs):
            return self.values[value]

    def column(attribute, header, widget=None):
        return fields.Field(attribute=attribute, column_name=header, widget=widget)

    class ProjectResource(resources.ModelResource):
        project_code = column("project_code", "项目编号")
        name = column("name", "项目名称")
        nature = column("nature", "建设性质", Label(Project.Nature))
        category = column("category", "项目类型", Label(Project.Category))
        content = column("content", "建设内容")
        scale = column("scale", "建设规模")
        total_investment = column("total_investment", "总投资（万元）", widgets.DecimalWidget())
        annual_output = column("annual_output", "预计年产值（万元）", widgets.DecimalWidget())
        annual_tax = column("annual_tax", "预计年税收（万元）", widgets.DecimalWidget())
        jobs = column("jobs", "带动就业", widgets.IntegerWidget())
        planned_start = column("planned_start", "计划开工时间", widgets.DateWidget())
        planned_completion = column("planned_completion", "计划竣工时间", widgets.DateWidget())
        chain = column("chain", "产业链")
        unit = column("unit", "责任单位", widgets.ForeignKeyWidget(Unit, "name"))

        class Meta:
            model = Project
            import_id_fields = ["project_code"]
            fields = [
                "project_code",
                "name",
                "nature",
                "category",
                "content",
                "scale",
                "total_investment",
                "annual_output",
                "annual_tax",
                "jobs",
                "planned_start",
                "planned_completion",
                "chain",
                "unit",
            ]

        def init_instance(self, row=None):
            return Project(org=zone)

    return ProjectResource()


def import_export_import(zone, data):
    import tablib

    resource = import_export_resource(zone)
    start = time.perf_counter()
    dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    result = resource.import_data(dataset, raise_errors=True)
    elapsed = time.perf_counter() - start
    assert not result.has_errors() and not result.has_validation_errors()
    return elapsed, result.totals["new"]


def bare_import(zone, data):
    """The floor: read the sheet, make the objects, insert them — no parsing beyond types, no
    checks, no audit."""
    import python_calamine

    from zonedesk.orgs.models import Unit
    from zonedesk.projects.models import Project

    nature = {str(label): value for value, label in Project.Nature.choices}
    category = {str(label): value for value, label in Project.Category.choices}
    start = time.perf_counter()
    units = {u.name: u for u in Unit.objects.filter(org=zone)}
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_index(0).to_python()
    projects = [
        Project(
            org=zone,
            project_code=r[1],
            name=r[2],
            nature=nature[r[3]],
            category=category[r[4]],
            content=r[5],
            scale=r[6],
            total_investment=Decimal(repr(r[7])),
            annual_output=Decimal(repr(r[8])),
            annual_tax=Decimal(repr(r[9])),
            jobs=int(r[10]),
            planned_start=r[11].date() if isinstance(r[11], datetime.datetime) else r[11],
            planned_completion=r[12].date() if isinstance(r[12], datetime.datetime) else r[12],
            chain=r[13],
            unit=units[r[14]],
        )
        for r in rows[1:]
    ]
    Project.objects.bulk_create(projects, batch_size=1000)
    return time.perf_counter() - start, len(projects)


def peak_mb():
    """This process's peak resident memory. ru_maxrss would do, but Linux carries it over
    fork and exec, so a child started by the big bench process would report the parent's
    peak; VmHWM is the high-water mark of this process's own memory."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB, not on Linux


def memory_child(path):
    """Run in a subprocess: preview and import a big ledger, print peak memory in MB."""
    setup_django(flush=False)
    zone, user = setup_zone()
    clear(zone)
    with open(path, "rb") as f:
        data = f.read()
    preview, run, created = zonedesk_import(zone, user, data)
    print(f"{created} {preview:.2f} {run:.2f} {peak_mb():.0f}")
    clear(zone)


def memory_run(rows):
    from django.db import connection

    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as f:
        f.write(ledger(rows, seed=7))
        path = f.name
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{s['NAME']}"
    else:
        url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "BENCH_DATABASE_URL": url}
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bench.imports", "--memory", path],
            env=env,
            capture_output=True,
            check=True,
            text=True,
            timeout=3600,
        ).stdout.split()
    finally:
        os.unlink(path)
    created, preview, run, peak = int(out[0]), float(out[1]), float(out[2]), float(out[3])
    assert created == rows, out
    return preview, run, peak


def main():
    from django.db import connection

    zone, user = setup_zone()
    data = ledger(ROWS)
    clear(zone)
    preview, ours, created = zonedesk_import(zone, user, data)
    assert created == ROWS
    clear(zone)
    _preview, reread, created = zonedesk_import(zone, user, data, reread=True)
    assert created == ROWS
    clear(zone)
    theirs, created = import_export_import(zone, data)
    assert created == ROWS
    clear(zone)
    bare, created = bare_import(zone, data)
    assert created == ROWS
    clear(zone)
    big_preview, big_run, peak = memory_run(BIG_ROWS)

    print(
        f"\nImport bench on {connection.vendor}: {ROWS:,} rows × {len(HEADER)} columns "
        f"({len(data) / 1024 / 1024:.1f} MB), one run\n"
    )
    print("| import | seconds | rows/s | ZoneDesk is |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| ZoneDesk confirm (engine.run) | {ours:.2f} | {ROWS / ours:,.0f} | — |")
    print(
        f"| ZoneDesk confirm in another process (file read again) | {reread:.2f} "
        f"| {ROWS / reread:,.0f} | — |"
    )
    print(f"| ZoneDesk preview (before confirming) | {preview:.2f} | {ROWS / preview:,.0f} | — |")
    print(
        f"| django-import-export 4, defaults | {theirs:.2f} | {ROWS / theirs:,.0f} "
        f"| {theirs / ours:.1f}× (file read again: {theirs / reread:.1f}×) faster |"
    )
    print(
        f"| calamine read + bulk_create (no checks) | {bare:.2f} | {ROWS / bare:,.0f} "
        f"| {ours / bare:.1f}× slower |"
    )
    print(
        f"\n{BIG_ROWS:,} rows in a subprocess: preview {big_preview:.1f} s, import "
        f"{big_run:.1f} s, peak memory {peak:.0f} MB (limit {MEMORY_LIMIT_MB} MB)"
    )
    goals = {
        "≥ 10× faster than django-import-export": theirs / ours >= 10,
        "within 3× of calamine + bulk_create": ours / bare <= 3,
        f"peak memory under {MEMORY_LIMIT_MB} MB": peak < MEMORY_LIMIT_MB,
    }
    for goal, met in goals.items():
        print(f"- {goal}: {'met' if met else 'NOT MET'}")
    assert peak < MEMORY_LIMIT_MB, f"peak memory {peak:.0f} MB"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--memory"]:
        memory_child(sys.argv[2])
