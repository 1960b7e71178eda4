"""The one import engine: a workbook is read, each row parsed, matched and checked against the
domain's rules, a preview shown, and on confirmation everything is written in bulk in one
transaction, with an audit event per record and one for the import.

A domain plugs in with a `Kind`: its columns (accepted headers and a parser each), how the
zone's existing records are loaded once (`prepare`), how a row finds its record, and how a row
becomes the model instances to write (`build`, which applies the same rules as the domain's
services and raises the same errors). No domain writes import code of its own.
"""

import contextlib
import ctypes
import functools
import gc
import hashlib
import io
import itertools
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import psycopg
import xlsxwriter
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    connection,
    connections,
    models,
    transaction,
)
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zonedesk import jobs
from zonedesk.audit import services as audit
from zonedesk.audit.models import AuditEvent
from zonedesk.catalog import bounds
from zonedesk.catalog import text as catalog_text
from zonedesk.common.cache import changed

from . import aliases
from .models import ImportJob
from .reader import (
    ImportRefused,
    parse_amount,
    parse_date,
    parse_int,
    parse_text,
    read_table,
    title_period,
)

BATCH = 1000  # rows per bulk statement
PROGRESS_EVERY = 500  # rows between two progress updates of a job


@dataclass
class Column:
    key: str
    headers: list[str]
    parse: Callable[[object, str | None], object]
    required: bool = False
    unit: str = ""  # shown in the template's header, e.g. 万元
    choices: list[str] = field(default_factory=list)  # a drop-down in the template


@dataclass
class Write:
    """One record to insert or update, and what its audit event says."""

    obj: object
    action: str  # the audit action, as the domain's service names it
    fields: list[str]  # created: the fields recorded; updated: the fields that changed
    before: dict | None = None  # updated: the plain old values of `fields`
    org: object = None
    note: str | None = None  # kept with the event as its reason, as audit.update's note

    @property
    def created(self):
        return self.before is None


@dataclass
class Kind:
    name: str
    label: str
    columns: list[Column]
    # (actor, org, [row values], options) -> context: everything find/current/check/build
    # need, loaded in a few queries for the whole file so that no row costs a query.
    # `options`: the sheet's year and month (from its title, else the user's answer) and
    # whether a blank cell clears the stored value (clear_blanks).
    prepare: Callable
    find: Callable  # (ctx, values) -> (record or None, what matched it, identity in the file)
    current: Callable  # (ctx, record) -> values as the sheet would hold them
    # (ctx, record or None, values) -> [Write]; raises ValueError, ValidationError or
    # PermissionDenied with the domain's message. Runs in the preview too.
    build: Callable
    template_rows: list[list] = field(default_factory=list)


@dataclass(slots=True)
class PlannedRow:
    number: int
    cells: tuple  # the parsed values, in the order of `names`
    names: tuple
    record: object
    matched_by: str
    action: str  # create / update / unchanged

    @property
    def values(self):
        return dict(zip(self.names, self.cells, strict=True))


@dataclass
class Plan:
    rows: list[PlannedRow]
    errors: list[str]
    sheet: str = ""
    ctx: object = None
    options: dict = field(default_factory=dict)
    columns: list = field(default_factory=list)  # [{"header", "letter", "field", "label"}]

    @property
    def questions(self):
        """Unknown names with their nearest known ones, when the kind's context offers them."""
        ask = getattr(self.ctx, "questions", None)
        return ask() if ask else []

    @property
    def counts(self):
        counts = {"create": 0, "update": 0, "unchanged": 0, "errors": len(self.errors)}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def matched_by(self):
        """How many existing records each key matched: {"统一项目代码": 12, "项目名称": 3}."""
        found = {}
        for row in self.rows:
            if row.record is not None:
                found[str(row.matched_by)] = found.get(str(row.matched_by), 0) + 1
        return found


KINDS: dict[str, Kind] = {}


def register(kind):
    KINDS[kind.name] = kind
    return kind


