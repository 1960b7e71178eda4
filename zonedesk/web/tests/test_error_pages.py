"""What a user meets when a page is refused, missing or broken: the house's page in their
language, saying why and offering a way back — never Django's bare English pages. The API
keeps answering JSON."""

import json

import pytest
from django.test import Client, RequestFactory

from zonedesk.web.errors import server_error


def way_back(html):
    return 'href="javascript:history.back()"' in html and 'href="/"' in html


def test_a_page_the_role_may_not_open_answers_the_house_403(world, client_for):
    response = client_for(world.unit_user).get("/reports/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>无权访问</h1>" in html and way_back(html)
    assert "403 Forbidden" not in html


def test_a_record_out_of_reach_answers_the_house_404_without_djangos_text(world, client_for):
    response = client_for(world.member).get("/projects/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in html and "不在您的查看范围内" in html and way_back(html)
    assert "matches the given query" not in html


def test_an_unknown_address_answers_the_house_404(world, client_for):
    response = client_for(world.member).get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in response.content.decode()


def test_the_error_pages_follow_the_users_language(world, client_for):
    client = client_for(world.member)
    client.cookies["django_language"] = "en"
    html = client.get("/projects/999999/").content.decode()
    assert "<h1>Page not found</h1>" in html and "页面不存在" not in html


def test_a_stale_form_answers_a_chinese_csrf_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member)
    response = client.post("/profile/password/", {"old_password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "安全校验失败" in html and way_back(html)
    assert "CSRF verification failed" not in html


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/projects/", "<h1>系统出错</h1>"), ("/api/v1/projects", "服务器处理请求时出错")],
)
def test_a_server_error_answers_without_touching_the_database(
    db, django_assert_num_queries, path, expected
):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get(path))
    assert response.status_code == 500
    body = response.content.decode()
    assert expected in (json.loads(body)["detail"] if path.startswith("/api/") else body)
