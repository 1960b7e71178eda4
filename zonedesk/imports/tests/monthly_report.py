"""A county's monthly key-project report (重点项目建设进展情况月报) in the layout zones send it,
built from the demo seeds' projects (projects.demo.SHOUYANG): a merged title naming the year and
the months, a two-level merged header, 总投资 in 亿元 beside 万元 columns, 建设阶段, 今年累计完成投资
and 本月完成投资, 本月进展, 问题和建议, 包联领导 and 责任单位 written the county's way.

`python -m zonedesk.imports.tests.monthly_report OUT.xlsx` writes the fixture for a demo."""

import datetime
import io
import sys
from decimal import Decimal

import xlsxwriter

from zonedesk.projects.demo import SHOUYANG

NATURE = {"new": "新建", "continuing": "续建", "expansion": "扩建", "renovation": "技改"}
# (upper header, lower header or None for a column merged over both rows)
HEADER = [
    ("序号", None),
    ("项目名称", None),
    ("建设性质", None),
    ("建设规模及内容", None),
    ("总投资（亿元）", None),
    ("今年计划投资（万元）", None),
    ("投资完成情况（万元）", "今年累计完成投资"),
    ("投资完成情况（万元）", "本月完成投资"),
    ("建设阶段", None),
    ("计划开工时间", None),
    ("本月进展", None),
    ("问题和建议", None),
    ("包联领导", None),
    ("责任单位", None),
]


def month_invested(plan, month):
    """What a project invested in a month of the year: its plan spread over the year, a
    little more in later months, to the fen."""
    return (Decimal(plan) / 12 * (Decimal(90 + month) / 100)).quantize(Decimal("0.01"))


def ytd(plan, month):
    return sum((month_invested(plan, m) for m in range(1, month + 1)), Decimal(0))


def rows(year, month, *, leader, unit, ytd_factor=1):
    """One row a seed project, as the county writes it."""
    out = []
    for i, (name, _c, nature, total, plan, start, started, *_rest) in enumerate(SHOUYANG, 1):
        if started is None:
            stage, start_on, done, month_money, progress = "储备", start, None, None, ""
        else:
            stage, start_on = "在建", start or 3
            done = (ytd(plan, month) * ytd_factor).quantize(Decimal("0.01"))
            month_money, progress = month_invested(plan, month), f"{name[:6]}主体施工"
        planned = (
            datetime.date(year if start else year - 1, start_on, 1).isoformat() if start_on else ""
        )
        out.append(
            [
                i,
                name,
                NATURE[nature],
                f"{name[:4]}建设",
                float(Decimal(total) / 10000),  # 亿元, as the county writes it
                float(Decimal(plan)),
                None if done is None else float(done),
                None if month_money is None else float(month_money),
                stage,
                planned,
                progress,
                "用地指标待落实" if progress and i % 4 == 0 else "",
                leader,
                unit,
            ]
        )
    return out


def workbook(year=2024, month=10, *, leader="张县长", unit="县工信局", titled=True, ytd_factor=1):
    """The report's bytes; every number the sheet shows is what the import must store."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet("重点项目")
    bold = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    last = len(HEADER) - 1
    title = f"寿阳县{year}年重点项目建设进展情况月报（1-{month}月）" if titled else "重点项目进展"
    ws.merge_range(0, 0, 0, last, title, bold)
    ws.write_string(1, last - 1, "单位：万元")
    col = 0
    while col <= last:
        upper, lower = HEADER[col]
        if lower is None:
            ws.merge_range(2, col, 3, col, upper, bold)
            col += 1
            continue
        span = [c for c in range(col, last + 1) if HEADER[c][0] == upper]
        ws.merge_range(2, span[0], 2, span[-1], upper, bold)
        for c in span:
            ws.write_string(3, c, HEADER[c][1], bold)
        col = span[-1] + 1
    for r, row in enumerate(
        rows(year, month, leader=leader, unit=unit, ytd_factor=ytd_factor), start=4
    ):
        for c, value in enumerate(row):
            if value is not None and value != "":
                ws.write(r, c, value)
    book.close()
    return out.getvalue()


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as f:
        f.write(workbook())
