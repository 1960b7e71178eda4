"""The one import engine: a workbook is read, each row parsed and matched, a preview shown,
and on confirmation everything is written in one transaction through the domain services.

A domain plugs in with a `Kind`: its columns (accepted headers and a parser each), how a row
finds its existing record, and how a row is saved. No domain writes import code of its own.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit

from .models import ImportJob
from .reader import ImportRefused, read_table


@dataclass
class Column:
    key: str
    headers: list[str]
    parse: Callable[[object, str | None], object]
    required: bool = False
    unit: str = ""  # shown in the template's header, e.g. 万元
    choices: list[str] = field(default_factory=list)  # a drop-down in the template


@dataclass
class Kind:
    name: str
    label: str
    columns: list[Column]
    find: Callable  # (org, values) -> (record or None, what matched it)
    current: Callable  # record -> values as the sheet would hold them
    save: Callable  # (actor, org, record or None, values) -> record
    # (org, values): raises ValueError for what only the zone's data can tell (a unit's name).
    check: Callable | None = None
    template_rows: list[list] = field(default_factory=list)


@dataclass
class PlannedRow:
    number: int
    values: dict
    record: object
    matched_by: str
    action: str  # create / update / unchanged


@dataclass
class Plan:
    rows: list[PlannedRow]
    errors: list[str]

    @property
    def counts(self):
        counts = {"create": 0, "update": 0, "unchanged": 0, "errors": len(self.errors)}
        for row in self.rows:
            counts[row.action] += 1
        return counts


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


def plan(org, kind, data):
    """Read and check a workbook without writing anything."""
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
    rows, seen = [], {}
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
        if not problems:
            try:
                record, matched_by, identity = kind.find(org, values)
                if kind.check:
                    kind.check(org, values)
            except ValueError as e:
                problems.append(_("第%(n)d行：%(e)s") % {"n": row.number, "e": e})
            else:
                if identity in seen:
                    problems.append(
                        _("第%(n)d行与第%(m)d行重复（%(id)s）")
                        % {"n": row.number, "m": seen[identity], "id": identity}
                    )
                seen.setdefault(identity, row.number)
        if problems:
            errors.extend(problems)
            continue
        if record is None:
            action = "create"
        else:
            now = kind.current(record)
            action = "unchanged" if all(now.get(k) == v for k, v in values.items()) else "update"
        rows.append(PlannedRow(row.number, values, record, matched_by, action))
    return Plan(rows, errors)


class _Rollback(Exception):
    pass


def preview(actor, org, kind, data, *, filename):
    """Read the workbook and keep it with its preview until the user confirms."""
    result = plan(org, kind, data)
    return ImportJob.objects.create(
        org=org,
        kind=kind.name,
        filename=filename[:200],
        data=data,
        created_by=actor,
        counts=result.counts,
        errors=result.errors,
    )


def run(actor, job, *, valid_only=False):
    """Import a previewed workbook: all or nothing, unless the user chose to import only the
    valid rows. The job records what was written and what was refused."""
    kind = KINDS[job.kind]
    result = plan(job.org, kind, bytes(job.data))
    errors = list(result.errors)
    written = {"create": 0, "update": 0, "unchanged": 0}
    try:
        with transaction.atomic():
            if errors and not valid_only:
                raise _Rollback
            for row in result.rows:
                if row.action == "unchanged":
                    written["unchanged"] += 1
                    continue
                try:
                    with transaction.atomic():
                        kind.save(actor, job.org, row.record, row.values)
                except (ValidationError, PermissionDenied) as e:
                    errors.append(
                        _("第%(n)d行：%(e)s") % {"n": row.number, "e": "；".join(_messages(e))}
                    )
                else:
                    written[row.action] += 1
            if errors and not valid_only:
                raise _Rollback
            job.status, job.counts, job.errors = (
                ImportJob.Status.DONE,
                written | {"errors": len(errors)},
                errors,
            )
            job.save(update_fields=["status", "counts", "errors"])
            audit.record(
                actor,
                "import.apply",
                job,
                org=job.org,
                changes={
                    "file": [None, job.filename],
                    **{k: [None, v] for k, v in job.counts.items()},
                },
            )
    except _Rollback:
        job.status, job.counts, job.errors = (
            ImportJob.Status.REFUSED,
            result.counts | {"errors": len(errors)},
            errors,
        )
        job.save(update_fields=["status", "counts", "errors"])
    return job


def _messages(error):
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return getattr(error, "messages", [str(error)])
