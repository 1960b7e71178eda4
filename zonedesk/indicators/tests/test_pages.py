"""The pages: who may open them (allowed role, wrong role, another county), what they show,
entry on one page with named bad cells, the approval buttons, and bounded query counts."""

import pytest

from zonedesk.conftest import make_user
from zonedesk.indicators.models import IndicatorValue, Period
from zonedesk.orgs.models import Role

Q = {"year": 2024, "month": 6}


@pytest.mark.parametrize("url", ["/economy/", "/economy/ranking/", "/economy/ranking/export.xlsx"])
def test_readers_read_units_do_not_and_another_countys_org_is_not_found(corpus, client_for, url):
    assert client_for(corpus.viewer).get(url, {"org": corpus.county.pk, **Q}).status_code == 200
    assert client_for(corpus.unit_user).get(url, Q).status_code == 403
    assert client_for(corpus.outsider).get(url, {"org": corpus.county.pk, **Q}).status_code == 404


def test_the_overview_draws_a_chart_per_amount_and_marks_what_lags(
    corpus, client_for, django_assert_max_num_queries
):
    client = client_for(corpus.county_leader)
    with django_assert_max_num_queries(22):
        page = client.get("/economy/", {"org": corpus.county.pk, **Q})
    text = page.content.decode()
    assert text.count('<svg class="ichart"') >= 2  # 固投 and GDP have values to draw
    assert "53.3%" in text  # 固投 320000 ÷ 600000
    assert "—" in text  # what was not entered


def test_the_ranking_costs_the_same_queries_for_more_orgs(
    corpus, client_for, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(corpus.viewer)
    client.get("/economy/ranking/", {"org": corpus.city.pk, **Q})
    with django_assert_max_num_queries(16) as before:
        client.get("/economy/ranking/", {"org": corpus.city.pk, **Q})
    for i in range(5):
        county = corpus.city.children.create(
            kind="county", name=f"县{i}", path=f"{corpus.city.path}x{i}/"
        )
        IndicatorValue.objects.create(
            org=county, indicator=corpus.ind["FAI"], year=2024, month=6, value=1
        )
    with django_assert_num_queries(len(before.captured_queries)):
        page = client.get("/economy/ranking/", {"org": corpus.city.pk, **Q})
    assert "县4" in page.content.decode()


def test_entry_shows_every_indicator_with_last_years_value_and_saves(iw, client_for):
    client = client_for(iw.statistician)
    page = client.get("/economy/entry/", {"org": iw.county.pk, **Q})
    text = page.content.decode()
    assert page.status_code == 200 and "规上工业增加值" in text and "重点项目完成投资" not in text
    data = {"org": iw.county.pk, **Q, "v_FAI": "320000", "g_FAI": "10.2", "v_GDP": "980300"}
    assert client.post("/economy/entry/", data).status_code == 302
    assert IndicatorValue.objects.filter(org=iw.county, year=2024).count() == 2


def test_entry_names_the_bad_cells_and_writes_nothing(iw, client_for):
    client = client_for(iw.statistician)
    data = {"org": iw.county.pk, **Q, "v_FAI": "320000", "g_GDP": "6.2%", "v_RETAIL": "—"}
    page = client.post("/economy/entry/", data)
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        "“地区生产总值”同比增速：请只填数字" in text
        and "“社会消费品零售总额”累计值：“—”不是数字" in text
    )
    assert 'value="6.2%"' in text  # what was typed stays for correcting
    assert not IndicatorValue.objects.exists()


def test_entry_is_for_writers_of_the_org(iw, client_for):
    assert client_for(iw.viewer).get("/economy/entry/").status_code == 403
    assert client_for(iw.county_leader).get("/economy/entry/").status_code == 403
    other = client_for(iw.other_statistician)
    assert other.get("/economy/entry/", {"org": iw.county.pk, **Q}).status_code == 404
    data = {"org": iw.county.pk, **Q, "v_FAI": "1"}
    assert other.post("/economy/entry/", data).status_code == 404
    assert not IndicatorValue.objects.exists()


def test_submit_approve_and_lock_through_the_page(iw, client_for, django_assert_max_num_queries):
    stats, leader = client_for(iw.statistician), client_for(iw.county_leader)
    stats.post("/economy/entry/", {"org": iw.county.pk, **Q, "v_FAI": "320000"})
    form = {"org": iw.county.pk, **Q}
    stats.post("/economy/entry/submit/", form)
    stats.post("/economy/entry/approve/", form)  # not a leader: refused, still submitted
    assert Period.objects.get().status == Period.Status.SUBMITTED
    leader.post("/economy/entry/approve/", form)
    stats.post("/economy/entry/lock/", form)
    assert Period.objects.get().status == Period.Status.LOCKED
    with django_assert_max_num_queries(16):
        page = stats.get("/economy/entry/", form)
    assert "更正原因" in page.content.decode()
    assert client_for(iw.outsider).post("/economy/entry/submit/", form).status_code == 404


def test_the_catalogue_is_for_admins(iw, client_for):
    admin = make_user("catadmin", iw.province, Role.Name.ADMIN)
    client = client_for(admin)
    assert "开复工率" in client.get("/economy/catalogue/").content.decode()
    fai = iw.ind["FAI"]
    data = {
        "version": fai.version,
        "name": "固定资产投资",
        "unit": "万元",
        "frequency": "monthly",
        "price_basis": "current",
        "rollup": "sum",
        "higher_is_better": "on",
        "lead_unit": "发改局",
        "release_lag": 12,
        "yellow_gap": "5",
        "red_gap": "3",
        "order": 40,
        "is_active": "on",
    }
    page = client.post(f"/economy/catalogue/{fai.pk}/", data)
    assert "红色预警差距应不小于黄色预警差距" in page.content.decode()
    data["red_gap"] = "20"
    assert client.post(f"/economy/catalogue/{fai.pk}/", data).status_code == 302
    fai.refresh_from_db()
    assert (fai.lead_unit, fai.red_gap) == ("发改局", 20)
    assert client_for(iw.statistician).get("/economy/catalogue/").status_code == 403
    assert client_for(iw.owner).get(f"/economy/catalogue/{fai.pk}/").status_code == 200
