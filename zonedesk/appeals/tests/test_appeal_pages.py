"""Pages: who may open each, the htmx actions of the appeal page, category management, the
staff log form and bounded queries."""

import pytest

from zonedesk.appeals import services
from zonedesk.appeals.models import Appeal, AppealCategory
from zonedesk.conftest import make_user
from zonedesk.orgs.models import Role

from .conftest import closed_one, raise_one

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def many(ap):
    """Twelve appeals in several states, so query counts are measured on a real list."""
    out = []
    for i in range(12):
        a = raise_one(ap, description=f"诉求{i}", category=list(ap.cats)[i % 7])
        if i % 3 == 1:
            services.accept(ap.w.unit_user, a)
        out.append(a)
    closed_one(ap)
    return out


def test_staff_list_and_filters(ap, many, client_for, django_assert_max_num_queries):
    c = client_for(ap.w.owner)
    with django_assert_max_num_queries(12):
        r = c.get("/appeals/")
    assert r.status_code == 200 and r.content.decode().count('href="/appeals/') >= 13
    html = c.get("/appeals/?status=accepted").content.decode()
    assert html.count("办理中") >= 4
    with django_assert_max_num_queries(10):
        assert c.get("/appeals/export.xlsx").status_code == 200


@pytest.mark.parametrize(
    "url,allowed,refused",
    [
        ("/appeals/", ["owner", "member", "unit_user", "viewer"], ["promoter"]),
        ("/appeals/inbox/", ["unit_user"], ["owner", "enterprise_user"]),
        ("/appeals/mine/", ["enterprise_user"], ["owner", "unit_user"]),
        ("/appeals/new/", ["enterprise_user"], ["owner", "unit_user"]),
        (
            "/appeals/log/",
            ["owner", "member", "leader"],
            ["unit_user", "enterprise_user", "viewer"],
        ),
        ("/appeals/report/", ["owner", "unit_user", "viewer"], ["enterprise_user", "promoter"]),
        ("/appeals/report.docx", ["owner"], ["enterprise_user"]),
        ("/appeals/categories/", ["owner", "leader"], ["member", "unit_user", "enterprise_user"]),
        ("/appeals/categories/new/", ["owner", "leader"], ["member", "outsider_user"]),
    ],
)
def test_page_permissions(ap, client_for, url, allowed, refused):
    people = {
        "owner": ap.w.owner,
        "member": ap.w.member,
        "unit_user": ap.w.unit_user,
        "viewer": ap.w.viewer,
        "enterprise_user": ap.w.enterprise_user,
        "leader": ap.leader,
        "promoter": make_user("promoter", ap.w.zone, Role.Name.PROMOTER),
        "outsider_user": make_user("other_member", ap.w.other_zone, Role.Name.OFFICER),
    }
    for name in allowed:
        assert client_for(people[name]).get(url).status_code == 200, (url, name)
    for name in refused:
        assert client_for(people[name]).get(url).status_code == 403, (url, name)


def test_detail_page_queries_are_bounded(ap, client_for, django_assert_max_num_queries):
    appeal = closed_one(ap)
    for user in (ap.w.owner, ap.w.unit_user, ap.w.enterprise_user):
        c = client_for(user)
        with django_assert_max_num_queries(22):
            assert c.get(f"/appeals/{appeal.pk}/").status_code == 200


def test_other_pages_queries_are_bounded(ap, many, client_for, django_assert_max_num_queries):
    for user, url, n in [
        (ap.w.enterprise_user, "/appeals/mine/", 12),
        (ap.w.unit_user, "/appeals/inbox/", 10),
        (ap.w.owner, "/appeals/report/?month=2025-11", 14),
        (ap.w.owner, "/appeals/report.xlsx?month=2025-11", 12),
        (ap.w.owner, "/appeals/categories/", 8),
        (ap.w.owner, f"/enterprises/{ap.w.enterprise.pk}/", 30),
    ]:
        c = client_for(user)
        with django_assert_max_num_queries(n):
            assert c.get(url).status_code == 200, url


def test_unit_works_the_appeal_with_htmx_actions(ap, client_for):
    appeal = raise_one(ap)
    c = client_for(ap.w.unit_user)
    page = c.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f'hx-post="/appeals/{appeal.pk}/accept/"' in page
    r = c.post(f"/appeals/{appeal.pk}/accept/", {"version": appeal.version}, **HTMX)
    assert r.status_code == 200 and 'id="appeal"' in r.content.decode()
    assert "<html" not in r.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ACCEPTED
    r = c.post(f"/appeals/{appeal.pk}/answer/", {"version": appeal.version, "text": ""}, **HTMX)
    assert "答复" in r.content.decode() and appeal.steps.count() == 2
    r = c.post(
        f"/appeals/{appeal.pk}/answer/",
        {"version": appeal.version, "text": "已协调修复"},
        **HTMX,
    )
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED
    # A stale version is refused with a message, nothing written.
    r = c.post(f"/appeals/{appeal.pk}/close/", {"version": appeal.version - 1}, **HTMX)
    assert "已被他人修改" in r.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED
    r = c.post(f"/appeals/{appeal.pk}/close/", {"version": appeal.version})
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.CLOSED
    # The enterprise rates from 我的诉求.
    e = client_for(ap.w.enterprise_user)
    mine = e.get("/appeals/mine/").content.decode()
    assert f'action="/appeals/{appeal.pk}/rate/"' in mine
    r = e.post(
        f"/appeals/{appeal.pk}/rate/",
        {"version": appeal.version, "rating": "fairly", "comment": "", "next": "mine"},
    )
    assert r.status_code == 302 and r["Location"] == "/appeals/mine/"
    appeal.refresh_from_db()
    assert appeal.rating == Appeal.Rating.FAIRLY


