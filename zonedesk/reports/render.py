"""A period document's content (documents.content) as Word and as Excel.

Both show each figure as `documents.display` prints it (Word) or as a number with the same
rounding and places (Excel). Text typed by users — project names, blocker descriptions —
is written as plain text: python-docx escapes it as XML text, the workbook neutralises
anything that would start a formula, and characters XML cannot hold are dropped.
"""

import io
import re

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from zonedesk.common import xlsx

from . import charts
from .documents import Figure, display, quantized

# XML 1.0 refuses most control characters; a pasted name may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FONT = "宋体"


def plain(text):
    return _NOT_XML.sub("", str(text))


def cell_text(cell):
    return display(cell) if isinstance(cell, Figure) else plain(cell)


def to_docx(doc):
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    heading = document.add_heading(plain(doc["title"]), 0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = _("范围：%(org)s　期间：%(period)s　生成时间：%(at)s") % {
        "org": doc["org"],
        "period": doc["period"],
        "at": f"{doc['generated_at']:%Y-%m-%d %H:%M}",
    }
    document.add_paragraph(plain(meta))
    for number, section in enumerate(doc["sections"], 1):
        document.add_heading(f"{_chinese_number(number)}、{plain(section['title'])}", 1)
        for note in section["notes"]:
            document.add_paragraph(plain(note))
        for table in section["tables"]:
            _docx_table(document, table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, table):
    if table.get("title"):
        document.add_heading(plain(table["title"]), 2)
    rows = table["rows"] + ([table["totals"]] if table.get("totals") else [])
    if not table["rows"]:
        document.add_paragraph(_("无"))
        return
    if table.get("chart"):
        bars = [(plain(label), quantized(value), display(value)) for label, value in table["rows"]]
        document.add_picture(io.BytesIO(charts.bars_png(bars)), width=Cm(15))
    grid = document.add_table(rows=len(rows) + 1, cols=len(table["headers"]))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, header in enumerate(table["headers"]):
        _fill(grid.cell(0, c), plain(header), bold=True)
    for r, row in enumerate(rows, 1):
        bold = table.get("totals") is not None and r == len(rows)
        for c, cell in enumerate(row):
            right = isinstance(cell, Figure)
            _fill(grid.cell(r, c), cell_text(cell), bold=bold, right=right)


def _fill(cell, text, bold=False, right=False):
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _chinese_number(n):
    digits = "零一二三四五六七八九十"
    return digits[n] if n <= 10 else f"十{digits[n - 10]}"


def xlsx_cell(cell):
    """A cell for the workbook: numbers keep the value shown, rounded the same way."""
    if not isinstance(cell, Figure):
        return plain(cell)
    value = quantized(cell)
    if value is None:
        return "—"
    if cell.kind == "count":
        return value
    places = max(0, -value.as_tuple().exponent)
    return xlsx.Number(
        value,
        places,
        grouped=cell.kind in ("wan", "wan0"),
        suffix="%" if cell.kind == "rate" else "",
        signed=cell.kind == "pp",  # +1.5 points, as the document prints it
    )


def to_xlsx(doc):
    sections = []
    for section in doc["sections"]:
        tables = [
            {
                "title": plain(t.get("title") or ""),
                "headers": [plain(h) for h in t["headers"]],
                "rows": [[xlsx_cell(c) for c in row] for row in t["rows"]],
                "totals": [xlsx_cell(c) for c in t["totals"]] if t.get("totals") else None,
                "chart": t.get("chart"),
            }
            for t in section["tables"]
        ]
        sections.append(
            {
                "name": plain(section["title"]),
                "title": plain(f"{doc['title']} · {section['title']}"),
                "notes": [plain(n) for n in section["notes"]],
                "tables": tables,
            }
        )
    return xlsx.sheets(sections)
