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
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            sheet.write_string(r, c, _("是") if value else _("否"), text_format)
        elif isinstance(value, Decimal):
            sheet.write_number(r, c, value, money)
        elif isinstance(value, int):
            sheet.write_number(r, c, value, text_format)
        else:
            sheet.write_string(r, c, neutralise(str(value)), text_format)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content, name):
    """An xlsx download named `name` (Chinese allowed), dated as the zones date their files."""
    from urllib.parse import quote

    from django.http import HttpResponse
    from django.utils import timezone

    response = HttpResponse(content, content_type=XLSX)
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
