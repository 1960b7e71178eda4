"""Every page in orgs/urls.py: who may open it, what it shows, its forms, its query count."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from zonedesk.audit.models import AuditEvent
from zonedesk.conftest import PASSWORD, make_user
from zonedesk.orgs import services
from zonedesk.orgs.models import Org, Role, Team, Unit, User

NEW_PASSWORD = "Shouyang#Kaifaqu9"
CONFLICT_CAPTION = "他人已保存的内容与您提交的不同"

# url name -> (object the url points at, in zone A)
GET_PAGES = {
    "tree": None,
    "org": "zone",
    "org_edit": "zone",
    "org_create": "zone",
    "unit_create": "zone",
    "unit_edit": "unit",
    "team_create": "zone",
    "team_edit": "team",
    "users": None,
    "user_create": None,
    "user": "member",
}
ADMIN_PAGES = [n for n in GET_PAGES if n not in ("tree", "org")]
ZONE_A_OBJECT_PAGES = [n for n, target in GET_PAGES.items() if target]


def url(world, name):
    target = GET_PAGES[name]
    return reverse(f"orgs:{name}", args=[getattr(world, target).pk] if target else [])


def post_urls(world):
    grant = world.member.roles.get()
    return {
        "user_grant": reverse("orgs:user_grant", args=[world.member.pk]),
        "user_revoke": reverse("orgs:user_revoke", args=[world.member.pk, grant.pk]),
        "user_password": reverse("orgs:user_password", args=[world.member.pk]),
    }


def flashes(response):
    """(level, text) of every flash message the page shows."""
    return re.findall(
        r'<p class="flash ([^"]+)" role="status">(.*?)</p>', response.content.decode()
    )


def field_errors(response, field):
    return list(response.context["form"].errors.get(field, []))


def fresh(model_obj):
    return type(model_obj).objects.get(pk=model_obj.pk)


# --- who may open what --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(GET_PAGES))
def test_anonymous_visitor_is_sent_to_login(world, name):
    target = url(world, name)
    response = Client().get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"


@pytest.mark.parametrize("name", ["user_grant", "user_revoke", "user_password"])
def test_anonymous_post_is_sent_to_login_and_changes_nothing(world, name):
    response = Client().post(
        post_urls(world)[name], {"org": world.zone.pk, "role": "admin", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert list(fresh(world.member).roles.values_list("role", flat=True)) == ["officer"]
    assert fresh(world.member).check_password(PASSWORD)


@pytest.mark.parametrize("name", list(GET_PAGES))
def test_zone_admin_opens_every_page(world, client_for, name):
    assert client_for(world.owner).get(url(world, name)).status_code == 200


@pytest.mark.parametrize("name", ["tree", "org"])
def test_officer_reads_tree_and_org_detail(world, client_for, name):
    assert client_for(world.member).get(url(world, name)).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_officer_is_refused_admin_pages(world, client_for, name):
    assert client_for(world.member).get(url(world, name)).status_code == 403


@pytest.mark.parametrize("name", ["user_grant", "user_revoke", "user_password"])
def test_officer_is_refused_user_actions(world, client_for, name):
    response = client_for(world.member).post(
        post_urls(world)[name], {"org": world.zone.pk, "role": "admin", "password": NEW_PASSWORD}
    )
    assert response.status_code == 403
    assert list(fresh(world.member).roles.values_list("role", flat=True)) == ["officer"]
    assert fresh(world.member).check_password(PASSWORD)


@pytest.mark.parametrize("name", ZONE_A_OBJECT_PAGES)
def test_other_zone_admin_gets_404_for_zone_a_objects(world, client_for, name):
    assert client_for(world.outsider).get(url(world, name)).status_code == 404


@pytest.mark.parametrize("name", ["user_grant", "user_revoke", "user_password"])
def test_other_zone_admin_gets_404_for_zone_a_user_actions(world, client_for, name):
    response = client_for(world.outsider).post(
        post_urls(world)[name],
        {"org": world.other_zone.pk, "role": "officer", "password": NEW_PASSWORD},
    )
    assert response.status_code == 404
    assert list(fresh(world.member).roles.values_list("role", flat=True)) == ["officer"]
    assert fresh(world.member).check_password(PASSWORD)


@pytest.mark.parametrize("name", ["tree", "org"])
def test_enterprise_contact_cannot_open_org_pages(world, client_for, name):
    assert client_for(world.enterprise_user).get(url(world, name)).status_code == 403


def test_city_viewer_reads_both_zones_but_edits_neither(world, client_for):
    client = client_for(world.viewer)
    page = client.get(url(world, "tree")).content.decode()
    assert "寿阳经济技术开发区" in page and "太谷经济技术开发区" in page
    assert client.get(reverse("orgs:org", args=[world.other_zone.pk])).status_code == 200
    assert client.get(reverse("orgs:org_edit", args=[world.zone.pk])).status_code == 403
    assert client.get(reverse("orgs:unit_edit", args=[world.other_unit.pk])).status_code == 403


@pytest.mark.parametrize("name", ["user_grant", "user_revoke", "user_password"])
def test_user_actions_accept_only_post(world, client_for, name):
    assert client_for(world.owner).get(post_urls(world)[name]).status_code == 405


# --- what the pages show -----------------------------------------------------------------------


def test_tree_shows_the_admins_zone_with_add_child_links_only_where_manageable(world, client_for):
    page = client_for(world.owner).get(url(world, "tree")).content.decode()
    assert f'href="/orgs/{world.zone.pk}/"' in page
    assert f'href="/orgs/{world.park.pk}/"' in page
    assert f'href="/orgs/{world.zone.pk}/new/"' in page
    assert f'href="/orgs/{world.park.pk}/new/"' not in page  # nothing goes below a park
    assert "太谷经济技术开发区" not in page
    assert "晋中市" not in page.split("<main>")[1]


def test_tree_offers_officer_no_add_child_links(world, client_for):
    page = client_for(world.member).get(url(world, "tree")).content.decode()
    assert f'href="/orgs/{world.zone.pk}/"' in page
    assert "/new/" not in page


def test_org_detail_shows_units_teams_and_people_with_edit_links_for_admin(world, client_for):
    page = client_for(world.owner).get(url(world, "org")).content.decode()
    for text in ("企业服务中心", "强伟项目专班", "Member", "Unituser", "系统管理员", "造纸产业园"):
        assert text in page
    for link in (
        reverse("orgs:org_edit", args=[world.zone.pk]),
        reverse("orgs:unit_edit", args=[world.unit.pk]),
        reverse("orgs:team_edit", args=[world.team.pk]),
        reverse("orgs:user", args=[world.member.pk]),
    ):
        assert f'href="{link}"' in page


def test_org_detail_for_officer_has_no_edit_links(world, client_for):
    page = client_for(world.member).get(url(world, "org")).content.decode()
    assert "企业服务中心" in page and "强伟项目专班" in page
    assert "/edit/" not in page
    assert f'href="{reverse("orgs:user", args=[world.owner.pk])}"' not in page


def test_users_page_lists_only_users_in_scope(world, client_for):
    page = client_for(world.owner).get(url(world, "users")).content.decode()
    for person in (world.owner, world.member, world.unit_user, world.enterprise_user):
        assert f'href="/users/{person.pk}/"' in page
    for person in (world.outsider, world.viewer):
        assert f'href="/users/{person.pk}/"' not in page


def test_users_page_search_filters_by_username(world, client_for):
    page = client_for(world.owner).get(url(world, "users"), {"q": "unitus"}).content.decode()
    assert f'href="/users/{world.unit_user.pk}/"' in page
    assert f'href="/users/{world.member.pk}/"' not in page


def test_other_zone_admin_sees_only_own_users(world, client_for):
    page = client_for(world.outsider).get(url(world, "users")).content.decode()
    assert f'href="/users/{world.outsider.pk}/"' in page
    assert f'href="/users/{world.member.pk}/"' not in page


def test_user_page_shows_grants_with_revoke_buttons(world, client_for):
    page = client_for(world.owner).get(url(world, "user")).content.decode()
    grant = world.member.roles.get()
    assert "项目专员 · 寿阳经济技术开发区" in page
    assert reverse("orgs:user_revoke", args=[world.member.pk, grant.pk]) in page


def test_only_the_current_section_is_marked_in_navigation(world, client_for):
    """On the organisation tree only 组织机构 is current, not 用户管理 as well."""
    page = client_for(world.owner).get(url(world, "tree")).content.decode()
    current = set(
        re.findall(r'<a href="[^"]*" class="active" aria-current="page">([^<]+)</a>', page)
    )
    assert current == {"组织机构"}


# --- organisations: forms ------------------------------------------------------------------------


def test_create_org_through_the_form(world, client_for):
    client = client_for(world.owner)
    response = client.post(
        url(world, "org_create"),
        {"kind": "park", "name": "新材料产业园", "code": "", "stat_code": ""},
    )
    park = Org.objects.get(name="新材料产业园")
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:org", args=[park.pk])
    assert park.parent == world.zone and park.path == f"{world.zone.path}{park.pk}/"
    assert ("success", "已保存") in flashes(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "city", "name": "错位市"},
            "kind",
            "“市”不能设在“寿阳经济技术开发区”（开发区）之下",
        ),
        (
            {"kind": "park", "name": "造纸产业园"},
            "name",
            "寿阳经济技术开发区中已有名为“造纸产业园”的记录",
        ),
        (
            {"kind": "park", "name": "代码园", "code": "12345"},
            "code",
            "行政区划代码“12345”应为6位数字",
        ),
        (
            {"kind": "park", "name": "代码园", "code": "140703"},
            "code",
            "行政区划代码“140703”不属于上级“寿阳经济技术开发区”（140725）",
        ),
        ({"kind": "park", "name": ""}, "name", "这个字段是必填项。"),
    ],
)
def test_refused_org_is_rerendered_with_chinese_error_on_its_field(
    world, client_for, data, field, message
):
    before = Org.objects.count()
    response = client_for(world.owner).post(
        url(world, "org_create"), {"code": "", "stat_code": "", **data}
    )
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert f'<small class="error">{message}</small>' in response.content.decode()
    assert Org.objects.count() == before


def test_edit_org_through_the_form(world, client_for):
    client = client_for(world.owner)
    response = client.post(
        url(world, "org_edit"),
        {
            "kind": "zone",
            "name": "寿阳经开区",
            "code": "140725",
            "stat_code": "",
            "is_active": "on",
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:org", args=[world.zone.pk])
    stored = fresh(world.zone)
    assert (stored.name, stored.code, stored.version) == ("寿阳经开区", "140725", 2)
    assert AuditEvent.objects.get(action="org.update").changes == {
        "name": ["寿阳经济技术开发区", "寿阳经开区"]
    }


def test_edit_org_page_is_prefilled_with_the_current_version(world, client_for):
    services.update_org(
        None,
        world.zone,
        {
            "kind": "zone",
            "name": "寿阳经开区",
            "code": "140725",
            "stat_code": "",
            "is_active": True,
        },
    )
    page = client_for(world.owner).get(url(world, "org_edit")).content.decode()
    assert 'name="version" value="2"' in page
    assert 'value="寿阳经开区"' in page


# --- units: forms and the conflict page ---------------------------------------------------------


def test_create_unit_through_the_form(world, client_for):
    client = client_for(world.owner)
    response = client.post(
        url(world, "unit_create"), {"name": "自然资源所", "phone": "0354-4012345"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:org", args=[world.zone.pk])
    assert Unit.objects.get(name="自然资源所").org == world.zone
    assert ("success", "已保存") in flashes(client.get(response["Location"]))


def test_duplicate_unit_name_is_rerendered_on_name(world, client_for):
    response = client_for(world.owner).post(url(world, "unit_create"), {"name": "企业服务中心"})
    assert response.status_code == 200
    assert field_errors(response, "name") == ["寿阳经济技术开发区中已有名为“企业服务中心”的记录"]
    assert Unit.objects.filter(name="企业服务中心").count() == 1


def test_edit_unit_through_the_form(world, client_for):
    response = client_for(world.owner).post(
        url(world, "unit_edit"),
        {
            "name": "企业服务中心",
            "phone": "0354-4020000",
            "version": "1",  # is_active unticked
        },
    )
    assert response.status_code == 302
    stored = fresh(world.unit)
    assert (stored.phone, stored.is_active, stored.version) == ("0354-4020000", False, 2)


def test_second_edit_with_same_version_shows_the_difference_and_does_not_overwrite(
    world, client_for
):
    first, second = client_for(world.owner), client_for(world.owner)
    loaded = second.get(url(world, "unit_edit")).content.decode()
    assert 'name="version" value="1"' in loaded

    saved = first.post(
        url(world, "unit_edit"),
        {"name": "企业服务局", "phone": "", "is_active": "on", "version": "1"},
    )
    assert saved.status_code == 302
    response = second.post(
        url(world, "unit_edit"),
        {"name": "营商服务中心", "phone": "0354-1", "is_active": "on", "version": "1"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT_CAPTION in page
    rows = re.findall(r"<tr>(.*?)</tr>", page.split(CONFLICT_CAPTION)[1].split("</table>")[0])
    # One row per differing field: what this editor submitted, then what is stored.
    assert any(re.search(r"<td>营商服务中心</td><td>企业服务局</td>", row) for row in rows), rows
    assert any("<td>0354-1</td>" in row for row in rows), rows
    assert not any("is_active" in row or "启用" in row for row in rows), rows
    assert 'name="version" value="2"' in page  # resubmitting now means overwriting knowingly
    stored = fresh(world.unit)
    assert (stored.name, stored.phone, stored.version) == ("企业服务局", "", 2)
    assert AuditEvent.objects.filter(action="unit.update").count() == 1


def test_resubmitting_after_the_conflict_page_overwrites(world, client_for):
    client = client_for(world.owner)
    client.post(
        url(world, "unit_edit"),
        {"name": "企业服务局", "phone": "", "is_active": "on", "version": "1"},
    )
    client.post(
        url(world, "unit_edit"),
        {"name": "营商服务中心", "phone": "", "is_active": "on", "version": "1"},
    )
    response = client.post(
        url(world, "unit_edit"),
        {"name": "营商服务中心", "phone": "", "is_active": "on", "version": "2"},
    )
    assert response.status_code == 302
    assert fresh(world.unit).name == "营商服务中心"


# --- teams: forms ----------------------------------------------------------------------------------


def test_create_team_through_the_form(world, client_for):
    response = client_for(world.owner).post(
        url(world, "team_create"),
        {
            "kind": "investment",
            "name": "新材料招商战队",
            "chain": "新材料",
            "leader": world.owner.pk,
            "members": [world.member.pk, world.unit_user.pk],
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(name="新材料招商战队")
    assert team.leader == world.owner
    assert sorted(u.username for u in team.members.all()) == ["member", "unituser"]
    assert AuditEvent.objects.filter(action="team.members", target_id=str(team.pk)).exists()


def test_team_form_does_not_offer_users_outside_the_admins_scope(world, client_for):
    response = client_for(world.owner).post(
        url(world, "team_create"),
        {
            "kind": "investment",
            "name": "越界战队",
            "members": [world.outsider.pk],
        },
    )
    assert response.status_code == 200
    assert field_errors(response, "members")
    assert not Team.objects.filter(name="越界战队").exists()


def test_team_member_without_role_under_the_node_is_rerendered_on_members(world, client_for):
    city_admin = make_user("cityadmin", world.city, Role.Name.ADMIN)  # sees the users of both zones
    response = client_for(city_admin).post(
        url(world, "team_create"),
        {
            "kind": "taskforce",
            "name": "越界专班",
            "members": [world.member.pk, world.outsider.pk],
        },
    )
    assert response.status_code == 200
    message = "“Outsider”在“寿阳经济技术开发区”没有角色，不能加入该团队"
    assert field_errors(response, "members") == [message]
    assert message in response.content.decode()
    assert not Team.objects.filter(name="越界专班").exists()


def test_edit_team_members_through_the_form(world, client_for):
    response = client_for(world.owner).post(
        url(world, "team_edit"),
        {
            "kind": "taskforce",
            "name": "强伟项目专班",
            "chain": "造纸",
            "members": [world.unit_user.pk],
            "is_active": "on",
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:org", args=[world.zone.pk])
    team = fresh(world.team)
    assert team.chain == "造纸"
    assert [u.username for u in team.members.all()] == ["unituser"]
    event = (
        AuditEvent.objects.filter(action="team.members", target_id=str(team.pk))
        .order_by("-id")
        .first()
    )
    assert event.changes == {"members": [["Member"], ["Unituser"]]}


def test_team_edit_page_keeps_a_leader_and_member_from_above_the_zone(world, client_for):
    """包联领导 are often county leaders. Editing the team in the zone must not drop them.

    The page must offer the current leader and members as selected choices; otherwise the
    browser submits the form without them and saving silently removes them.
    """
    county_leader = make_user("countyleader", world.county, Role.Name.LEADER)
    services.update_team(
        None,
        world.team,
        {
            "kind": "taskforce",
            "name": "强伟项目专班",
            "chain": "",
            "leader": county_leader,
            "is_active": True,
        },
        members=[world.member, county_leader],
    )
    page = client_for(world.owner).get(url(world, "team_edit")).content.decode()
    assert f'<option value="{county_leader.pk}" selected>' in page
    assert re.search(
        rf'<input type="checkbox" name="members" value="{county_leader.pk}"[^>]*checked', page
    )


# --- users: forms ------------------------------------------------------------------------------------


def new_user_form(world, **changes):
    data = {
        "username": "zhangwei",
        "name": "张伟",
        "password": NEW_PASSWORD,
        "email": "",
        "phone": "",
        "org": world.zone.pk,
        "role": "officer",
        "unit": "",
        "enterprise": "",
    }
    data.update(changes)
    return data


def test_create_user_through_the_form(world, client_for):
    client = client_for(world.owner)
    response = client.post(url(world, "user_create"), new_user_form(world))
    user = User.objects.get(username="zhangwei")
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:user", args=[user.pk])
    assert user.check_password(NEW_PASSWORD)
    assert [(r.org, r.role) for r in user.roles.all()] == [(world.zone, "officer")]
    assert ("success", "已保存") in flashes(client.get(response["Location"]))


def test_create_user_page_preselects_the_org_from_the_link(world, client_for):
    page = (
        client_for(world.owner)
        .get(url(world, "user_create"), {"org": world.park.pk})
        .content.decode()
    )
    assert f'<option value="{world.park.pk}" selected>' in page


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"password": "12345678"}, "password", "密码只包含数字"),
        ({"username": "OWNER"}, "username", "用户名“OWNER”已被使用"),
        ({"role": "unit"}, "unit", "部门人员角色须指定所属部门"),
        ({"role": "enterprise"}, "enterprise", "企业联系人角色须指定企业"),
        ({"org": "other_zone"}, "org", "选择一个有效的选项"),
    ],
)
def test_refused_user_is_rerendered_with_chinese_error_on_its_field(
    world, client_for, changes, field, fragment
):
    if changes.get("org") == "other_zone":
        changes = {"org": world.other_zone.pk}
    response = client_for(world.owner).post(
        url(world, "user_create"), new_user_form(world, **changes)
    )
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert any(fragment in e for e in errors), errors
    assert fragment in response.content.decode()
    assert not User.objects.filter(username__iexact="zhangwei").exists()


def test_edit_user_through_the_form(world, client_for):
    client = client_for(world.owner)
    response = client.post(
        url(world, "user"),
        {"name": "李明", "email": "", "phone": "139", "is_active": "on", "version": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:user", args=[world.member.pk])
    stored = fresh(world.member)
    assert (stored.name, stored.phone) == ("李明", "139")
    assert ("success", "已保存") in flashes(client.get(response["Location"]))


def test_admin_deactivating_self_gets_error_on_is_active(world, client_for):
    response = client_for(world.owner).post(
        reverse("orgs:user", args=[world.owner.pk]),
        {"name": "Owner", "email": "", "phone": "", "version": "1"},
    )
    assert response.status_code == 200
    assert field_errors(response, "is_active") == ["不能停用自己的账号"]
    assert "不能停用自己的账号" in response.content.decode()
    assert fresh(world.owner).is_active


def test_grant_role_through_the_form(world, client_for):
    client = client_for(world.owner)
    response = client.post(post_urls(world)["user_grant"], {"org": world.park.pk, "role": "leader"})
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:user", args=[world.member.pk])
    assert world.member.roles.filter(org=world.park, role="leader").exists()
    assert ("success", "已授予角色") in flashes(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "unit"}, "部门人员角色须指定所属部门"),
        ({"role": "officer"}, "该用户在“寿阳经济技术开发区”已有此角色"),
        ({"role": "unit", "unit": "other_unit"}, "选择一个有效的选项"),
    ],
)
def test_refused_grant_is_flashed_and_grants_nothing(world, client_for, data, message):
    if data.get("unit") == "other_unit":
        data = {**data, "unit": world.other_unit.pk}
    client = client_for(world.owner)
    response = client.post(
        post_urls(world)["user_grant"], {"org": world.zone.pk, **data}, follow=True
    )
    assert response.redirect_chain == [(reverse("orgs:user", args=[world.member.pk]), 302)]
    errors = [text for level, text in flashes(response) if level == "error"]
    assert len(errors) == 1 and message in errors[0]
    assert list(fresh(world.member).roles.values_list("role", flat=True)) == ["officer"]


def test_revoke_role_through_the_form(world, client_for):
    extra = services.grant_role(None, user=world.member, org=world.park, role=Role.Name.LEADER)
    response = client_for(world.owner).post(
        reverse("orgs:user_revoke", args=[world.member.pk, extra.pk]), follow=True
    )
    assert response.redirect_chain == [(reverse("orgs:user", args=[world.member.pk]), 302)]
    assert ("success", "已撤销角色") in flashes(response)
    assert list(fresh(world.member).roles.values_list("role", flat=True)) == ["officer"]
    assert AuditEvent.objects.filter(
        action="user.revoke_role", target_id=str(world.member.pk)
    ).exists()


def test_revoking_a_users_last_role_does_not_end_on_a_404(world, client_for):
    """A user without roles would vanish from every admin's sight: the last role stays."""
    response = client_for(world.owner).post(post_urls(world)["user_revoke"], follow=True)
    assert response.status_code == 200
    assert ("error", "这是该用户唯一的角色：请先授予其他角色，或停用该账号") in flashes(response)


