"""The one import engine: a workbook is read, each row parsed, matched and checked against the
domain's rules, a preview shown, and on confirmation everything is written in bulk in one
transaction, with an audit event per record and one for the import.

A domain plugs in with a `Kind`: its columns (accepted headers and a parser each), how the
zone's existing records are loaded once (`prepare`), how a row finds its record, and how a row
becomes the model instances to write (`build`, which applies the same rules as the domain's
services and raises the same errors). No domain writes import code of its own.
"""

import io
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.audit.models import AuditEvent

from .models import ImportJob
from .reader import ImportRefused, parse_date, parse_text, read_table

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

    @property
    def created(self):
        return self.before is None


@dataclass
class Kind:
    name: str
    label: str
    columns: list[Column]
    # (actor, org, [row values]) -> context: everything find/current/check/build need, loaded
    # in a few queries for the whole file so that no row costs a query.
    prepare: Callable
    find: Callable  # (ctx, values) -> (record or None, what matched it, identity in the file)
    current: Callable  # (ctx, record) -> values as the sheet would hold them
    # (ctx, record or None, values) -> [Write]; raises ValueError, ValidationError or
    # PermissionDenied with the domain's message. Runs in the preview too.
    build: Callable
    template_rows: list[list] = field(default_factory=list)


@dataclass
class PlannedRow:
    number: int
    values: dict
    record: object
    matched_by: str
    action: str  # create / update / unchanged
    writes: list = field(default_factory=list)


@dataclass
class Plan:
    rows: list[PlannedRow]
    errors: list[str]
    sheet: str = ""

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


def _row_error(number, error):
    return _("第%(n)d行：%(e)s") % {"n": number, "e": "；".join(_messages(error))}


def plan(actor, org, kind, data, *, progress=None):
    """Read and check a workbook without writing anything.

    `progress(done, total)` is called every few hundred rows, for a background job's bar.
    """
    try:
        table = read_table(data, headers={c.key: c.headers for c in kind.columns})
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
    total, sheet = len(table.rows), table.sheet
    parsed = []
    for row in table.rows:
        values, problems = {}, []
        for key in table.columns:
            column = columns[key]
            try:
                values[key] = column.parse(row.values.get(key), table.units.get(key))
            except ValueError as e:
                problems.append(
                    _("第%(n)d行「%(h)s」：%(e)s")
                    % {"n": row.number, "h": column.headers[0], "e": e}
                )
                continue
            if column.required and values[key] in (None, ""):
                problems.append(
                    _("第%(n)d行「%(h)s」：不能为空") % {"n": row.number, "h": column.headers[0]}
                )
        parsed.append((row.number, values, problems))
    table = None  # the raw rows are no longer needed: let them go before the records load
    ctx = kind.prepare(actor, org, [values for _n, values, problems in parsed if not problems])
    rows, seen = [], {}
    for done, (number, values, problems) in enumerate(parsed, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
        if problems:
            errors.extend(problems)
            continue
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
            now = kind.current(ctx, record)
            same = all(now[k] == v for k, v in values.items() if k in now)
            action = "unchanged" if same else "update"
        writes = []
        if action != "unchanged":
            try:
                writes = kind.build(ctx, record, values)
            except ValueError as e:
                errors.append(_("第%(n)d行：%(e)s") % {"n": number, "e": e})
                continue
            except (ValidationError, PermissionDenied) as e:
                errors.append(_row_error(number, e))
                continue
            if not writes:
                action = "unchanged"  # the sheet differs only where nothing is stored
        rows.append(PlannedRow(number, values, record, matched_by, action, writes))
    if progress:
        progress(total, total)
    return Plan(rows, errors, sheet)


class _Rollback(Exception):
    pass


def preview(actor, org, kind, data, *, filename, job=None, progress=None):
    """Read the workbook and keep it with its preview until the user confirms."""
    if job is None:
        job = ImportJob(org=org, kind=kind.name, filename=filename[:200], created_by=actor)
        job.data = data
    result = plan(actor, org, kind, data, progress=progress)
    job.counts, job.errors, job.matched = result.counts, result.errors, result.matched_by
    job.sheet = result.sheet[:100]
    job.status = ImportJob.Status.PREVIEWED
    job.save()
    return job


def run(actor, job, *, valid_only=False, progress=None):
    """Import a previewed workbook: all or nothing, unless the user chose to import only the
    valid rows. The job records what was written and what was refused."""
    kind = KINDS[job.kind]
    result = plan(actor, job.org, kind, bytes(job.data), progress=progress)
    errors = list(result.errors)
    written = {"create": 0, "update": 0, "unchanged": 0}
    try:
        if errors and not valid_only:
            raise _Rollback
        with transaction.atomic():
            for row in result.rows:
                written[row.action] += 1
            conflicts = _check_versions(result.rows)
            if conflicts:
                errors.extend(conflicts)
                raise _Rollback
            _write(actor, result.rows)
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
            result.counts | {"errors": len(errors)},
            errors,
        )
        job.confirmed_by = actor
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "counts", "errors", "confirmed_by", "finished_at"])
    return job


