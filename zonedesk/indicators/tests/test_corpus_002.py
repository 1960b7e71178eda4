"""Corpus 002's figures reproduce from entered values, through the page, the API and the
export alike: 寿阳 上半年 GDP 98.03 亿元 +6.2% 全市第一; 固定资产投资 32 亿元 +10.2% 全市第一;
限上消费品零售额 +9.8% 全市第一; 规上工业增加值 +4.7% 全市第二."""

from decimal import Decimal

from zonedesk.imports import exports

from .conftest import api_client, read_xlsx

SENTENCES = [
    "地区生产总值完成98.03亿元，同比增长6.2%，全市第一",
    "固定资产投资完成32亿元，同比增长10.2%，全市第一",
    "限上消费品零售额同比增长9.8%，全市第一",
    "规上工业增加值同比增长4.7%，全市第二",
]
QUERY = {"year": 2024, "month": 6}


def test_the_overview_page_says_what_the_report_says(corpus, client_for):
    page = client_for(corpus.viewer).get("/economy/", {"org": corpus.county.pk, **QUERY})
    assert page.status_code == 200
    text = page.content.decode()
    for sentence in SENTENCES:
        assert sentence in text
    assert "98.03亿元" in text and "全市第 1 / 3" in text


def test_the_api_ranks_them_so(corpus):
    got = api_client(corpus.viewer).get(
        "/api/v1/indicators/rankings", {"org": corpus.city.pk, **QUERY}
    )
    assert got.status_code == 200
    shouyang = next(r for r in got.json()["rows"] if r["org"] == "寿阳县")
    figures = {f["code"]: f for f in shouyang["figures"]}
    assert Decimal(figures["GDP"]["value"]) == Decimal("980300")
    expected = {
        "GDP": ("6.2", 1),
        "FAI": ("10.2", 1),
        "RETAIL_ABOVE": ("9.8", 1),
        "IVA": ("4.7", 2),
    }
    for code, (growth, rank) in expected.items():
        assert (Decimal(figures[code]["growth"]), figures[code]["rank"]) == (Decimal(growth), rank)
    assert figures["GDP"]["sentence"] == SENTENCES[0]


def test_the_bulletin_workbook_carries_them(corpus):
    book = exports.export(corpus.viewer, "indicator_ranking", {"org": corpus.city.pk, **QUERY})
    rows = read_xlsx(book.content)
    assert rows[0][0] == "晋中市2024年1—6月主要经济指标通报"
    header = rows[1]
    shouyang = next(r for r in rows if r[0] == "寿阳县")
    cell = dict(zip(header, shouyang, strict=True))
    assert cell["地区生产总值绝对值（万元）"] == 980300
    assert cell["地区生产总值增速（%）"] == 6.2 and cell["地区生产总值位次"] == 1
    assert cell["固定资产投资增速（%）"] == 10.2 and cell["固定资产投资位次"] == 1
    assert cell["限上消费品零售额增速（%）"] == 9.8 and cell["限上消费品零售额位次"] == 1
    assert cell["规上工业增加值增速（%）"] == 4.7 and cell["规上工业增加值位次"] == 2
