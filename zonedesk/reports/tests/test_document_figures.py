"""Every KPI of a generated document equals the figure the cockpit shows.

The expected values come from `zonedesk.projects.selectors.cockpit` — the cockpit page's
own function — for a user who holds a role at the document's organisation, formatted by
`display` (Word) or compared as numbers rounded the same way (Excel); a few are read from
the cockpit page's HTML.
"""

import re
from decimal import Decimal

import pytest

from zonedesk.catalog.templatetags.figures import money
from zonedesk.projects import selectors as projects
from zonedesk.reports.documents import Figure, display, kpis, quantized

from .conftest import EVIL, MONTH, YEAR
from .documents import by_label, docx_tables, docx_text, fresh_user, generate, read, xlsx_sheets

KPI_SHEET = "主要指标"


def expected(z):
    z = {**z, "started_resumed": z["started_new"] + z["resumed"]}
    return {str(label): Figure(z.get(key, 0), kind) for label, key, kind in kpis()}


def cockpit(user, year=YEAR, month=MONTH):
    return projects.cockpit(fresh_user(user), year, month, group_by_zone=True)


def assert_xlsx_equals(cell, figure):
    value = quantized(figure)
    if value is None:
        assert cell == "—"
    else:
        assert Decimal(str(cell)) == value, (cell, figure)


def test_zone_document_kpis_equal_the_cockpit_in_word_and_excel(seeded):
    s = seeded
    job = generate(s.leader, s.world.zone)
    figures = expected(cockpit(s.leader)["total"])
    word = by_label(docx_tables(read(job, "docx"))[0])
    assert word["指标"] == ["寿阳经济技术开发区"]
    excel = by_label(xlsx_sheets(read(job, "xlsx"))[KPI_SHEET][3:])
    assert len(figures) == 26
    for label, figure in figures.items():
        assert word[label] == [display(figure)], label
        assert_xlsx_equals(excel[label][0], figure)
    # The seed's own numbers, so the comparison above cannot pass on two empty documents.
    assert word["项目（个）"] == ["6"]
    assert word["年度计划投资（万元）"] == ["6,000.00"]
    assert word["今年累计完成投资（万元）"] == ["2,400.00"]
    assert word["投资完成率"] == ["40.00%"]
    assert word["红色预警（个）"] == ["1"] and word["黄色预警（个）"] == ["1"]


def test_word_figures_are_those_printed_on_the_cockpit_page(seeded, client_for):
    s = seeded
    job = generate(s.leader, s.world.zone)
    word = {k: v[0] for k, v in by_label(docx_tables(read(job, "docx"))[0]).items()}
    html = client_for(s.leader).get(f"/projects/cockpit/?year={YEAR}&month={MONTH}")
    page = html.content.decode()

    def kpi(pattern):
        return re.search(pattern, page).groups()

    projects_n, investment = kpi(r"<span>(\d+)</span>项目 · ([\d.,]+ (?:万元|亿元))")
    assert word["项目（个）"] == projects_n
    # The card reads 亿元 from 1 亿 up; the document's table 万元: the same amount.
    assert investment == money(Decimal(word["总投资（万元）"].replace(",", "")))
    completion, time_progress = kpi(r"<span>([\d.—]+)%</span>投资完成率 · 时序 ([\d.]+)%")
    assert word["投资完成率"] == f"{completion}%" and word["时序进度"] == f"{time_progress}%"
    (start_resume,) = kpi(r"<span>([\d.—]+)%</span>开复工率")
    assert word["开复工率"] == f"{start_resume}%"
    assert word["红色预警（个）"] == kpi(r"<span>(\d+)</span>红色预警")[0]
    assert word["黄色预警（个）"] == kpi(r"<span>(\d+)</span>黄色预警")[0]
    assert word["月报逾期（个）"] == kpi(r"<span>(\d+)</span>月报逾期")[0]


