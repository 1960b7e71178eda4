"""The documents carry the cockpit's charts — investment by month, by chain, by park, and the
warnings — as pictures in Word and native charts in Excel, each over the very rows the
cockpit page draws."""

import io
import zipfile
from decimal import Decimal

from docx import Document

from zonedesk.projects import selectors as projects

from .conftest import MONTH, YEAR
from .documents import docx_tables, generate, read, xlsx_sheets

TITLES = [
    "逐月完成投资（万元）",
    "按产业链完成投资（万元）",
    "按园区完成投资（万元）",
    "红黄预警项目（个）",
]


NAMES = ("by_month", "by_chain", "by_park")


def test_word_and_excel_carry_the_cockpit_charts(seeded, client_for):
    s = seeded
    job = generate(s.leader, s.world.zone, "monthly", YEAR, MONTH)
    word = read(job, "docx")
    assert len(Document(io.BytesIO(word)).inline_shapes) == 4  # one picture per chart
    tables = docx_tables(word)[-4:]
    page = client_for(s.leader).get(f"/projects/cockpit/?year={YEAR}&month={MONTH}")
    bars = [[(b["label"], b["value"]) for b in page.context[name]] for name in NAMES]
    charts = projects.charts(s.leader, YEAR, MONTH)
    for table, drawn, name in zip(tables[:3], bars, NAMES, strict=True):
        in_word = [(row[0], Decimal(row[1].replace(",", ""))) for row in table[1:]]
        assert in_word == drawn == [(label, value) for label, value, _f in charts[name]]
    total = projects.cockpit(s.leader, YEAR, MONTH)["total"]
    assert tables[3][1:] == [
        ["红色预警（个）", str(total["red"])],
        ["黄色预警（个）", str(total["yellow"])],
    ]

    excel = read(job, "xlsx")
    with zipfile.ZipFile(io.BytesIO(excel)) as z:
        xml = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    assert len(xml) == 4
    assert all("图表" in x and "<c:val>" in x for x in xml)  # each reads the 图表 sheet's cells
    sheet = xlsx_sheets(excel)["图表"]
    for title in TITLES:
        assert any(row and row[0] == title for row in sheet), title
