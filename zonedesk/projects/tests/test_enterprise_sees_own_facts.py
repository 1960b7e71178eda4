"""An enterprise contact reads its own project's facts, not the government's cockpit, board,
registers or warning colours; staff keep all of them."""

import pytest
from django.urls import reverse

from zonedesk.projects.tests.conftest import make_project

GOVERNMENT_PAGES = ["projects:cockpit", "projects:board", "projects:list", "projects:export"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", GOVERNMENT_PAGES)
def test_the_governments_pages_refuse_an_enterprise_in_the_house_style(world, client_for, name):
    response = client_for(world.enterprise_user).get(reverse(name))
    assert response.status_code == 403
    assert "企业请在“本企业”页查看自己的项目" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", GOVERNMENT_PAGES)
def test_staff_still_open_them(world, client_for, name):
    assert client_for(world.owner).get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_the_enterprise_reads_its_project_without_the_warning_colour(
    world, client_for, django_assert_max_num_queries
):
    project = make_project(world, enterprise=world.enterprise)
    url = reverse("projects:detail", args=[project.pk])
    with django_assert_max_num_queries(25):
        own = client_for(world.enterprise_user).get(url)
    assert own.status_code == 200
    assert project.name in own.content.decode()
    assert 'class="dot' not in own.content.decode()
    # its way back is its own enterprise's page, not the register it may not open
    assert f'href="{reverse("projects:list")}"' not in own.content.decode()
    assert reverse("enterprises:detail", args=[world.enterprise.pk]) in own.content.decode()
    assert 'class="dot' in client_for(world.owner).get(url).content.decode()


@pytest.mark.django_db
def test_another_enterprises_project_stays_hidden(world, client_for):
    project = make_project(
        world, org=world.other_zone, team=None, enterprise=world.other_enterprise
    )
    url = reverse("projects:detail", args=[project.pk])
    assert client_for(world.enterprise_user).get(url).status_code == 404