def template(kind):
    """A blank workbook for the kind: title and notes above, the header frozen, drop-down
    lists for fixed choices, and an example row the importer recognises as a real row."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(str(kind.label)[:31])
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
    sheet.write_string(0, 0, str(kind.label), book.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(
        1,
        0,
        _(
            "说明：带 * 的列必填；金额单位见列名；日期写作 2026-03-01 或 2026年3月；"
            "示例行请删除后再填写。"
        ),
    )
    for col, column in enumerate(kind.columns):
        header = column.headers[0] + (f"（{column.unit}）" if column.unit else "")
        sheet.write_string(2, col, ("*" if column.required else "") + header, bold)
        sheet.set_column(col, col, max(12, len(header) * 2 + 2))
        if column.choices:
            sheet.data_validation(3, col, 5000, col, {"validate": "list", "source": column.choices})
    for r, row in enumerate(kind.template_rows, start=3):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.freeze_panes(3, 0)
    book.close()
    return out.getvalue()


def _row_error(kind, number, error):
    """第N行「列」：message, the column named where the rule names a field the sheet has."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        headers = {c.key: c.headers[0] for c in kind.columns}
        return "；".join(
            _located(number, headers.get(key), "；".join(messages))
            for key, messages in error.message_dict.items()
        )
    return _located(
        number, None, error if isinstance(error, ValueError) else "；".join(_messages(error))
    )


def _located(number, header, message):
    if header:
        return _("第%(n)d行「%(h)s」：%(e)s") % {"n": number, "h": header, "e": message}
    return _("第%(n)d行：%(e)s") % {"n": number, "e": message}


@contextlib.contextmanager
def _no_gc_pauses():
    """An import allocates hundreds of thousands of objects that live until it ends; the
    cyclic collector would rescan them all again and again (a third of the time). It runs
    once, at the end, instead."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()  # whatever cycles the import left, before the next phase allocates
        _give_back_memory()


def _give_back_memory():
    """Return freed heap to the system, so that calamine's next read (allocated outside
    Python's own allocator) does not stack on top of what the last phase freed."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the memory is reused all the same, only later


def plan(
    actor, org, kind, data, *, options=None, progress=None, check=True, keep=False, reuse=False
):
    with _no_gc_pauses():
        return _plan(
            actor,
            org,
            kind,
            data,
            options=options or {},
            progress=progress,
            check=check,
            keep=keep,
            reuse=reuse,
        )


# The parsed rows of the last preview in this process, kept for its confirmation so that the
# file is not read and parsed a second time. One entry only, keyed by the kind, the file's
# hash and the language of the messages: a different or changed file is read afresh. Parsing
# depends on nothing but the cells, so the rows are those a second read would give; matching,
# the rules and the version checks still run against the database at confirmation.
_kept = {}
_kept_lock = threading.Lock()


def _parse_key(kind, data):
    return (kind.name, hashlib.sha256(data).digest(), translation.get_language())


def _keep(key, read):
    with _kept_lock:
        _kept.clear()
        _kept[key] = read


def _take(key):
    with _kept_lock:
        return _kept.pop(key, None)


def given(values, options):
    """The values a row sets on an existing record: a blank cell never erases a stored value,
    unless the user ticked 空白单元格清除原值 (options["clear_blanks"])."""
    if options.get("clear_blanks"):
        return values
    return {k: v for k, v in values.items() if v is not None and v != ""}


def _options(title, options):
    """The sheet's year and month: the user's answer, else what the title names."""
    year, month = title_period(title)
    found = {"year": year, "month": month}
    return {**{k: v for k, v in found.items() if v is not None}, **options}


