"""Who sees which appeal, on the pages, the API and the exports: an enterprise only its own,
a unit only those routed to it now, staff of another zone nothing."""

import pytest

from zonedesk.appeals import services
from zonedesk.catalog.validators import make_uscc
from zonedesk.conftest import make_user
from zonedesk.enterprises.services import create_enterprise
from zonedesk.orgs.models import Role

from .conftest import api_client, raise_one, xlsx_text


@pytest.fixture
def mix(ap):
    """Our enterprise's appeal (unit 企业服务中心), a neighbour's appeal routed to 自然资源所,
    and an appeal in zone B."""
    w = ap.w
    neighbour = create_enterprise(
        None, org=w.zone, name="山西奥泰科技有限公司", uscc=make_uscc("奥泰", "140725")
    )
    ours = raise_one(ap, description="我们的诉求：道路破损")
    services.update_category(None, ap.cats["审批"], {"unit": ap.land})
    theirs = services.raise_appeal(
        w.member,
        enterprise=neighbour,
        category=ap.cats["审批"],
        description="邻居的诉求：环评审批进度",
    )
    b_user = make_user(
        "liangtuo", w.other_zone, Role.Name.ENTERPRISE, enterprise=w.other_enterprise
    )
    zone_b = services.raise_appeal(
        b_user, enterprise=w.other_enterprise, category=ap.other_cat, description="太谷的诉求"
    )
    return ours, theirs, zone_b


def titles(client, url="/appeals/"):
    r = client.get(url)
    assert r.status_code == 200
    return r.content.decode()


def export_text(client):
    r = client.get("/appeals/export.xlsx")
    assert r.status_code == 200
    return xlsx_text(r.content)


def api_ids(user):
    r = api_client(user).get("/api/v1/appeals")
    assert r.status_code == 200
    return {a["id"] for a in r.json()["items"]}


def test_enterprise_user_sees_only_its_own_on_pages_api_and_export(ap, mix, client_for):
    ours, theirs, zone_b = mix
    c = client_for(ap.w.enterprise_user)
    page = titles(c, "/appeals/mine/")
    assert "我们的诉求" in page and "邻居的诉求" not in page and "太谷的诉求" not in page
    assert c.get(f"/appeals/{ours.pk}/").status_code == 200
    assert c.get(f"/appeals/{theirs.pk}/").status_code == 404
    assert c.get(f"/appeals/{zone_b.pk}/").status_code == 404
    text = export_text(c)
    assert "我们的诉求" in text and "邻居的诉求" not in text and "太谷的诉求" not in text
    assert api_ids(ap.w.enterprise_user) == {ours.pk}
    assert api_client(ap.w.enterprise_user).get(f"/api/v1/appeals/{theirs.pk}").status_code == 404
    # The list page sends an enterprise contact to 我的诉求; the report is not theirs.
    assert c.get("/appeals/").status_code == 302
    assert c.get("/appeals/report/").status_code == 403
    assert c.get("/appeals/report.xlsx").status_code == 403


def test_unit_sees_only_appeals_routed_to_it(ap, mix, client_for):
    ours, theirs, _zone_b = mix
    c = client_for(ap.land_user)
    page = titles(c)
    assert "邻居的诉求" in page and "我们的诉求" not in page
    assert titles(c, "/appeals/inbox/").count("邻居的诉求") == 1
    assert c.get(f"/appeals/{ours.pk}/").status_code == 404
    text = export_text(c)
    assert "邻居的诉求" in text and "我们的诉求" not in text
    assert api_ids(ap.land_user) == {theirs.pk}
    report = c.get("/appeals/report/?month=2025-11").content.decode()
    assert "自然资源所" in report and "企业服务中心" not in report
    # Once transferred away, the unit no longer sees it.
    services.transfer(ap.land_user, theirs, to_unit=ap.w.unit, reason="转企业服务中心")
    assert api_ids(ap.land_user) == set()


def test_staff_of_another_zone_see_nothing(ap, mix, client_for):
    ours, _theirs, zone_b = mix
    c = client_for(ap.w.outsider)
    page = titles(c)
    assert "太谷的诉求" in page and "我们的诉求" not in page and "邻居的诉求" not in page
    assert c.get(f"/appeals/{ours.pk}/").status_code == 404
    assert "我们的诉求" not in export_text(c)
    assert api_ids(ap.w.outsider) == {zone_b.pk}
    assert api_client(ap.w.outsider).get(f"/api/v1/appeals/{ours.pk}").status_code == 404
    report = c.get("/appeals/report/?month=2025-11").content.decode()
    assert "企业服务中心" not in report and "自然资源所" not in report
    # Attachments of zone A's appeals are not theirs either (see test_attachments).


def test_zone_staff_and_city_viewer_see_every_appeal_of_the_zone(ap, mix, client_for):
    ours, theirs, zone_b = mix
    assert api_ids(ap.w.owner) == {ours.pk, theirs.pk}
    assert api_ids(ap.w.member) == {ours.pk, theirs.pk}
    assert api_ids(ap.w.viewer) == {ours.pk, theirs.pk, zone_b.pk}


def test_users_without_an_appeals_role_are_refused(ap, mix, client_for):
    promoter = make_user("zhaoshang", ap.w.zone, Role.Name.PROMOTER)
    c = client_for(promoter)
    for url in (
        "/appeals/",
        "/appeals/export.xlsx",
        "/appeals/report/",
        "/appeals/mine/",
        "/appeals/new/",
        "/appeals/inbox/",
        "/appeals/log/",
        "/appeals/categories/",
    ):
        assert c.get(url).status_code == 403, url
    assert api_ids(promoter) == set()
