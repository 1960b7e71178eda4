import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from zonedesk.projects import services as projects
from zonedesk.projects.models import Project
from zonedesk.supervision.models import Blocker
from zonedesk.supervision.tests.conftest import raise_one


@pytest.fixture
def project(sup):
    return projects.create_project(
        sup.owner,
        org=sup.zone,
        name="强伟纸业二期",
        category=Project.Category.INDUSTRY,
        nature=Project.Nature.NEW,
        total_investment=50000,
        unit=sup.unit,
        team=sup.team,
    )


@pytest.fixture
def two(blocker, theirs):
    return blocker, theirs


def test_list_shows_zone_staff_every_blocker_and_the_by_unit_summary(
    sup, two, client_for, django_assert_max_num_queries
):
    client = client_for(sup.member)
    with django_assert_max_num_queries(12):
        r = client.get(reverse("supervision:list"))
    assert r.status_code == 200
    page = r.content.decode()
    assert "用地指标未落实" in page and "环评批复滞后" in page
    assert f"unit={sup.unit2.pk}&state=open" in page


def test_unit_cannot_see_blocker_of_other_unit(sup, two, client_for):
    mine, theirs = two
    client = client_for(sup.unit_user)
    page = client.get(reverse("supervision:list")).content.decode()
    assert "用地指标未落实" in page and "环评批复滞后" not in page
    assert client.get(reverse("supervision:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("supervision:detail", args=[mine.pk])).status_code == 200
    r = client.get(reverse("supervision:export"))
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    cells = [c for row in book.get_sheet_by_index(0).to_python() for c in row]
    assert "用地指标未落实" in cells and "环评批复滞后" not in cells
    inbox = client.get(reverse("supervision:inbox")).content.decode()
    assert "用地指标未落实" in inbox and "环评批复滞后" not in inbox


def test_other_zone_and_enterprise_see_nothing(sup, blocker, client_for):
    outsider = client_for(sup.outsider)
    assert "用地指标未落实" not in outsider.get(reverse("supervision:list")).content.decode()
    assert outsider.get(reverse("supervision:detail", args=[blocker.pk])).status_code == 404
    company = client_for(sup.enterprise_user)
    assert company.get(reverse("supervision:list")).status_code == 403
    assert company.get(reverse("supervision:detail", args=[blocker.pk])).status_code == 403
    assert company.get(reverse("supervision:export")).status_code == 403


def test_summary_figures_link_to_their_rows(sup, two, client_for):
    client = client_for(sup.member)
    r = client.get(reverse("supervision:list"), {"unit": sup.unit2.pk, "state": "open"})
    page = r.content.decode()
    assert "环评批复滞后" in page and "用地指标未落实" not in page


def test_export_neutralises_formulas_and_has_the_filtered_rows(sup, client_for):
    raise_one(sup, "=HYPERLINK(1)")
    r = client_for(sup.member).get(reverse("supervision:export"), {"unit": sup.unit.pk})
    assert r.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[2][1] == "'=HYPERLINK(1)"


def test_detail_shows_actions_for_the_unit_and_the_timeline(
    sup, blocker, client_for, django_assert_max_num_queries
):
    client = client_for(sup.unit_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("supervision:detail", args=[blocker.pk])).content.decode()
    assert "办结" in page and "答复内容" in page and "核实销号" not in page
    assert "提出" in page


def test_answer_and_resolve_through_htmx(sup, blocker, client_for):
    client = client_for(sup.unit_user)
    url = reverse("supervision:action", args=[blocker.pk, "answer"])
    r = client.post(url, {"text": "正在协调"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "已答复" in r.content.decode()
    r = client.post(
        reverse("supervision:action", args=[blocker.pk, "resolve"]),
        {"text": "已解决"},
        HTTP_HX_REQUEST="true",
    )
    assert "已办结" in r.content.decode()
    blocker.refresh_from_db()
    assert blocker.status == Blocker.Status.RESOLVED


def test_wrong_role_cannot_act(sup, blocker, client_for):
    url = reverse("supervision:action", args=[blocker.pk, "resolve"])
    assert client_for(sup.unit2_user).post(url, {"text": "x"}).status_code == 404
    assert client_for(sup.member).post(url, {"text": "x"}).status_code == 403
    assert client_for(sup.outsider).post(url, {"text": "x"}).status_code == 404
    blocker.refresh_from_db()
    assert blocker.status == Blocker.Status.OPEN


def test_empty_answer_is_refused_with_a_message(sup, blocker, client_for):
    url = reverse("supervision:action", args=[blocker.pk, "answer"])
    r = client_for(sup.unit_user).post(url, {"text": " "}, follow=True)
    assert "请填写答复内容" in r.content.decode()


def test_raise_from_a_project_page_preselects_the_project(sup, project, client_for):
    client = client_for(sup.member)
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert f"/supervision/new/?project={project.pk}" in detail
    url = reverse("supervision:create") + f"?project={project.pk}"
    form = client.get(url).content.decode()
    assert f'<option value="{project.pk}" selected>' in form
    r = client.post(
        url,
        {
            "title": "施工用电未接入",
            "description": "需供电公司协调",
            "unit": sup.unit.pk,
            "days": 5,
            "project": project.pk,
        },
    )
    assert r.status_code == 302
    b = Blocker.objects.get(title="施工用电未接入")
    assert b.project == project and b.raised_by == sup.member
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("supervision:project", args=[project.pk]) in detail
    rows = client.get(reverse("supervision:project", args=[project.pk])).content.decode()
    assert "施工用电未接入" in rows


def test_raise_from_a_monthly_report_takes_its_problems(sup, project, client_for):
    projects.change_stage(sup.owner, project, "started", on=datetime.date.today())
    report = projects.file_progress(
        sup.member,
        project,
        period=datetime.date.today().replace(day=1),
        invested=100,
        progress="主体施工",
        problems="缺少施工用水\n其他",
    )
    client = client_for(sup.member)
    url = reverse("supervision:create") + f"?report={report.pk}"
    page = client.get(url).content.decode()
    assert 'value="缺少施工用水"' in page
    client.post(
        url, {"title": "缺少施工用水", "unit": sup.unit.pk, "days": 3, "project": project.pk}
    )
    assert Blocker.objects.get(title="缺少施工用水").progress_report == report


def test_raise_form_needs_days_or_date(sup, client_for):
    r = client_for(sup.member).post(
        reverse("supervision:create"), {"title": "x", "unit": sup.unit.pk}
    )
    assert "二选一" in r.content.decode()
    assert not Blocker.objects.exists()


def test_unit_user_cannot_open_the_raise_form(sup, client_for):
    assert client_for(sup.unit_user).get(reverse("supervision:create")).status_code == 403
    assert client_for(sup.outsider).get(reverse("supervision:create")).status_code == 200


def test_today_page_lists_overdue_blockers_of_the_unit(
    sup, blocker, client_for, django_assert_max_num_queries
):
    Blocker.objects.filter(pk=blocker.pk).update(
        raised_on=datetime.date(2026, 1, 5), deadline=datetime.date(2026, 1, 9)
    )
    client = client_for(sup.unit_user)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("supervision:today")).content.decode()
    assert "用地指标未落实" in page
    other = client_for(sup.unit2_user).get(reverse("supervision:today")).content.decode()
    assert "用地指标未落实" not in other


def test_inbox_and_today_are_for_staff_only(sup, blocker, client_for):
    company = client_for(sup.enterprise_user)
    assert company.get(reverse("supervision:inbox")).status_code == 403
    assert company.get(reverse("supervision:today")).status_code == 403
    outsider = client_for(sup.outsider)
    assert "用地指标未落实" not in outsider.get(reverse("supervision:inbox")).content.decode()
    assert "用地指标未落实" not in outsider.get(reverse("supervision:today")).content.decode()


def test_inbox_and_export_query_counts_stay_bounded(
    sup, blocker, theirs, client_for, django_assert_max_num_queries
):
    for i in range(5):
        raise_one(sup, f"问题{i}")
    client = client_for(sup.unit_user)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("supervision:inbox")).content.decode()
    assert page.count("问题") >= 5
    member = client_for(sup.member)
    with django_assert_max_num_queries(10):
        assert member.get(reverse("supervision:export")).status_code == 200


def test_today_lists_late_approval_steps_and_missing_reports(sup, project, client_for):
    projects.change_stage(sup.owner, project, "started", on=datetime.date(2026, 1, 5))
    projects.add_approval_step(
        sup.member,
        project,
        kind="eia",
        committed_days=5,
        status="active",
        started_on=datetime.date(2026, 1, 5),
    )
    page = client_for(sup.member).get(reverse("supervision:today")).content.decode()
    assert "环评" in page and "强伟纸业二期" in page
    assert client_for(sup.unit2_user).get(reverse("supervision:today")).status_code == 200


def test_project_section_is_scoped(sup, project, blocker, theirs, client_for):
    from zonedesk.supervision.models import Blocker as B

    B.objects.filter(pk__in=[blocker.pk, theirs.pk]).update(project=project)
    url = reverse("supervision:project", args=[project.pk])
    mine = client_for(sup.unit_user).get(url).content.decode()
    assert "用地指标未落实" in mine and "环评批复滞后" not in mine
    assert client_for(sup.outsider).get(url).status_code == 404
    assert client_for(sup.enterprise_user).get(url).status_code == 403
    page = client_for(sup.unit_user).get(reverse("projects:detail", args=[project.pk]))
    assert "提出问题" not in page.content.decode()  # units answer, they do not raise


def test_raise_from_an_enterprise_page_preselects_the_enterprise(sup, client_for):
    e = sup.enterprise
    client = client_for(sup.member)
    page = client.get(reverse("enterprises:detail", args=[e.pk])).content.decode()
    assert f"/supervision/new/?enterprise={e.pk}" in page
    url = reverse("supervision:create") + f"?enterprise={e.pk}"
    assert f'<option value="{e.pk}" selected>' in client.get(url).content.decode()
    r = client.post(
        url,
        {
            "title": "蒸汽管网未接通",
            "description": "请协调",
            "unit": sup.unit.pk,
            "days": 3,
            "enterprise": e.pk,
        },
    )
    assert r.status_code == 302
    assert Blocker.objects.get(title="蒸汽管网未接通").enterprise == e


def test_enterprise_page_offers_raising_only_to_raisers_and_hides_other_zones(sup, client_for):
    e = sup.enterprise
    link = f"/supervision/new/?enterprise={e.pk}"
    unit_page = client_for(sup.unit_user).get(reverse("enterprises:detail", args=[e.pk]))
    assert link not in unit_page.content.decode()
    other = client_for(sup.outsider).get(reverse("supervision:create") + f"?enterprise={e.pk}")
    assert other.status_code == 404  # another zone's enterprise is not theirs to see