def _plan(actor, org, kind, data, *, options, progress=None, check=True, keep=False, reuse=False):
    """Read and check a workbook without writing anything.

    With `check`, every row that would change something is also built, so the preview shows
    every error the domain's rules would raise; `run` builds them as it writes instead.
    `progress(done, total)` is called every few hundred rows, for a background job's bar.
    With `keep`, the parsed rows are kept for the confirmation; with `reuse`, the rows kept
    by the preview of the same file are taken instead of reading it again.
    """
    key = _parse_key(kind, data) if keep or reuse else None
    read = _take(key) if reuse else None
    if read is None:
        read = _parse(kind, data, progress)
        if isinstance(read, Plan):
            return read
        if keep:
            _keep(key, read)
    sheet, title, names, parsed = read
    read, total, errors = None, len(parsed), []
    options = _options(title, options)
    ctx = kind.prepare(actor, org, _Values(names, parsed), options)
    rows, seen = [], {}
    for done, (number, cells, problems) in enumerate(parsed, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
        if problems:
            errors.extend(problems)
            continue
        values = dict(zip(names, cells, strict=True))
        try:
            record, matched_by, identity = kind.find(ctx, values)
        except ValueError as e:
            errors.append(_("第%(n)d行：%(e)s") % {"n": number, "e": e})
            continue
        if identity in seen:
            errors.append(
                _("第%(n)d行与第%(m)d行重复（%(id)s）")
                % {"n": number, "m": seen[identity], "id": identity}
            )
            continue
        seen[identity] = number
        if record is None:
            action = "create"
        else:
            values = given(values, options)
            now = kind.current(ctx, record)
            same = all(now[k] == v for k, v in values.items() if k in now)
            action = "unchanged" if same else "update"
        if check and action != "unchanged":
            try:
                if not kind.build(ctx, record, values):
                    action = "unchanged"  # the sheet differs only where nothing is stored
            except (ValueError, ValidationError, PermissionDenied) as e:
                errors.append(_row_error(kind, number, e))
                continue
        rows.append(PlannedRow(number, cells, names, record, matched_by, action))
    if progress:
        progress(total, total)
    return Plan(rows, errors, sheet, ctx, options)


def _parse(kind, data, progress):
    """The sheet's name, the columns read and each row as (number, parsed cells, problems),
    or a Plan of the errors that refuse the whole file. Rows are kept as tuples and dropped
    as soon as they are parsed, so memory grows with the parsed values only."""
    try:
        table = read_table(data, headers={c.key: c.headers for c in kind.columns}, lazy=True)
    except ImportRefused as e:
        return Plan([], [str(e)])
    columns = {c.key: c for c in kind.columns}
    errors = [
        _("缺少必需的列「%(h)s」") % {"h": columns[key].headers[0]}
        for key in table.missing
        if columns[key].required
    ]
    if errors:
        return Plan([], errors)
    sheet, title, raw, extent = table.sheet, table.title, table.rows, table.extent
    names = tuple(table.columns)
    parsers = [
        (columns[key].parse, table.units.get(key), columns[key].required, columns[key].headers[0])
        for key in names
    ]
    table = None
    parsed = []
    for row in raw:  # rows are read from the sheet as they are parsed
        if progress and len(parsed) % PROGRESS_EVERY == 0:
            progress(0, extent)  # reading: the bar waits at the start, the total is known
        cells, problems = [], []
        for value, (parse, unit, required, header) in zip(row.cells, parsers, strict=True):
            try:
                value = parse(value, unit)
            except ValueError as e:
                problems.append(
                    _("第%(n)d行「%(h)s」：%(e)s") % {"n": row.number, "h": header, "e": e}
                )
                value = None
            else:
                if required and value in (None, ""):
                    problems.append(
                        _("第%(n)d行「%(h)s」：不能为空") % {"n": row.number, "h": header}
                    )
            cells.append(value)
        parsed.append((row.number, tuple(cells), problems or None))
    return sheet, title, names, parsed


class _Values:
    """The parsed rows without errors, as the dicts a kind's `prepare` reads."""

    def __init__(self, names, parsed):
        self.names, self.parsed = names, parsed

    def __iter__(self):
        for _number, cells, problems in self.parsed:
            if not problems:
                yield dict(zip(self.names, cells, strict=True))


class _Rollback(Exception):
    pass


def preview(actor, org, kind, data, *, filename, job=None, progress=None, options=None):
    """Read the workbook and keep it with its preview until the user confirms."""
    if job is None:
        job = ImportJob(org=org, kind=kind.name, filename=filename[:200], created_by=actor)
        job.data = data
    result = plan(
        actor, org, kind, data, options=options or job.options, progress=progress, keep=True
    )
    job.options, job.questions = result.options, result.questions
    job.counts, job.errors, job.matched = result.counts, result.errors, result.matched_by
    job.sheet = result.sheet[:100]
    job.status = ImportJob.Status.PREVIEWED
    job.save()
    return job


def run(actor, job, *, valid_only=False, progress=None, after_batch=None):
    with _no_gc_pauses():
        return _run(actor, job, valid_only=valid_only, progress=progress, after_batch=after_batch)


def _run(actor, job, *, valid_only=False, progress=None, after_batch=None):
    """Import a previewed workbook: all or nothing, unless the user chose to import only the
    valid rows. The rows are built and written a thousand at a time inside one transaction,
    so memory stays flat however long the sheet; the job records what was written and what
    was refused. `after_batch(rows written)` is called inside the transaction after each
    chunk (the tests' kill hook, see hooks.py)."""
    kind = KINDS[job.kind]
    result = plan(
        actor,
        job.org,
        kind,
        bytes(job.data),
        options=job.options,
        progress=progress,
        check=False,
        reuse=True,
    )
    # A refusal reports the counts the preview showed the user (the confirm does not build
    # the rows it refuses before writing, so its own counts would say less).
    errors, planned = list(result.errors), job.counts or result.counts
    written = {"create": 0, "update": 0, "unchanged": 0}
    try:
        if errors and not valid_only:
            raise _Rollback
        if errors and not any(row.action != "unchanged" for row in result.rows):
            errors.insert(0, _("没有无误的行可导入，未写入任何数据"))
            raise _Rollback
        with transaction.atomic():
            # The job's row first: on PostgreSQL it stays locked until the import commits
            # (SQLite locks the whole database), so the recovery never fails a live import;
            # an import failed as interrupted meanwhile, or retried, writes nothing.
            beat(job, statuses=[ImportJob.Status.PREVIEWED, ImportJob.Status.IMPORTING])
            aliases.save_answers(actor, job.org, job.options.get("aliases") or {})
            rows, total = result.rows, len(result.rows)
            for start in range(0, total, BATCH):
                chunk = rows[start : start + BATCH]
                rows[start : start + BATCH] = [None] * len(chunk)
                writes = _build(kind, result.ctx, chunk, written, errors, result.options)
                if errors and not valid_only:
                    raise _Rollback
                conflicts = _check_versions(writes)
                if conflicts:
                    errors.extend(conflicts)
                    raise _Rollback
                _write(actor, writes)
                if progress:
                    progress(min(start + BATCH, total), total)
                if after_batch:
                    after_batch(start + len(chunk))
            job.status, job.counts, job.errors = (
                ImportJob.Status.DONE,
                written | {"errors": len(errors)},
                errors,
            )
            job.confirmed_by = actor
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "counts", "errors", "confirmed_by", "finished_at"])
            audit.record(
                actor,
                "import.apply",
                job,
                org=job.org,
                changes={
                    "file": [None, job.filename],
                    "kind": [None, job.kind],
                    **{k: [None, written[k]] for k in written},
                    "errors": [None, len(errors)],
                },
            )
    except (_Rollback, DatabaseError) as e:
        if isinstance(e, DatabaseError):
            errors.append(_("写入数据库失败，已全部撤销：%(e)s") % {"e": e})
        job.status, job.counts, job.errors = (
            ImportJob.Status.REFUSED,
            planned | {"errors": len(errors)},
            errors,
        )
        job.confirmed_by = actor
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "counts", "errors", "confirmed_by", "finished_at"])
    return job