def test_admin_revoking_own_admin_role_is_told_no(world, client_for):
    grant = world.owner.roles.get()
    response = client_for(world.owner).post(
        reverse("orgs:user_revoke", args=[world.owner.pk, grant.pk]), follow=True
    )
    assert ("error", "不能撤销自己的管理员角色") in flashes(response)
    assert Role.objects.filter(pk=grant.pk).exists()


def test_revoke_url_cannot_reach_another_users_role(world, client_for):
    owners_grant = world.owner.roles.get()
    response = client_for(world.owner).post(
        reverse("orgs:user_revoke", args=[world.member.pk, owners_grant.pk])
    )
    assert response.status_code == 404
    assert Role.objects.filter(pk=owners_grant.pk).exists()


def test_reset_password_through_the_form(world, client_for):
    response = client_for(world.owner).post(
        post_urls(world)["user_password"], {"password": NEW_PASSWORD}, follow=True
    )
    assert ("success", "密码已重置") in flashes(response)
    assert fresh(world.member).check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"), [("12345678", "密码只包含数字"), ("", "这个字段是必填项")]
)
def test_refused_password_is_flashed_and_keeps_the_old_one(world, client_for, password, message):
    response = client_for(world.owner).post(
        post_urls(world)["user_password"], {"password": password}, follow=True
    )
    errors = [text for level, text in flashes(response) if level == "error"]
    assert len(errors) == 1 and message in errors[0]
    assert fresh(world.member).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password").exists()