def test_transfer_from_the_page_needs_a_reason_and_an_active_unit_of_the_zone(ap, client_for):
    appeal = raise_one(ap)
    c = client_for(ap.w.unit_user)
    c.post(f"/appeals/{appeal.pk}/transfer/", {"to_unit": ap.land.pk, "reason": ""})
    appeal.refresh_from_db()
    assert appeal.unit == ap.w.unit
    c.post(f"/appeals/{appeal.pk}/transfer/", {"to_unit": ap.w.other_unit.pk, "reason": "x"})
    appeal.refresh_from_db()
    assert appeal.unit == ap.w.unit
    c.post(f"/appeals/{appeal.pk}/transfer/", {"to_unit": ap.land.pk, "reason": "用地归自然资源所"})
    appeal.refresh_from_db()
    assert appeal.unit == ap.land


def test_other_roles_cannot_post_steps(ap, client_for):
    appeal = raise_one(ap)
    for user, status in ((ap.w.enterprise_user, 403), (ap.w.outsider, 404), (ap.land_user, 404)):
        r = client_for(user).post(f"/appeals/{appeal.pk}/accept/", {})
        assert r.status_code == status
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.SUBMITTED
    assert client_for(ap.w.owner).post(f"/appeals/{appeal.pk}/nonsense/").status_code == 404


def test_enterprise_raises_from_the_phone_form(ap, client_for):
    c = client_for(ap.w.enterprise_user)
    page = c.get("/appeals/new/").content.decode()
    assert "用地" in page and "水电气暖" in page and "太谷" not in page
    r = c.post("/appeals/new/", {"category": ap.cats["用工"].pk, "description": "急需焊工20名"})
    assert r.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.enterprise == ap.w.enterprise and appeal.channel == "self"
    r = c.post("/appeals/new/", {"category": ap.other_cat.pk, "description": "x"})
    assert r.status_code == 200 and Appeal.objects.count() == 1


def test_staff_log_a_meeting_appeal(ap, client_for):
    c = client_for(ap.w.member)
    r = c.post(
        "/appeals/log/",
        {
            "enterprise": ap.w.enterprise.pk,
            "channel": "meeting",
            "received_on": "2025-11-05",
            "category": ap.cats["融资"].pk,
            "title": "续贷",
            "description": "流动资金贷款续贷",
            "contact": "王经理 13835400001",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.channel == "meeting" and str(appeal.received_on) == "2025-11-05"
    # Another zone's enterprise is not offered.
    r = c.post("/appeals/log/", {"enterprise": ap.w.other_enterprise.pk, "channel": "phone",
                                  "received_on": "2025-11-05", "category": ap.cats["融资"].pk,
                                  "description": "x"})  # fmt: skip
    assert r.status_code == 200 and Appeal.objects.count() == 1


def test_categories_page_creates_edits_and_seeds(ap, client_for):
    c = client_for(ap.leader)
    r = c.post(
        "/appeals/categories/new/",
        {"name": "安全生产", "unit": ap.land.pk, "days": 4, "is_active": "on"},
    )
    assert r.status_code == 302
    cat = AppealCategory.objects.get(name="安全生产")
    r = c.post(
        f"/appeals/categories/{cat.pk}/edit/",
        {"name": "安全生产", "unit": ap.land.pk, "days": 6, "version": cat.version},
    )
    assert r.status_code == 302
    cat.refresh_from_db()
    assert cat.days == 6 and not cat.is_active
    assert client_for(ap.w.outsider).get(f"/appeals/categories/{cat.pk}/edit/").status_code == 404
    assert c.post("/appeals/categories/seed/", {"org": ap.w.zone.pk}).status_code == 302
    assert AppealCategory.objects.filter(org=ap.w.zone).count() == 8


def test_blocker_from_an_appeal(ap, client_for):
    appeal = raise_one(ap)
    c = client_for(ap.leader)
    page = c.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "转为督办" in page
    assert (
        "转为督办" not in client_for(ap.w.unit_user).get(f"/appeals/{appeal.pk}/").content.decode()
    )
    r = c.post(
        f"/appeals/{appeal.pk}/blocker/",
        {"title": "道路修复", "unit": ap.land.pk, "leader": ap.leader.pk, "deadline": 5,
         "version": appeal.version},
    )  # fmt: skip
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.blocker is not None
    assert appeal.blocker.source_note.startswith(f"企业诉求#{appeal.pk}")
    assert appeal.blocker.enterprise == ap.w.enterprise and appeal.blocker.unit == ap.land
    assert appeal.steps.filter(action="blocker").exists()
    assert f"/supervision/{appeal.blocker_id}/" in c.get(f"/appeals/{appeal.pk}/").content.decode()
    # Once only; unit users and enterprises may not.
    r = client_for(ap.w.unit_user).post(f"/appeals/{appeal.pk}/blocker/", {})
    assert r.status_code == 302


def test_pages_work_in_english(ap, client_for, settings):
    appeal = closed_one(ap)
    c = client_for(ap.w.owner)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = c.get("/appeals/report/?month=2025-11").content.decode()
    assert "Monthly answer sheet" in html and "Average working days" in html
    html = c.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "Category / channel" in html and "Self-service" in html