def _build(kind, ctx, chunk, written, errors, options):
    """The writes of a chunk of rows; a row the domain's rules refuse adds its error."""
    writes = []
    for row in chunk:
        if row.action == "unchanged":
            written["unchanged"] += 1
            continue
        values = row.values if row.record is None else given(row.values, options)
        try:
            built = kind.build(ctx, row.record, values)
        except (ValueError, ValidationError, PermissionDenied) as e:
            errors.append(_row_error(kind, row.number, e))
            continue
        written[row.action if built else "unchanged"] += 1
        writes.extend((row.number, w) for w in built)
    return writes


def _check_versions(writes):
    """Records changed by someone else since they were read are refused, as a page would
    refuse a stale save; the rows are locked until the import commits."""
    loaded = {}
    for number, write in writes:
        if not write.created:
            loaded.setdefault(type(write.obj), {})[write.obj.pk] = (number, write)
    errors = []
    for model, items in loaded.items():
        stored = dict(
            model.objects.select_for_update()
            .filter(pk__in=list(items))
            .values_list("pk", "version")
        )
        for pk, (number, write) in items.items():
            if stored.get(pk) != write.obj.version:
                errors.append(
                    _("第%(n)d行：“%(r)s”已被他人修改，请重新上传以核对")
                    % {"n": number, "r": write.obj}
                )
    return errors