def test_county_leader_gets_every_zone_beneath_side_by_side_and_the_total(seeded):
    s = seeded
    job = generate(s.county_leader, s.world.county)
    figures = cockpit(s.county_leader)
    word = by_label(docx_tables(read(job, "docx"))[0])
    assert word["指标"] == ["寿阳新区", "寿阳经济技术开发区", "合计"]
    (zone_a,) = figures["zones"]  # the new zone has no projects: no cockpit row
    for label, figure in expected(zone_a).items():
        assert word[label][1] == display(figure)
    for label, figure in expected(figures["total"]).items():
        assert word[label][2] == display(figure)
    assert word["项目（个）"][0] == "0" and word["投资完成率"][0] == "—"
    assert word["时序进度"][0] == "58.33%"


def test_city_document_columns_equal_the_cockpit_zone_table_and_total(seeded, client_for):
    s = seeded
    job = generate(s.city_leader, s.world.city)
    figures = cockpit(s.city_leader)
    word = by_label(docx_tables(read(job, "docx"))[0])
    excel = by_label(xlsx_sheets(read(job, "xlsx"))[KPI_SHEET][3:])
    assert word["指标"] == ["太谷经济技术开发区", "寿阳新区", "寿阳经济技术开发区", "合计"]
    rows = {z["name"]: z for z in figures["zones"]}
    columns = [rows["太谷经济技术开发区"], None, rows["寿阳经济技术开发区"], figures["total"]]
    for i, z in enumerate(columns):
        if z is None:
            continue
        for label, figure in expected(z).items():
            assert word[label][i] == display(figure), (label, i)
            assert_xlsx_equals(excel[label][i], figure)
    assert word["项目（个）"][3] == "7"  # six in zone A, one in zone B
    page = client_for(s.city_leader).get(f"/projects/cockpit/?year={YEAR}&month={MONTH}")
    # The page's zone table shows zone A's plan as the document's column does.
    assert '<td data-label="年度计划" class="num">6,000.00</td>' in page.content.decode()
    assert word["年度计划投资（万元）"][2] == "6,000.00"


def test_same_period_last_year_and_plan_comparison(seeded):
    s = seeded
    job = generate(s.leader, s.world.zone)
    tables = docx_tables(read(job, "docx"))
    same = by_label(tables[1])
    now, last = cockpit(s.leader)["total"], cockpit(s.leader, year=YEAR - 1)["total"]
    assert same["今年累计完成投资（万元）"] == [
        display(Figure(now["ytd"], "wan")),
        display(Figure(last["ytd"], "wan")),
        "700.0%",  # 2,400 against 300 a year earlier
    ]
    assert same["投资完成率"][2] == "+2.50"  # 40.00% against 37.50%
    assert same["本期线索签约金额（万元）"] == ["5,000.00", "2,000.00", "150.0%"]
    plan = by_label(tables[2])
    assert plan["寿阳经济技术开发区"] == ["6,000.00", "2,400.00", "40.00%", "58.33%", "-18.33"]


def test_red_and_yellow_lists_equal_the_cockpit_counts_and_name_the_projects(seeded):
    s = seeded
    job = generate(s.leader, s.world.zone)
    tables = docx_tables(read(job, "docx"))
    red, yellow = tables[3], tables[4]
    assert [r[0] for r in red[1:]] == [EVIL.replace("\x0b", "")]
    assert [r[0] for r in yellow[1:]] == ["道威共享储能电站"]
    assert yellow[1][3:6] == ["2,000.00", "700.00", "35.00%"]
    total = cockpit(s.leader)["total"]
    assert (len(red) - 1, len(yellow) - 1) == (total["red"], total["yellow"])


