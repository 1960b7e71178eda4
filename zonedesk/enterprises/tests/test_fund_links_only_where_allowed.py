"""The 惠企资金 list links only where the reader may go: an allocation's edit page for its
recipient's editors, a project's page for those who may read the project."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def links(client):
    response = client.get("/enterprises/funds/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_editor_gets_the_edit_and_project_links(world, client_for, registry):
    html = links(client_for(world.owner))
    assert reverse("enterprises:fund_edit", args=[registry.fund.pk]) in html
    assert reverse("projects:detail", args=[registry.project.pk]) in html


def test_a_unit_reads_the_funds_without_links_it_could_not_follow(world, client_for, registry):
    client = client_for(world.unit_user)
    html = links(client)
    assert "/enterprises/funds/" in html and registry.project.name in html
    assert reverse("enterprises:fund_edit", args=[registry.fund.pk]) not in html
    assert reverse("projects:detail", args=[registry.project.pk]) not in html
    # and what it is not shown, it may not open either
    assert client.get(reverse("enterprises:fund_edit", args=[registry.fund.pk])).status_code == 403
    assert client.get(reverse("projects:detail", args=[registry.project.pk])).status_code == 404


def test_another_zone_sees_none_of_them(world, client_for, registry):
    html = links(client_for(world.outsider))
    assert registry.project.name not in html


def test_the_links_cost_a_bounded_number_of_queries(
    world, client_for, registry, django_assert_max_num_queries
):
    client = client_for(world.unit_user)
    with django_assert_max_num_queries(16):
        links(client)