def _write(actor, writes):
    """Insert and update one chunk in bulk, model by model, a model after those it points to
    (so a project is in the database before its year plan), then its audit events."""
    creates, updates = {}, {}
    for _number, write in writes:
        target = creates if write.created else updates
        target.setdefault(type(write.obj), []).append(write)
    order = sorted(creates, key=lambda m: sum(_points_to(m, other) for other in creates))
    for model in order:
        _insert(model, [w.obj for w in creates[model]])
    for model, items in updates.items():
        names = sorted({f for w in items for f in w.fields})
        for w in items:
            w.obj.version += 1
        model.objects.bulk_update([w.obj for w in items], [*names, "version"])
    events = [AuditEvent._meta.get_field(f) for f in _EVENT_FIELDS]
    _insert_rows(AuditEvent, events, _events(actor, writes))
    changed(*creates, *updates)  # lists remembered from these tables load anew


def _points_to(model, other):
    return any(f.many_to_one and f.related_model is other for f in model._meta.get_fields())


# Fields whose stored value is the Python value itself on SQLite and PostgreSQL (a Decimal
# goes to the driver as it is: Django's preparation only copies it); any other field
# prepares its values as Django does (dates, JSON …).
_AS_IS = (
    models.CharField,
    models.DecimalField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


@functools.cache
def _insert_fields(model):
    """The fields an insert writes: all but the key, and whether Django must prepare each."""
    return [
        (f, not isinstance(f, _AS_IS)) for f in model._meta.concrete_fields if not f.primary_key
    ]


def _insert(model, objs):
    """`bulk_create` for the records of an import: each value prepared by its field only where
    the database needs it (Django prepares all 450,000 cells of a 10,000-row ledger one by
    one, a third of an import's time), the keys read back as bulk_create does."""
    fields, db = _insert_fields(model), connections[DEFAULT_DB_ALIAS]  # not the proxy: faster
    for obj in objs:
        # A year plan built with its new project takes the project's key, as bulk_create does.
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        for f, _prepared in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                f.pre_save(obj, add=True)
    rows = (
        [f.get_db_prep_save(obj.__dict__[f.attname], db) if prepared
         else obj.__dict__[f.attname] for f, prepared in fields]
        for obj in objs
    )  # fmt: skip
    pks = _insert_rows(model, [f for f, _prepared in fields], rows, returning=True)
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


def _insert_rows(model, fields, rows, returning=False):
    """INSERTs of `rows` (values in the order of `fields`); the new keys when `returning`.
    SQLite takes as many rows a statement as its parameters allow. PostgreSQL takes a
    thousand rows as one array per column (UNNEST, as Django's bulk_create does), the arrays
    sent apart from the text (server-side binding): Django's cursors quote every value into
    the text in Python, which took most of an import's time; arrays go in binary (`%b`), as
    psycopg escapes text arrays in Python."""
    ops, table = connection.ops, model._meta.db_table
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    head = f"INSERT INTO {ops.quote_name(table)} ({columns}) "
    tail = f" RETURNING {ops.quote_name(model._meta.pk.column)}" if returning else ""
    rows, keys = iter(rows), []
    if connection.vendor == "postgresql":
        # Arrays of the column's type without its size, as Django does: varchar[], numeric[].
        arrays = ", ".join(f"%b::{f.db_type(connection).split('(')[0]}[]" for f in fields)
        sql = f"{head}SELECT * FROM UNNEST({arrays}){tail}"
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            while batch := list(itertools.islice(rows, BATCH)):
                cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])
                if returning:
                    keys.extend(row[0] for row in cursor.fetchall())
        return keys
    per_row = f"({', '.join(['%s'] * len(fields))})"
    size = max(1, min(BATCH, _max_params() // len(fields)))
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, size)):
            values = ", ".join([per_row] * len(batch))
            cursor.execute(head + "VALUES " + values + tail, [v for row in batch for v in row])
            if returning:
                keys.extend(row[0] for row in cursor.fetchall())
    return keys


def _max_params():
    """Parameters a SQLite statement may carry: its own limit (Django assumes the 999 of
    versions before 3.32)."""
    return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


_EVENT_FIELDS = [
    "actor",
    "actor_name",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "org",
    "changes",
    "created_at",
]


