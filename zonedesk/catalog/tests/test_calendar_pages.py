"""The calendar pages: admins only, manual edits, imports from xlsx and csv, query counts."""

import datetime as dt
import io
import re

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zonedesk.audit.models import AuditEvent
from zonedesk.catalog import calendar
from zonedesk.catalog.models import CalendarDay, CalendarYear

D = dt.date
GET_PAGES = {"calendar": [], "calendar_year": [2027]}
POST_PAGES = {
    "calendar_day": {"date": "2027-01-01", "is_workday": "0", "name": "元旦"},
    "calendar_import": {},
    "calendar_publish": {"published": "1"},
}


def flashes(response):
    return re.findall(
        r'<p class="flash ([^"]+)" role="status">(.*?)</p>', response.content.decode()
    )


def xlsx(rows):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            else:
                sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile("2027.xlsx", out.getvalue())


def csv_file(text, encoding="utf-8", name="2027.csv"):
    return SimpleUploadedFile(name, text.encode(encoding))


def upload(client, year, file):
    return client.post(reverse("catalog:calendar_import", args=[year]), {"file": file})


def stored(year):
    return {d.date: (d.is_workday, d.name) for d in CalendarDay.objects.filter(date__year=year)}


# --- who may open them ------------------------------------------------------------------


@pytest.mark.parametrize("name", GET_PAGES)
def test_admin_and_superuser_see_the_pages(world, client_for, django_user_model, name):
    target = reverse(f"catalog:{name}", args=GET_PAGES[name])
    assert client_for(world.owner).get(target).status_code == 200
    root = django_user_model.objects.create_superuser(username="root", password="x")
    assert client_for(root).get(target).status_code == 200


@pytest.mark.parametrize("who", ["member", "viewer", "unit_user", "enterprise_user"])
@pytest.mark.parametrize("name", GET_PAGES)
def test_others_get_403(world, client_for, who, name):
    target = reverse(f"catalog:{name}", args=GET_PAGES[name])
    assert client_for(getattr(world, who)).get(target).status_code == 403


@pytest.mark.parametrize("name", POST_PAGES)
def test_others_may_not_post(world, client_for, name):
    target = reverse(f"catalog:{name}", args=[2027])
    assert client_for(world.member).post(target, POST_PAGES[name]).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize("name", [*GET_PAGES, *POST_PAGES])