# --- query counts ----------------------------------------------------------------------------------

# Measured counts + 2; the same bound must hold after the world grows.
QUERY_BOUNDS = {
    "tree": 6,  # measured 4
    "org": 11,  # 9
    "org_edit": 6,  # 4
    "org_create": 6,  # 4
    "unit_create": 6,  # 4
    "unit_edit": 6,  # 4
    "team_create": 8,  # 6
    "team_edit": 9,  # 7
    "users": 8,  # 6
    "user_create": 8,  # 6
    "user": 10,  # 8
}
# What the page must show once the world has grown, proving it rendered the new rows.
SHOWS_AFTER_GROWTH = {
    "tree": "扩展园区19",
    "org": "扩展战队19",
    "team_create": "扩展用户19",
    "team_edit": "扩展用户19",
    "users": "extra19",
    "user_create": "寿阳经济技术开发区 · 扩展部门19",
    "user": "扩展部门19",
}


def grow(world):
    """20 more parks, units, users (each with two roles) and teams (leader, three members)."""
    people = []
    for i in range(20):
        services.create_org(None, parent=world.zone, kind="park", name=f"扩展园区{i:02}")
        services.create_unit(None, org=world.zone, name=f"扩展部门{i:02}", phone=f"0354-{i:04}")
        person = make_user(f"extra{i:02}", world.zone, Role.Name.OFFICER)
        services.update_user(None, person, {"name": f"扩展用户{i:02}"})
        services.grant_role(None, user=person, org=world.park, role=Role.Name.LEADER)
        people.append(person)
    for i in range(20):
        services.create_team(
            None,
            org=world.zone,
            kind=Team.Kind.INVESTMENT,
            name=f"扩展战队{i:02}",
            leader=people[i],
            members=people[i : i + 3],
        )
    for role in ("leader", "promoter", "statistician"):  # the member's page lists more grants
        services.grant_role(None, user=world.member, org=world.park, role=role)


@pytest.mark.parametrize("name", list(GET_PAGES))
def test_page_query_count_is_bounded_and_does_not_grow(
    world, client_for, django_assert_max_num_queries, name
):
    client = client_for(world.owner)
    with django_assert_max_num_queries(QUERY_BOUNDS[name]):
        response = client.get(url(world, name))
    assert response.status_code == 200

    grow(world)

    with django_assert_max_num_queries(QUERY_BOUNDS[name]):
        response = client.get(url(world, name))
    assert response.status_code == 200
    if name in SHOWS_AFTER_GROWTH:
        assert SHOWS_AFTER_GROWTH[name] in response.content.decode()