def test_approvals_and_signings_of_the_period(seeded):
    s = seeded
    job = generate(s.leader, s.world.zone)
    content = read(job, "docx")
    text = docx_text(content)
    assert "本期办结审批事项1件，其中超时办结0件；截至期末逾期未办结1件。" in text
    assert "本期签约线索1个，签约金额0.50亿元；签约日期在本期的项目1个。" in text
    tables = docx_tables(content)
    done = next(t for t in tables if t[0][0] == "项目名称" and t[1:] and t[1][-1] == "按时")
    assert done[1][:4] == ["强伟生活用纸项目", "施工许可", "企业服务中心", "2025-07-01"]
    leads = next(t for t in tables if t[0][:2] == ["项目名称", "投资方"])
    assert leads[1:] == [
        [
            "华润风电二期",
            "华润新能源投资",
            "寿阳经济技术开发区",
            "造纸产业链招商战队",
            "2025-07-10",
            "5,000.00",
        ],
        ["合计", "", "", "", "", "5,000.00"],
    ]


def test_quarter_document_shows_its_months_side_by_side_as_the_cockpit(seeded):
    s = seeded
    job = generate(s.leader, s.world.zone, "quarterly", quarter=2)
    sheets = xlsx_sheets(read(job, "xlsx"))
    months = next(rows for name, rows in sheets.items() if name == "季度逐月分析")
    header = next(r for r in months if r and r[0] == "指标")
    assert header == ["指标", "4月", "5月", "6月"]
    table = by_label(months[months.index(header) + 1 :])
    for i, month in enumerate((4, 5, 6)):
        t = cockpit(s.leader, month=month)["total"]
        assert Decimal(str(table["今年累计完成投资（万元）"][i])) == t["ytd"].quantize(
            Decimal("0.01")
        )
        assert table["红色预警（个）"][i] == t["red"]
    # The quarter's own investment: April 0, May 400 (强伟), June 700 (道威).
    assert table["当月完成投资（计划内，万元）"] == [0.0, 400.0, 700.0]
    assert "本季度计划内项目完成投资1,100.00万元。" in docx_text(read(job, "docx"))


def test_annual_document_sets_targets_against_results(seeded):
    s = seeded
    job = generate(s.leader, s.world.zone, "annual", year=2024)
    assert "2024年年交账" in job.title
    job = generate(s.leader, s.world.zone, "annual", year=YEAR)
    tables = docx_tables(read(job, "docx"))
    targets = next(t for t in tables if t[0][:2] == ["排名", "招商战队"])
    # 签约 0.50 亿元 of a 7.2 亿元 target; one of three signings.
    assert targets[1] == [
        "1",
        "造纸产业链招商战队",
        "72,000.00",
        "5,000.00",
        "6.94%",
        "3",
        "1",
        "33.33%",
        "0.0%",  # 当年签约项目开工率: the signed lead's project has not started
        "0.00%",  # no start-rate target set
        "—",  # so no 完成率 against it
    ]
    plan = next(
        t for t in tables if t[0][0] == "项目名称" and t[-1][0] == "合计" and len(t[0]) == 8
    )
    # The year is running (today 2025-08-15): the plan is read at July, the last month over.
    year_end = cockpit(s.leader, month=7)["total"]
    assert plan[-1][3:6] == [
        display(Figure(year_end["plan"], "wan")),
        display(Figure(year_end["ytd"], "wan")),
        display(Figure(year_end["completion"], "rate")),
    ]
    assert len(plan) - 2 == year_end["planned"]  # header and totals around the projects


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_user_text_is_plain_text_in_both_files(seeded, fmt):
    s = seeded
    job = generate(s.leader, s.world.zone)
    content = read(job, fmt)
    name = EVIL.replace("\x0b", "")
    if fmt == "docx":
        assert [r[0] for r in docx_tables(content)[3][1:]] == [name]
        assert b"<w:t>\xe9\xa1\xb9\xe7\x9b\xae</w:t>" not in _document_xml(content)
    else:
        red = xlsx_sheets(content)["红黄预警项目"]
        assert ["'" + name] == [r[0] for r in red if r and str(r[0]).startswith("'=")]


def _document_xml(content):
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml")
