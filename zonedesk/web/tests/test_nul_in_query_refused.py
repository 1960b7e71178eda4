"""A NUL in the query string is refused with a 400 naming the parameter before any view runs:
PostgreSQL cannot hold one in a string and answered `?q=%00abc` with a 500."""

import pytest


@pytest.mark.parametrize("url", ["/api/v1/projects", "/api/v1/blockers", "/api/v1/enterprises"])
def test_a_nul_in_an_api_query_is_400_naming_the_parameter(world, api_for, url):
    response = api_for(world.owner).get(f"{url}?q=%00abc")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "查询参数“q”含有空字符（NUL）",
        "errors": {"q": ["查询参数“q”含有空字符（NUL）"]},
    }


def test_a_nul_in_an_export_filter_is_refused_too(world, api_for):
    response = api_for(world.owner).get("/api/v1/imports/exports/projects?chain=%00")

    assert response.status_code == 400
    assert response.json()["errors"] == {"chain": ["查询参数“chain”含有空字符（NUL）"]}


def test_a_nul_in_a_parameter_name_is_refused(world, api_for):
    response = api_for(world.owner).get("/api/v1/projects?q%00=1")

    assert response.status_code == 400
    assert response.json()["errors"] == {"q": ["查询参数“q”含有空字符（NUL）"]}


def test_a_nul_in_a_page_query_is_a_chinese_400_page(world, client_for):
    response = client_for(world.owner).get("/projects/?q=%00abc")

    assert response.status_code == 400
    assert "查询参数“q”含有空字符（NUL）" in response.content.decode()


def test_a_nul_in_the_path_is_refused(world, api_for):
    response = api_for(world.owner).get("/api/v1/imports/exports/%00")

    assert response.status_code == 400
    assert response.json() == {"detail": "地址含有空字符（NUL）"}


def test_the_same_search_without_the_nul_still_works(world, api_for):
    response = api_for(world.owner).get("/api/v1/enterprises?q=强伟")

    assert response.status_code == 200
    assert [e["name"] for e in response.json()["items"]] == ["山西强伟纸业有限公司"]
