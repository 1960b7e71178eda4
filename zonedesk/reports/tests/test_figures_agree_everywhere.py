"""数出一源: one data set, entered fresh through the services, and every registered figure read
back from the cockpit (selector and page), the project list, the API, the 招商大比拼 (page and
export) and the three documents (Word and Excel) — the same value everywhere. The corpus 002
figures are among the cases: 签约 76.64 亿元 against 72 亿元 is 106.44%; 当年签约项目开工率 50%
against its target 40% is 125%; 11 of 14 projects 开复工 is 78.6%; 总投资 266.04 亿元; 今年
累计完成投资 48.83 亿元."""

import re
from decimal import Decimal

import pytest

from zonedesk.catalog import figures
from zonedesk.catalog.templatetags.figures import money
from zonedesk.conftest import make_user
from zonedesk.leads import selectors as leads
from zonedesk.leads import services as lead_services
from zonedesk.leads.tests.conftest import api_client, read_xlsx
from zonedesk.leads.tests.test_leaderboard_and_funnel import signed
from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Role, Team
from zonedesk.projects import selectors as projects
from zonedesk.projects import services as project_services
from zonedesk.projects.models import Project
from zonedesk.reports.documents import KPI_KEYS, TARGET_KEYS, Figure, display, quantized

from .conftest import YEAR, d, project
from .documents import by_label, docx_tables, docx_text, generate, read, xlsx_sheets

MONTH = 7  # today is 2025-08-15: the year and the third quarter are running, cut at 1—7月


@pytest.fixture
def corpus(world, clock):
    """寿阳: 14 projects in the 2025 plan (10 new, 8 started; 4 continuing, 3 resumed), total
    investment with the signed leads' projects 266.04 亿元, 48.83 亿元 invested by July; two
    investment teams with 72 亿元 of targets and 76.64 亿元 signed."""
    zone = world.zone
    for i in range(10):  # 8 started in March, 61,000 万元 each by July; 2 planned for October
        started = i < 8
        project(
            zone,
            f"新建项目{i + 1:02d}",
            plan={YEAR: 70000},
            start_month=3 if started else 10,
            started_on=d(YEAR, 3, 2) if started else None,
            reports={(YEAR, 3): 21000, (YEAR, 7): 40000} if started else {},
            total_investment=Decimal("139000" if i == 0 else "135000"),
        )
    for i in range(4):  # 3 resumed with 100 万元 each, one not yet
        project(
            zone,
            f"续建项目{i + 1:02d}",
            nature=Project.Nature.CONTINUING,
            plan={YEAR: 70000},
            started_on=d(YEAR - 1, 5, 6),
            reports={(YEAR, 6): 100} if i < 3 else {},
            total_investment=Decimal("135000"),
        )
    paper = orgs.create_team(None, org=zone, kind=Team.Kind.INVESTMENT, name="造纸产业链招商战队")
    digital = orgs.create_team(None, org=zone, kind=Team.Kind.INVESTMENT, name="数字经济招商战队")
    lead_services.set_target(
        None, paper, year=YEAR, amount=Decimal("420000"), count=8, start_rate=40
    )
    lead_services.set_target(
        None, digital, year=YEAR, amount=Decimal("300000"), count=6, start_rate=50
    )
    first = signed(paper, "176400", d(YEAR, 3, 18))
    signed(paper, "270000", d(YEAR, 4, 18))
    signed(digital, "120000", d(YEAR, 6, 18))
    signed(digital, "200000", d(YEAR, 7, 18))
    project_services.change_stage(None, first.project, Project.Stage.STARTED, on=d(YEAR, 5, 1))
    leader = make_user("zhuren", zone, Role.Name.LEADER)
    return {"leader": leader, "paper": paper, "digital": digital, "zone": zone}


def kpi(page, label):
    """The figure of a cockpit card: <span>figure</span>label."""
    m = re.search(r"<span>([^<]*)</span>" + label, page)
    assert m, label
    return m.group(1).strip()


def number(text):
    return Decimal(re.sub(r"[,\s\u00a0\u202f]", "", text))


