"""以月答卷 for October 2025 (National Day holiday 1–8 Oct, Saturday 11 Oct a workday):
each figure is right, and each links to exactly its rows."""

import datetime
import re

import pytest

from zonedesk.appeals import selectors, services

from .conftest import xlsx_rows

D = datetime.date


def at(ap, day):
    ap.clock.today = day


def raise_on(ap, day, category, text):
    at(ap, day)
    return services.raise_appeal(
        ap.w.enterprise_user,
        enterprise=ap.w.enterprise,
        category=ap.cats[category],
        description=text,
    )


def finish(ap, appeal, user, closed, rating=None, rated=None, comment=""):
    at(ap, appeal.received_on)
    services.accept(user, appeal)
    services.answer(user, appeal, text="已办理")
    at(ap, closed)
    services.close(user, appeal)
    if rating:
        at(ap, rated or closed)
        services.rate(ap.w.enterprise_user, appeal, rating=rating, comment=comment)
    return appeal


@pytest.fixture
def october(ap):
    w = ap.w
    services.update_category(None, ap.cats["审批"], {"unit": ap.land})
    a = {}
    # Received the day before the holiday, 3 working days: deadline Saturday 11 Oct.
    a["a1"] = raise_on(ap, D(2025, 9, 30), "水电气暖", "A1 停电")
    assert a["a1"].deadline == D(2025, 10, 11)
    finish(ap, a["a1"], w.unit_user, D(2025, 10, 9), "satisfied")
    a["a2"] = raise_on(ap, D(2025, 10, 9), "用工", "A2 招工")
    assert a["a2"].deadline == D(2025, 10, 15)
    finish(ap, a["a2"], w.unit_user, D(2025, 10, 20), "fairly", D(2025, 10, 21))
    a["a5"] = raise_on(ap, D(2025, 10, 10), "用工", "A5 培训")
    finish(ap, a["a5"], w.unit_user, D(2025, 10, 10), "unsatisfied", D(2025, 10, 22), "没有解决")
    a["a3"] = raise_on(ap, D(2025, 10, 13), "融资", "A3 贷款")
    a["a4"] = raise_on(ap, D(2025, 10, 14), "审批", "A4 环评")
    finish(ap, a["a4"], ap.land_user, D(2025, 10, 16), "satisfied")
    # Outside October: ignored by every figure.
    a["nov"] = raise_on(ap, D(2025, 11, 3), "用工", "Nov 十一月")
    at(ap, D(2025, 11, 12))
    return a


def ids(client, url):
    r = client.get(url.replace("&amp;", "&"))
    assert r.status_code == 200
    return {int(x) for x in re.findall(r'href="/appeals/(\d+)/"', r.content.decode())}


def test_figures_of_the_month(ap, october):
    r = selectors.monthly_report(ap.w.owner, 2025, 10)
    rows = {row["name"]: row for row in r["rows"]}
    s, land, t = rows["企业服务中心"], rows["自然资源所"], r["total"]
    assert (s["received"], s["closed"], s["on_time"], s["rated"], s["reopened"]) == (3, 2, 1, 3, 1)
    # A1: 1 working day across the holiday (9 Oct); A2: 8 working days (10, 11, 13–17, 20 Oct).
    assert str(s["avg_days"]) == "4.5"
    assert str(s["satisfaction"]) == "66.7"
    assert (land["received"], land["closed"], land["on_time"]) == (1, 1, 1)
    assert (str(land["avg_days"]), str(land["satisfaction"])) == ("2.0", "100.0")
    assert (t["received"], t["closed"], t["on_time"], t["rated"], t["reopened"]) == (4, 3, 2, 4, 1)
    assert str(t["avg_days"]) == "3.7"  # 11 ÷ 3 = 3.67, half up
    assert str(t["satisfaction"]) == "75.0"
    assert {a.title for a in r["open"]} == {"A3 贷款", "A5 培训"}


def test_every_figure_links_to_exactly_its_rows(ap, october, client_for):
    a = october
    c = client_for(ap.w.owner)
    page = c.get("/appeals/report/?month=2025-10").content.decode()
    rows = re.findall(r"<tr>\s*<td data-label=\"责任单位\">(.*?)</tr>", page, re.S)
    assert len(rows) == 3  # two units and the total
    expected = {
        "企业服务中心": [
            {"a2", "a5", "a3"}, {"a1", "a2"}, {"a1"}, {"a1", "a2"}, {"a1", "a2", "a5"},
            {"a1", "a2"}, {"a5"},
        ],
        "自然资源所": [{"a4"}, {"a4"}, {"a4"}, {"a4"}, {"a4"}, {"a4"}, set()],
        "合计": [
            {"a2", "a5", "a3", "a4"}, {"a1", "a2", "a4"}, {"a1", "a4"}, {"a1", "a2", "a4"},
            {"a1", "a2", "a5", "a4"}, {"a1", "a2", "a4"}, {"a5"},
        ],
    }  # fmt: skip
    for row in rows:
        name = re.sub(r"<.*?>", "", row.split("</td>")[0]).strip()
        links = re.findall(r'<a href="(/appeals/\?[^"]+)">', row)
        assert len(links) == 7, (name, links)
        for link, want in zip(links, expected[name], strict=True):
            assert ids(c, link) == {a[k].pk for k in want}, (name, link)
    open_link = re.search(r'href="(/appeals/\?open_at=2025-10)"', page).group(1)
    assert ids(c, open_link) == {a["a3"].pk, a["a5"].pk}


def test_exports_carry_the_same_figures(ap, october, client_for):
    c = client_for(ap.w.owner)
    r = c.get("/appeals/report.xlsx?month=2025-10")
    assert r.status_code == 200
    sheet = xlsx_rows(r.content)
    total = next(row for row in sheet if row and row[0] == "合计")
    assert total[1:8] == [4, 3, 2, 3.7, 4, "75.0%", 1]
    still = " ".join(str(v) for row in xlsx_rows(r.content, 1) for v in row)
    assert "A3 贷款" in still and "A5 培训" in still and "A1" not in still
    import io

    from docx import Document

    r = c.get("/appeals/report.docx?month=2025-10")
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "本月受理企业诉求4件，办结3件，其中按时办结2件" in text
    assert "满意率75.0%" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "3.7" in cells and "A3 贷款" in cells


def test_satisfaction_rate_rounds_half_up(ap):
    """1 good answer in 16 is 6.25%: half up gives 6.3 (banker's rounding and float give 6.2)."""
    for i in range(16):
        appeal = raise_on(ap, D(2025, 10, 9), "用工", f"第{i}件")
        finish(
            ap,
            appeal,
            ap.w.unit_user,
            D(2025, 10, 10),
            "satisfied" if i == 0 else "unsatisfied",
            comment="" if i == 0 else "不满意",
        )
    r = selectors.monthly_report(ap.w.owner, 2025, 10)
    assert str(r["total"]["satisfaction"]) == "6.3"
    assert r["total"]["reopened"] == 15