def _check_versions(rows):
    """Records changed by someone else since they were read are refused, as a page would
    refuse a stale save; the rows are locked until the import commits."""
    loaded = {}
    for row in rows:
        for write in row.writes:
            if not write.created:
                loaded.setdefault(type(write.obj), {})[write.obj.pk] = (row.number, write)
    errors = []
    for model, items in loaded.items():
        pks = list(items)
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            stored = dict(
                model.objects.select_for_update().filter(pk__in=chunk).values_list("pk", "version")
            )
            for pk in chunk:
                number, write = items[pk]
                if stored.get(pk) != write.obj.version:
                    errors.append(
                        _("第%(n)d行：“%(r)s”已被他人修改，请重新上传以核对")
                        % {"n": number, "r": write.obj}
                    )
    return errors


def _write(actor, rows):
    """Insert and update in bulk, model by model in the order the kind produced them (so a
    project is in the database before its year plan), then every audit event in bulk."""
    creates, updates = {}, {}
    for row in rows:
        for write in row.writes:
            target = creates if write.created else updates
            target.setdefault(type(write.obj), []).append(write)
    done = 0
    # A model is inserted after those it points to: projects before their year plans.
    order = sorted(creates, key=lambda m: sum(_points_to(m, other) for other in creates))
    for model, writes in ((m, creates[m]) for m in order):
        for start in range(0, len(writes), BATCH):
            chunk = writes[start : start + BATCH]
            model.objects.bulk_create([w.obj for w in chunk])
            done += len(chunk)
            _after_batch(done)
    for model, writes in updates.items():
        names = sorted({f for w in writes for f in w.fields})
        for w in writes:
            w.obj.version += 1
        for start in range(0, len(writes), BATCH):
            chunk = writes[start : start + BATCH]
            model.objects.bulk_update([w.obj for w in chunk], [*names, "version"])
            done += len(chunk)
            _after_batch(done)
    events = [_event(actor, w) for ws in (*creates.values(), *updates.values()) for w in ws]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)


def _points_to(model, other):
    return any(f.many_to_one and f.related_model is other for f in model._meta.get_fields())


def _event(actor, write):
    obj = write.obj
    after = audit.snapshot(obj, write.fields)
    if write.created:
        changes = {f: [None, v] for f, v in after.items()}
    else:
        changes = {f: [write.before[f], after[f]] for f in write.fields}
    return AuditEvent(
        actor=actor if actor and actor.pk else None,
        actor_name=str(actor) if actor else _("系统"),
        action=write.action,
        target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        target_id=str(obj.pk),
        target_repr=str(obj)[:200],
        org=write.org,
        changes=changes,
    )


# Test hook: a process with this variable set kills itself, unannounced, once that many rows
# have been written inside the import's transaction, as a power cut or an OOM kill would.
KILL_AFTER = "ZONEDESK_IMPORT_KILL_AFTER"


def _after_batch(done):
    limit = os.environ.get(KILL_AFTER)
    if limit and done >= int(limit):
        os.kill(os.getpid(), signal.SIGKILL)


def failure_message(error):
    return _("处理失败，未写入任何数据：%(e)s") % {"e": error}


def background(data):
    """Files this large are read and imported by the worker, with a progress bar."""
    return len(data) > getattr(settings, "IMPORTS_BACKGROUND_BYTES", 256 * 1024)


def queue_preview(actor, org, kind, data, *, filename):
    """Keep the workbook and let the worker preview it (see tasks.process)."""
    from . import tasks

    job = ImportJob(org=org, kind=kind.name, filename=filename[:200], created_by=actor)
    job.data, job.status = data, ImportJob.Status.QUEUED
    job.save()
    transaction.on_commit(lambda: tasks.process(job.pk))
    return job


def start(actor, org, kind, data, *, filename):
    """Preview now, or in the worker when the file is large."""
    if background(data):
        return queue_preview(actor, org, kind, data, filename=filename)
    return preview(actor, org, kind, data, filename=filename)


def confirm(actor, job, *, valid_only=False):
    """Import a previewed job now, or in the worker when the file is large. The job is
    claimed first, so a second click or a second request cannot import it twice."""
    from . import tasks

    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.IMPORTING, valid_only=valid_only, confirmed_by=actor, done=0
    )
    if not claimed:
        job.refresh_from_db()
        return job
    job.status, job.valid_only, job.confirmed_by = ImportJob.Status.IMPORTING, valid_only, actor
    if background(job.data):
        transaction.on_commit(lambda: tasks.process(job.pk))
        return job
    return run(actor, job, valid_only=valid_only)


def _messages(error):
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return getattr(error, "messages", [str(error)])


def update_write(obj, data, *, action, org):
    """A Write for `data` applied to `obj`, or None if nothing changes — compared by stored
    value as audit.update compares; lengths checked as the services check them. Related
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
    audit.check_lengths(obj, changed)
    return Write(obj, action, changed, before, org)


def create_write(obj, *, action, org, fields):
    for name, value in _quantized(obj, {f: getattr(obj, f) for f in fields}).items():
        setattr(obj, name, value)
    audit.check_lengths(obj, fields)
    return Write(obj, action, list(fields), None, org)


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


def text(value, _unit=None):
    return parse_text(value)


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