def _events(actor, writes):
    """The audit events of a chunk as rows of _EVENT_FIELDS, as audit.create and
    audit.update would write them, with the actor, content types and time looked up once."""
    actor_id = actor.pk if actor and actor.pk else None
    actor_name = str(actor) if actor else _("系统")
    changes_field, db = AuditEvent._meta.get_field("changes"), connections[DEFAULT_DB_ALIAS]
    now = AuditEvent._meta.get_field("created_at").get_db_prep_save(timezone.now(), db)
    types = {}
    for _number, write in writes:
        obj = write.obj
        model = type(obj)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        after = _plain(obj, write.fields)
        before = write.before or dict.fromkeys(write.fields)
        changes = {f: [before[f], after[f]] for f in write.fields}
        if write.note:
            changes["reason"] = [None, write.note]
        yield (
            actor_id,
            str(actor_name)[:150],
            write.action,
            types[model],
            str(obj.pk),
            str(obj)[:200],
            write.org.pk if write.org else None,
            changes_field.get_db_prep_save(changes, db),
            now,
        )


def failure_message(error):
    return _("处理失败，未写入任何数据：%(e)s") % {"e": error}


class Superseded(Exception):
    """The job is no longer this worker's: failed as interrupted, or retried elsewhere."""


def beat(job, *, statuses=None, **fields):
    """The heartbeat: this worker still works on the job (saving `fields` too, e.g. the
    progress). Superseded if the job's heartbeat is no longer the one this worker last
    wrote, or (with `statuses`) the job has left them."""
    now = timezone.now()
    mine = ImportJob.objects.filter(pk=job.pk, heartbeat=job.heartbeat)
    if statuses:
        mine = mine.filter(status__in=statuses)
    if not mine.update(heartbeat=now, **fields):
        raise Superseded
    job.heartbeat = now


def attempt(job, work):
    """Run a job's work: a crash leaves the job failed with the error; a job taken from
    this worker is left as whoever took it made it."""
    try:
        return work()
    except Superseded:
        job.refresh_from_db(fields=["status", "errors", "counts", "heartbeat"])
        return job
    except Exception as e:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, errors=[failure_message(e)]
        )
        raise


RUNNING = (ImportJob.Status.READING, ImportJob.Status.IMPORTING)


def recover(now=None):
    """Fail the jobs whose worker died (running, with a heartbeat older than
    JOBS_STALE_AFTER), each with its audit event, to be retried from their page; an
    import killed mid-way has written nothing. Returns how many."""
    stale = ImportJob.objects.filter(
        status__in=RUNNING, heartbeat__lt=jobs.stale_before(now)
    ).defer("data")
    failed = 0
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            # Read again under a lock: a job still importing holds its row (PostgreSQL: such
            # a row is skipped) or the database (SQLite: this waits) until it commits, and is
            # then no longer running.
            job = stale.select_for_update(skip_locked=True).filter(pk=pk).first()
            if job is None:
                continue
            before, job.status = job.status, ImportJob.Status.FAILED
            job.errors, job.finished_at = [str(jobs.INTERRUPTED)], timezone.now()
            job.save(update_fields=["status", "errors", "finished_at"])
            audit.record(
                None,
                "import.interrupted",
                job,
                org=job.org,
                changes={"status": [before, job.status]},
            )
            failed += 1
    return failed


def _messages(error):
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return getattr(error, "messages", [str(error)])


def update_write(obj, data, *, action, org):
    """A Write for `data` applied to `obj`, or None if nothing changes — compared by stored
    value as audit.update compares; checked as the services check them (audit.check_fields). Related
    records are read only for the fields that change, for their names in the audit event."""
    changed = []
    data = _quantized(obj, data)
    for name, value in data.items():
        model_field = obj._meta.get_field(name)
        new = value.pk if model_field.is_relation and value is not None else value
        if getattr(obj, model_field.attname) != new:
            changed.append(name)
    if not changed:
        return None
    before = audit.snapshot(obj, changed)
    for name in changed:
        setattr(obj, name, data[name])
    _check_fields(obj, changed)
    return Write(obj, action, changed, before, org)


def upsert(obj, data, *, create, update, org, fields):
    """The writes that store `data` on `obj`: a new record with its fields, or the changes."""
    if obj.pk is None:
        for name, value in data.items():
            setattr(obj, name, value)
        return [create_write(obj, action=create, org=org, fields=fields)]
    write = update_write(obj, data, action=update, org=org)
    return [write] if write else []


