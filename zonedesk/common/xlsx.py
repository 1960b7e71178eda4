"""Workbooks for every export: Chinese headers with units, frozen header, typed cells."""

import io
from decimal import Decimal

import xlsxwriter
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text):
    """A text cell never becomes a formula when the file is opened or re-saved elsewhere."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def workbook(title, headers, rows, *, totals=None):
    """One sheet: a title line, the header row frozen beneath it, the rows, and an optional
    totals row (合计) at the bottom.

    Numbers (int, Decimal) are written as numbers with two places for Decimals; everything
    else as neutralised text, so no value from the database is ever read as a formula.
    """
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_string(0, 0, neutralise(title), book.add_format({"bold": True, "font_size": 14}))
    for col, header in enumerate(headers):
        sheet.write_string(1, col, header, bold)
        sheet.set_column(col, col, max(10, len(header) * 2 + 2))
    sheet.freeze_panes(2, 0)
    r = 1
    for r, row in enumerate(rows, start=2):
        _write_row(sheet, r, row, money)
    if totals is not None:
        strong = book.add_format({"bold": True, "num_format": "#,##0.00", "top": 1})
        _write_row(sheet, r + 1, totals, strong, strong)
    book.close()
    return out.getvalue()


def _write_row(sheet, r, row, money, text_format=None):
    for c, value in enumerate(row):
        _write_cell(sheet, r, c, value, money, text_format)


def _write_cell(sheet, r, c, value, money, text_format=None):
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(r, c, _("是") if value else _("否"), text_format)
    elif isinstance(value, Decimal):
        sheet.write_number(r, c, value, money)
    elif isinstance(value, int):
        sheet.write_number(r, c, value, text_format)
    else:
        sheet.write_string(r, c, neutralise(str(value)), text_format)


class Number(tuple):
    """A number cell with its display: `places` after the point, thousands separators for
    amounts, an optional literal suffix ("%" for rates: 78.6 shows as 78.6%), an explicit
    plus sign for changes."""

    def __new__(cls, value, places=2, *, grouped=True, suffix="", signed=False):
        return super().__new__(cls, (value, places, grouped, suffix, signed))

    @property
    def num_format(self):
        _value, places, grouped, suffix, signed = self
        digits = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")
        digits += f'"{suffix}"' if suffix else ""
        return f"+{digits};-{digits};{digits}" if signed else digits


def sheets(sections):
    """A workbook of several sheets, each a title line and one or more tables beneath it
    (a table: optional title, header row, rows, optional totals row).

    `sections` is a list of {"name", "title", "notes": [text], "tables": [{"title",
    "headers", "rows", "totals", "chart"}]}; a table with "chart" (an xlsxwriter chart
    type: "column", "bar" …) gets a native chart of its first two columns. Cells are text
    (neutralised), int, Decimal, bool or `Number`; sheet names are cut to Excel's 31
    characters and made unique.
    """
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    styles = _Styles(book)
    used = set()
    for section in sections:
        name = _sheet_name(section["name"], used)
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, neutralise(section["title"]), styles.title)
        r = 1
        for note in section.get("notes", []):
            sheet.write_string(r, 0, neutralise(note))
            r += 1
        r += 1
        for i, table in enumerate(section["tables"]):
            if table.get("title"):
                sheet.write_string(r, 0, neutralise(table["title"]), styles.subtitle)
                r += 1
            for col, header in enumerate(table["headers"]):
                sheet.write_string(r, col, neutralise(header), styles.header)
                sheet.set_column(col, col, max(10, len(header) * 2 + 2))
            if i == 0:
                sheet.freeze_panes(r + 1, 0)
            header_row = r
            r += 1
            for row in table["rows"]:
                _write_typed(sheet, r, row, styles)
                r += 1
            if table.get("chart") and table["rows"]:
                _chart(book, sheet, name, table, header_row)
                r = max(r, header_row + CHART_ROWS)
            if table.get("totals"):
                _write_typed(sheet, r, table["totals"], styles, bold=True)
                r += 1
            r += 1
    book.close()
    return out.getvalue()


CHART_ROWS = 16  # rows a chart covers beside its table


def _chart(book, sheet, name, table, header_row):
    """A native Excel chart of the table's first two columns (labels, values), placed to
    the right of the table and reading its cells, so it shows exactly the numbers beside it."""
    first, last = header_row + 1, header_row + len(table["rows"])
    chart = book.add_chart({"type": table["chart"]})
    chart.add_series(
        {
            "name": neutralise(table.get("title") or table["headers"][1]),
            "categories": [name, first, 0, last, 0],
            "values": [name, first, 1, last, 1],
            "data_labels": {"value": True},
        }
    )
    chart.set_title({"name": neutralise(table.get("title") or table["headers"][1])})
    chart.set_legend({"none": True})
    sheet.insert_chart(header_row, len(table["headers"]) + 1, chart)


class _Styles:
    def __init__(self, book):
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"bold": True})
        self.header = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        self._cache = {}

    def get(self, num_format=None, bold=False):
        key = (num_format, bold)
        if key not in self._cache:
            spec = {"num_format": num_format} if num_format else {}
            if bold:
                spec |= {"bold": True, "top": 1}
            self._cache[key] = self.book.add_format(spec) if spec else None
        return self._cache[key]


def _write_typed(sheet, r, row, styles, bold=False):
    text = styles.get(None, bold)
    for c, value in enumerate(row):
        if isinstance(value, Number):
            sheet.write_number(r, c, value[0], styles.get(value.num_format, bold))
        else:
            _write_cell(sheet, r, c, value, styles.get("#,##0.00", bold), text)


def _sheet_name(name, used):
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "Sheet"
    candidate, n = clean[:31], 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{clean[: 31 - len(str(n)) - 1]}-{n}"
    used.add(candidate.lower())
    return candidate