def test_the_corpus_figures_reproduce(corpus):
    t = projects.cockpit(corpus["leader"], YEAR, MONTH)["total"]
    assert (t["started_new"] + t["resumed"], t["planned"]) == (11, 14)
    assert figures.show("start_resume_rate", t["start_resume_rate"]) == "78.6%"
    assert figures.text("yi", t["investment"]) == "266.04"
    assert figures.text("yi", t["ytd"]) == "48.83"
    rows = leads.leaderboard(corpus["leader"], YEAR, MONTH)
    assert figures.show("amount_rate", leads.board_total(rows)["amount_rate"]) == "106.44%"
    paper = next(r for r in rows if r["team"] == corpus["paper"])
    assert figures.show("lead_start_rate", paper["start_rate"]) == "50.0%"
    assert figures.show("lead_start_completion", paper["start_completion"]) == "125.00%"


PAGE_KPIS = [
    ("开工率", "start_rate"),
    ("复工率", "resume_rate"),
    ("开复工率", "start_resume_rate"),
    ("投资完成率", "completion"),
    ("红色预警", "red"),
    ("黄色预警", "yellow"),
    ("月报逾期", "late"),
]


def test_the_cockpit_page_the_list_and_the_api_show_the_cockpit_figures(corpus, client_for):
    leader = corpus["leader"]
    t = projects.cockpit(leader, YEAR, MONTH)["total"]
    client = client_for(leader)
    page = client.get(f"/projects/cockpit/?year={YEAR}&month={MONTH}").content.decode()
    for label, key in PAGE_KPIS:
        assert kpi(page, label) == figures.show(key, t[key]), label
    assert kpi(page, "项目") == str(t["projects"])
    listed = client.get(f"/projects/?year={YEAR}&month={MONTH}").content.decode()
    cards = re.findall(r'<div class="kpi"><span>([^<]*)</span>', listed)
    assert [c.strip() for c in cards[1:4]] == [money(t[k]) for k in ("investment", "plan", "ytd")]
    api = api_client(leader).get(f"/api/v1/projects?year={YEAR}&month={MONTH}&limit=100")
    items = api.json()["items"] if isinstance(api.json(), dict) else api.json()
    assert sum(Decimal(str(p["ytd"])) for p in items) == t["ytd"]
    assert sum(Decimal(str(p["plan"])) for p in items if p["plan"] is not None) == t["plan"]


def test_the_board_page_and_its_export_show_the_board_figures(corpus, client_for):
    client = client_for(corpus["leader"])
    page = client.get(f"/leads/leaderboard/?year={YEAR}&month={MONTH}").content.decode()
    assert "106.44%" in page.split("<tfoot>")[1]
    assert "完成率 125.00%" in page
    rows = read_xlsx(
        client.get(f"/leads/leaderboard/export.xlsx?year={YEAR}&month={MONTH}").content
    )
    header = next(r for r in rows if "开工率完成率（%）" in r)
    paper = next(r for r in rows if corpus["paper"].name in r)
    total = next(r for r in rows if "合计" in r)
    assert paper[header.index("开工率完成率（%）")] == 125
    assert total[header.index("金额完成率（%）")] == pytest.approx(106.44)


DOCUMENTS = [("monthly", MONTH, None), ("quarterly", None, 3), ("annual", None, None)]


@pytest.mark.parametrize("kind, month, quarter", DOCUMENTS)
def test_each_document_shows_the_cockpit_and_board_figures(corpus, kind, month, quarter):
    leader = corpus["leader"]
    t = projects.cockpit(leader, YEAR, MONTH)["total"]
    t = {**t, "started_resumed": t["started_new"] + t["resumed"]}
    job = generate(leader, corpus["zone"], kind, YEAR, month, quarter)
    word, excel = read(job, "docx"), xlsx_sheets(read(job, "xlsx"))
    kpis = by_label(docx_tables(word)[0])
    sheet = {row[0]: row[1:] for row in excel["主要指标"] if row and row[0]}
    for key in KPI_KEYS:
        d_ = figures.get(key)
        shown = display(Figure(t[key], d_.kind))
        assert kpis[str(d_.label)] == [shown], key
        value = quantized(Figure(t[key], d_.kind))
        cell = sheet[str(d_.label)][0]
        assert (cell == "—") if value is None else Decimal(str(cell)) == value, key
    text = docx_text(word)
    assert "总投资266.04亿元" in text
    assert "今年累计完成488,300.00万元" in text
    if kind == "annual":
        targets = next(x for x in docx_tables(word) if x[0][:2] == ["排名", "招商战队"])
        header = targets[0]
        assert header[2:] == [str(figures.get(k).label) for k in TARGET_KEYS]
        paper = next(r for r in targets if r[1] == corpus["paper"].name)
        assert paper[header.index("开工率完成率")] == "125.00%"
        assert targets[-1][header.index("金额完成率")] == "106.44%"
