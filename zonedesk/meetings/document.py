"""The meeting as a Word document: title, time, place, attendees, the agenda grouped by kind
with each item's figures, the minutes, and the decisions with unit and deadline.

Text typed by people goes in as plain runs: python-docx escapes it, nothing is interpreted.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from . import selectors

FONT = "SimSun"
DECISION_HEADERS = [N_("序号"), N_("决定事项"), N_("责任单位"), N_("办结时限"), N_("督办")]
NUMERALS = "一二三四五六七八九十"


def _chinese_font(doc):
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.font.name = FONT
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _lines(doc, text):
    for line in (text or "").splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())


def meeting_document(meeting):
    doc = Document()
    _chinese_font(doc)
    doc.add_heading(meeting.title, level=0)
    when = timezone.localtime(meeting.held_at)
    for label, value in (
        (_("会议类型"), meeting.get_kind_display()),
        (_("时间"), f"{when:%Y-%m-%d %H:%M}"),
        (_("地点"), meeting.place or "—"),
        (_("主持人"), str(meeting.chair or "—")),
        (_("参会人员"), meeting.attendees or "—"),
    ):
        p = doc.add_paragraph()
        p.add_run(f"{label}：").bold = True
        p.add_run(value)

    sections = iter(NUMERALS)
    doc.add_heading(f"{next(sections)}、{_('会议议程')}", level=1)
    groups = selectors.grouped(selectors.agenda_of(meeting))
    if not groups:
        doc.add_paragraph(_("无"))
    n = 0
    for label, items in groups:
        doc.add_heading(str(label), level=2)
        for item in items:
            n += 1
            p = doc.add_paragraph()
            p.add_run(f"{n}. {item.title}").bold = True
            if item.facts:
                p.add_run(f"　{item.facts}")
            if item.note:
                doc.add_paragraph(_("备注：%(n)s") % {"n": item.note})

    doc.add_heading(f"{next(sections)}、{_('会议纪要')}", level=1)
    if meeting.minutes.strip():
        _lines(doc, meeting.minutes)
    else:
        doc.add_paragraph(_("（尚未记录）"))

    doc.add_heading(f"{next(sections)}、{_('决定事项')}", level=1)
    decisions = list(selectors.decisions_for(None, meeting))
    if not decisions:
        doc.add_paragraph(_("无"))
    else:
        table = doc.add_table(rows=1, cols=len(DECISION_HEADERS))
        table.style = "Table Grid"
        for cell, h in zip(table.rows[0].cells, DECISION_HEADERS, strict=True):
            cell.text = _(h)
        for i, d in enumerate(decisions, 1):
            row = (
                str(i),
                d.text,
                str(d.unit or "—"),
                f"{d.deadline:%Y-%m-%d}" if d.deadline else "—",
                d.blocker.get_status_display() if d.blocker else _("未转督办"),
            )
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = value
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
