"""The appeals list as xlsx, and the 以月答卷 report as xlsx and docx.

Text typed by enterprises goes into cells and runs as plain text (xlsxwriter and python-docx
escape XML themselves); cells are neutralised against formulas.
"""

import io
from decimal import Decimal

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from docx import Document
from docx.shared import Pt

from zonedesk.common.xlsx import neutralise, workbook


def _d(value):
    return value.isoformat() if value else ""


def appeals_xlsx(qs):
    headers = [
        _("序号"),
        _("受理日期"),
        _("企业"),
        _("渠道"),
        _("类别"),
        _("标题"),
        _("诉求内容"),
        _("责任单位"),
        _("状态"),
        _("办理时限"),
        _("办结日期"),
        _("按时办结"),
        _("评价"),
        _("评价意见"),
        _("重办次数"),
        _("答复"),
    ]
    rows = (
        (
            i,
            _d(a.received_on),
            a.enterprise.name,
            a.get_channel_display(),
            a.category.name,
            a.title,
            a.description,
            a.unit.name if a.unit else _("未分派"),
            a.get_status_display(),
            _d(a.deadline),
            _d(a.closed_on),
            a.on_time if a.on_time is not None else "",
            a.get_rating_display(),
            a.rating_comment,
            a.reopened,
            a.answer,
        )
        for i, a in enumerate(qs.iterator(chunk_size=500), 1)
    )
    return workbook(_("企业诉求清单"), headers, rows)


def _figures(row):
    return [
        row["received"],
        row["closed"],
        row["on_time"],
        row["avg_days"] if row["avg_days"] is not None else "—",
        row["rated"],
        f"{row['satisfaction']}%" if row["satisfaction"] is not None else "—",
        row["reopened"],
    ]


HEADERS = [
    N_("责任单位"),
    N_("受理"),
    N_("办结"),
    N_("按时办结"),
    N_("平均办理工作日"),
    N_("评价"),
    N_("满意率"),
    N_("重办"),
]


def _unit_name(row):
    if row["unit"] == "":
        return _("合计")
    return row["name"] or _("未分派")


def _open_rows(data):
    return [
        (
            a.received_on.isoformat(),
            a.enterprise.name,
            a.category.name,
            a.title,
            a.unit.name if a.unit else _("未分派"),
            a.get_status_display(),
            a.deadline.isoformat(),
        )
        for a in data["open"]
    ]


OPEN_HEADERS = [
    N_("受理日期"),
    N_("企业"),
    N_("类别"),
    N_("标题"),
    N_("责任单位"),
    N_("状态"),
    N_("办理时限"),
]


def report_xlsx(data):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    title = book.add_format({"bold": True, "font_size": 14})
    one = book.add_format({"num_format": "0.0"})
    sheet = book.add_worksheet(_("以月答卷"))
    sheet.write_string(0, 0, _("以月答卷 %(m)s") % {"m": data["key"]}, title)
    for c, h in enumerate(HEADERS):
        sheet.write_string(1, c, _(h), bold)
        sheet.set_column(c, c, 14 if c else 24)
    sheet.freeze_panes(2, 0)
    for r, row in enumerate([*data["rows"], data["total"]], start=2):
        sheet.write_string(r, 0, neutralise(_unit_name(row)))
        for c, value in enumerate(_figures(row), start=1):
            if isinstance(value, Decimal):
                sheet.write_number(r, c, value, one)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    still = book.add_worksheet(_("未办结诉求"))
    still.write_string(0, 0, _("截至%(m)s仍未办结的诉求") % {"m": data["key"]}, title)
    for c, h in enumerate(OPEN_HEADERS):
        still.write_string(1, c, _(h), bold)
        still.set_column(c, c, 16)
    still.freeze_panes(2, 0)
    for r, row in enumerate(_open_rows(data), start=2):
        for c, value in enumerate(row):
            still.write_string(r, c, neutralise(str(value)))
    book.close()
    return out.getvalue()


def report_docx(data):
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(_("以月答卷：%(m)s 企业诉求办理情况") % {"m": data["key"]}, level=1)
    t = data["total"]
    doc.add_paragraph(
        _(
            "本月受理企业诉求%(r)d件，办结%(c)d件，其中按时办结%(o)d件；"
            "收到评价%(n)d件，满意率%(s)s；重新办理%(re)d件。"
        )
        % {
            "r": t["received"],
            "c": t["closed"],
            "o": t["on_time"],
            "n": t["rated"],
            "s": f"{t['satisfaction']}%" if t["satisfaction"] is not None else "—",
            "re": t["reopened"],
        }
    )
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, h in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = _(h)
    for row in [*data["rows"], t]:
        cells = table.add_row().cells
        cells[0].text = _unit_name(row)
        for cell, value in zip(cells[1:], _figures(row), strict=True):
            cell.text = str(value)
    doc.add_heading(_("仍未办结的诉求"), level=2)
    rows = _open_rows(data)
    if not rows:
        doc.add_paragraph(_("无"))
    else:
        table = doc.add_table(rows=1, cols=len(OPEN_HEADERS))
        table.style = "Table Grid"
        for cell, h in zip(table.rows[0].cells, OPEN_HEADERS, strict=True):
            cell.text = _(h)
        for row in rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = str(value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