def test_anonymous_visitor_is_sent_to_login(world, name):
    target = reverse(f"catalog:{name}", args=GET_PAGES.get(name, [2027]))
    response = Client().get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"
    response = Client().post(target, POST_PAGES.get(name, {}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize("name", POST_PAGES)
def test_post_endpoints_refuse_get(world, client_for, name):
    target = reverse(f"catalog:{name}", args=[2027])
    assert client_for(world.owner).get(target).status_code == 405


def test_years_outside_the_supported_range_are_404(world, client_for):
    client = client_for(world.owner)
    assert client.get(reverse("catalog:calendar_year", args=[1999])).status_code == 404
    assert client.get(reverse("catalog:calendar_year", args=[2101])).status_code == 404


# --- what they show ---------------------------------------------------------------------


def test_the_year_list_shows_published_and_estimated_years(world, client_for):
    response = client_for(world.owner).get(reverse("catalog:calendar"))
    years = {y["year"]: y for y in response.context["years"]}
    assert years.keys() >= set(range(2004, 2027))
    assert years[2024]["published"] and years[2024]["total"] == 251
    assert years[2024]["holidays"] == 19 and years[2024]["workdays"] == 8
    next_year = dt.date.today().year + 1
    if next_year > 2026:
        assert not years[next_year]["published"]
        assert "按周一至周五估算" in response.content.decode()
    assert reverse("catalog:calendar_year", args=[2024]) in response.content.decode()


def test_a_published_year_lists_its_holidays_and_workdays(world, client_for):
    response = client_for(world.owner).get(reverse("catalog:calendar_year", args=[2024]))
    html = response.content.decode()
    assert "2024年10月1日" in html and "国庆节" in html
    assert "2024年2月4日" in html and "春节调休上班" in html
    assert "2024年10月5日" not in html  # a Saturday off is no exception
    assert "尚未发布" not in html
    assert response.context["total"] == 251


def test_an_unpublished_year_says_it_is_estimated(world, client_for):
    response = client_for(world.owner).get(reverse("catalog:calendar_year", args=[2031]))
    assert "按周一至周五估算：2031年节假日安排尚未发布" in response.content.decode()
    assert response.context["total"] == 261  # 2031 has 261 weekdays


@pytest.mark.parametrize(
    ("name", "args", "bound"), [("calendar", [], 5), ("calendar_year", [2024], 5)]
)
def test_pages_make_few_queries(
    world, client_for, django_assert_max_num_queries, name, args, bound
):
    client = client_for(world.owner)
    with django_assert_max_num_queries(bound):
        assert client.get(reverse(f"catalog:{name}", args=args)).status_code == 200


# --- manual edit ---------------------------------------------------------------------------


def test_manual_edit_saves_the_day_and_records_an_event(world, client_for):
    client = client_for(world.owner)
    response = client.post(
        reverse("catalog:calendar_day", args=[2027]),
        {"date": "2027-01-01", "is_workday": "0", "name": "元旦"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("catalog:calendar_year", args=[2027])
    assert flashes(response) == [("success", "已保存2027-01-01的安排")]
    assert stored(2027) == {D(2027, 1, 1): (False, "元旦")}
    event = AuditEvent.objects.get(action="calendar.set_day")
    assert event.actor == world.owner
    assert event.target_repr == "2027年工作日历"
    assert event.changes == {"2027-01-01": [None, "放假 · 元旦"]}
    assert "元旦" in response.content.decode()


def test_restoring_the_rule_removes_the_day(world, client_for):
    client = client_for(world.owner)
    client.post(
        reverse("catalog:calendar_day", args=[2024]), {"date": "2024-10-01", "is_workday": "1"}
    )
    assert not CalendarDay.objects.filter(date=D(2024, 10, 1)).exists()
    assert calendar.is_workday(D(2024, 10, 1))


def test_manual_edit_redirects_to_the_year_of_the_date(world, client_for):
    response = client_for(world.owner).post(
        reverse("catalog:calendar_day", args=[2027]),
        {"date": "2028-01-03", "is_workday": "0", "name": "元旦"},
    )
    assert response["Location"] == reverse("catalog:calendar_year", args=[2028])


def test_manual_edit_with_a_bad_form_shows_errors(world, client_for):
    response = client_for(world.owner).post(
        reverse("catalog:calendar_day", args=[2027]),
        {"date": "2027-02-30", "is_workday": "0", "name": "元旦"},
    )
    assert response.status_code == 400
    assert response.context["day_form"].errors["date"]
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_publish_toggle(world, client_for):
    client = client_for(world.owner)
    client.post(reverse("catalog:calendar_publish", args=[2025]), {"published": "0"})
    assert calendar.estimated(D(2025, 3, 1))
    response = client.get(reverse("catalog:calendar_year", args=[2025]))
    assert "2025年节假日安排尚未发布" in response.content.decode()
    client.post(reverse("catalog:calendar_publish", args=[2025]), {"published": "1"})
    assert not calendar.estimated(D(2025, 3, 1))
    assert AuditEvent.objects.filter(action="calendar.publish").count() == 2


# --- import ------------------------------------------------------------------------------------


def test_import_xlsx_with_dates_serials_and_text(world, client_for):
    file = xlsx(
        [
            ["日期", "类型", "名称"],
            [D(2027, 1, 1), "放假", "元旦"],
            [46426, "放假", "春节"],  # 2027-02-08 as a plain number
            ["2027/2/9", "放假", "春节"],
            ["2027年2月20日", "上班", "春节调休上班"],
        ]
    )
    response = upload(client_for(world.owner), 2027, file)
    assert response.status_code == 302
    assert stored(2027) == {
        D(2027, 1, 1): (False, "元旦"),
        D(2027, 2, 8): (False, "春节"),
        D(2027, 2, 9): (False, "春节"),
        D(2027, 2, 20): (True, "春节调休上班"),
    }
    assert CalendarYear.objects.get(year=2027).published
    assert not calendar.estimated(D(2027, 6, 1))
    event = AuditEvent.objects.get(action="calendar.import")
    assert event.actor == world.owner and event.changes["published"] == [False, True]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_import_csv_in_the_encodings_excel_and_wps_use(world, client_for, encoding):
    text = "日期,类型,名称\r\n2027.1.1,放假,元旦\r\n2027-10-01,放假,国庆节\r\n"
    response = upload(client_for(world.owner), 2027, csv_file(text, encoding))
    assert response.status_code == 302
    assert stored(2027) == {D(2027, 1, 1): (False, "元旦"), D(2027, 10, 1): (False, "国庆节")}


def test_import_without_a_header_row(world, client_for):
    upload(client_for(world.owner), 2027, csv_file("2027-01-01,放假,元旦\n"))
    assert stored(2027) == {D(2027, 1, 1): (False, "元旦")}


def test_import_errors_name_the_file_rows_and_write_nothing(world, client_for):
    file = xlsx(
        [
            ["日期", "类型", "名称"],
            ["2027-01-01", "放假", "元旦"],
            ["2027-02-30", "放假", "春节"],
            [],
            ["2027-01-01", "放假", "元旦"],
        ]
    )
    response = upload(client_for(world.owner), 2027, file)
    assert response.status_code == 400
    errors = response.context["import_form"].non_field_errors()
    assert list(errors) == ["第3行：日期“2027-02-30”无效", "第5行：日期“2027-01-01”与第2行重复"]
    assert "第3行：日期“2027-02-30”无效" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.filter(action__startswith="calendar.").exists()


def test_import_refuses_other_files(world, client_for):
    client = client_for(world.owner)
    response = upload(client, 2027, csv_file("2027-01-01,放假,元旦", name="2027.txt"))
    assert response.context["import_form"].errors["file"] == ["只支持 .xlsx 或 .csv 文件"]
    response = upload(client, 2027, SimpleUploadedFile("2027.xlsx", b"not a workbook"))
    assert response.context["import_form"].errors["file"] == [
        "无法读取该文件，请确认是有效的 Excel 文件"
    ]
    response = upload(client, 2027, SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 1)))
    assert response.context["import_form"].errors["file"] == ["文件不能超过1MB"]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_import_replaces_a_seeded_year(world, client_for):
    upload(client_for(world.owner), 2026, csv_file("日期,类型,名称\n2026-01-01,放假,元旦\n"))
    assert stored(2026) == {D(2026, 1, 1): (False, "元旦")}
    assert CalendarYear.objects.get(year=2026).source == "import"