def new(model, data):
    """`model(**data)` built from its values in column order: Django's keyword constructor
    costs 40 µs a record, a tenth of a 10,000-row import. Fields missing from `data` take
    their defaults; related records given by object are cached on the new one, as the
    keyword constructor does."""
    values, related = [], []
    for f in model._meta.concrete_fields:
        if f.name in data:
            value = data[f.name]
            if f.is_relation:
                related.append((f, value))
                value = None if value is None else value.pk
        else:
            value = f.get_default()
        values.append(value)
    obj = model(*values)
    for f, value in related:
        f.set_cached_value(obj, value)
    return obj


def create_write(obj, *, action, org, fields):
    amounts = {f: v for f in fields if isinstance(v := obj.__dict__.get(f), Decimal)}
    obj.__dict__.update(_quantized(obj, amounts))
    _check_fields(obj, fields)
    return Write(obj, action, list(fields), None, org)


@functools.cache
def _attnames(model):
    """Field name → attname for foreign keys, None for plain fields."""
    return {f.name: f.attname if f.is_relation else None for f in model._meta.concrete_fields}


_PLAIN = (str, int, bool, type(None))


def _plain(obj, fields):
    """audit.snapshot without asking an empty foreign key for its object."""
    attnames, values = _attnames(type(obj)), obj.__dict__
    out = {}
    for name in fields:
        attname = attnames[name]
        if attname is not None:
            value = getattr(obj, name) if values.get(attname) is not None else None
        else:
            value = values[name]
        out[name] = value if isinstance(value, _PLAIN) else audit.plain(value)
    return out


@functools.cache
def _checked_fields(model):
    """The fields audit.check_fields has something to check on: text and bounded figures."""
    return {
        f.name
        for f in model._meta.concrete_fields
        if not f.is_relation
        and (isinstance(f, models.CharField | models.TextField) or bounds.of(f))
    }


def _check_fields(obj, fields):
    """audit.check_fields, asked only about the fields among `fields` it checks."""
    checked = _checked_fields(type(obj))
    audit.check_fields(obj, [f for f in fields if f in checked])


def _quantized(obj, data):
    """Amounts to the places their column keeps (2 亿元 is 20000.00 万元, not 20000.0000)."""
    out = dict(data)
    for name, value in data.items():
        model_field = obj._meta.get_field(name)
        if isinstance(value, Decimal) and getattr(model_field, "decimal_places", None):
            out[name] = value.quantize(Decimal(1).scaleb(-model_field.decimal_places))
    return out


def chunked(queryset, lookup, values):
    """`queryset.filter(<lookup>__in=values)` in chunks small enough for any database."""
    values = list(values)
    for start in range(0, len(values), BATCH):
        yield from queryset.filter(**{f"{lookup}__in": values[start : start + BATCH]})


# ---------------------------------------------------------------------------------------
# Cell parsers shared by the kinds: (cell value, the column's unit) -> value, or ValueError.


# What our exports put before a text that would start a formula (common.xlsx): read back,
# the name is the one it was.
_NEUTRALISED = ("'=", "'+", "'-", "'@")


def text(value, _unit=None):
    shown = parse_text(value)
    if shown.startswith(_NEUTRALISED):
        shown = shown[1:]
    try:
        return catalog_text.clean(shown)
    except ValidationError as e:
        raise ValueError(e.messages[0]) from None


def bounded(parse, bound):
    """A cell parser whose figures must lie within `bound` (catalog.bounds). More decimal
    places than the column keeps pass: they are rounded when written (see `_quantized`)."""

    def cell(value, unit=None):
        number = parse(value, unit)
        if number is not None:
            # Shown in the message as written, 5 rather than 5.0000.
            plain = format(number.normalize(), "f") if isinstance(number, Decimal) else number
            try:
                bound.clean(plain, rounded=True)
            except ValidationError as e:
                raise ValueError(e.messages[0]) from None
        return number

    return cell


amount = bounded(parse_amount, bounds.MONEY)
count = bounded(lambda value, _unit=None: parse_int(value), bounds.COUNT)


def date(value, _unit=None):
    return parse_date(value)


def choice(choices, default=None):
    """A TextChoices column read by its Chinese label; an empty cell is `default`."""
    labels = {str(label): value for value, label in choices.choices}

    def parse(value, _unit=None):
        shown = parse_text(value)
        if not shown:
            return default
        if shown not in labels:
            raise ValueError(
                _("应为%(list)s之一，而不是“%(v)s”") % {"list": "、".join(labels), "v": shown}
            )
        return labels[shown]

    return parse


def labels(choices):
    return [str(label) for label in choices.labels]
