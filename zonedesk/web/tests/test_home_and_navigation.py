"""The home page greets each user with their roles, shows what their role reaches, and the
menu offers only the pages the role may use — in Chinese by default, in English on request."""

import re

import pytest

from zonedesk.catalog.validators import make_uscc
from zonedesk.enterprises.services import create_enterprise
from zonedesk.orgs import services
from zonedesk.orgs.models import Role, Team, User

# The menu in its groups: 项目 / 招商 / 督办 / 企业服务 / 经济运行 / 管理.
PROJECT_NAV = ["领导驾驶舱", "项目库", "四库看板"]
LEAD_NAV = ["招商线索", "招商大比拼"]
SUPERVISION_NAV = ["日碰头", "问题督办", "调度会"]
SERVICE_NAV = ["企业", "企业诉求", "以月答卷", "企业称号", "惠企资金"]
WORK_NAV = [*PROJECT_NAV, *LEAD_NAV, *SUPERVISION_NAV, *SERVICE_NAV]
STAFF_NAV = ["首页", *WORK_NAV, "经济运行", "周期报告", "组织机构", "消息", "个人设置"]
OFFICER_NAV = [
    "首页",
    *WORK_NAV,
    "经济运行",
    "周期报告",
    "导入台账",
    "组织机构",
    "消息",
    "个人设置",
]
UNIT_NAV = [
    "首页",
    "项目库",
    "日碰头",
    "问题督办",
    "待办督办",
    "调度会",
    "企业",
    "企业诉求",
    "以月答卷",
    "企业称号",
    "惠企资金",
    "待办诉求",
    "组织机构",
    "消息",
    "个人设置",
]
ADMIN_NAV = [
    "首页",
    *WORK_NAV,
    "诉求类别",
    "经济运行",
    "指标填报",
    "周期报告",
    "月报关账",
    "导入台账",
    "组织机构",
    "用户管理",
    "审计日志",
    "指标目录",
    "工作日历",
    "消息推送",
    "消息",
    "个人设置",
]
CONTACT_NAV = ["首页", "本企业", "提诉求", "我的诉求", "消息", "个人设置"]


def nav_labels(response):
    return [str(item["label"]) for item in response.context["nav_items"]]


def sidenav_links(response):
    """The link texts of the side navigation as rendered."""
    html = response.content.decode()
    nav = re.search(r'<nav class="sidenav".*?</nav>', html, re.S).group(0)
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


@pytest.mark.parametrize(
    "who, greeting, role_line",
    [
        ("owner", "您好，Owner", "<strong>系统管理员</strong> · 寿阳经济技术开发区"),
        ("member", "您好，Member", "<strong>项目专员</strong> · 寿阳经济技术开发区"),
        (
            "unit_user",
            "您好，Unituser",
            "<strong>部门人员</strong> · 寿阳经济技术开发区 · 企业服务中心",
        ),
        (
            "enterprise_user",
            "您好，Qiangwei",
            "<strong>企业联系人</strong> · 寿阳经济技术开发区 · 山西强伟纸业有限公司",
        ),
        ("viewer", "您好，Viewer", "<strong>查阅人员</strong> · 晋中市"),
        ("outsider", "您好，Outsider", "<strong>系统管理员</strong> · 太谷经济技术开发区"),
    ],
)
def test_home_greets_each_role_with_its_name_role_and_organisation(
    world, client_for, who, greeting, role_line
):
    response = client_for(getattr(world, who)).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert greeting in html
    assert role_line in html


def test_home_lists_every_role_a_user_holds(world, client_for):
    services.grant_role(None, user=world.member, org=world.park, role=Role.Name.LEADER)
    html = client_for(world.member).get("/").content.decode()
    assert "<strong>项目专员</strong> · 寿阳经济技术开发区" in html
    assert "<strong>领导</strong> · 造纸产业园" in html


def test_a_user_whose_only_role_is_at_a_closed_org_is_told_to_ask_an_admin(world, client_for):
    user = services.create_user(
        None,
        username="norole",
        name="无角色",
        password="Zonedesk@2026",
        org=world.park,
        role=Role.Name.OFFICER,
    )
    services.update_org(world.owner, world.park, {"is_active": False})

    response = client_for(user).get("/")
    assert "您还没有任何角色，请联系系统管理员。" in response.content.decode()
    assert "counts" not in response.context
    assert nav_labels(response) == ["首页", "消息", "个人设置"]


def test_home_counts_what_the_admin_reaches(world, client_for):
    response = client_for(world.owner).get("/")
    assert response.context["counts"] == {
        "orgs": 2,
        "units": 1,
        "teams": 1,
        "enterprises": 1,
        "users": 4,
    }
    events = response.context["recent_events"]
    assert events and all(e.org.path.startswith(world.zone.path) for e in events)
    assert "山西亮拓精密铸造有限公司" not in response.content.decode()


def test_an_officer_gets_no_tree_counts_but_the_officers_own_cards_and_teams(world, client_for):
    response = client_for(world.member).get("/")
    assert response.context["counts"] == {}
    assert "recent_events" not in response.context
    assert {"my_warnings", "reports_due", "my_blockers"} <= response.context.keys()
    assert "强伟项目专班" in response.content.decode()


def test_home_of_an_enterprise_contact_shows_its_enterprise_and_no_counts(world, client_for):
    response = client_for(world.enterprise_user).get("/")
    assert "counts" not in response.context
    assert response.context["own_enterprises"] == [world.enterprise]
    html = response.content.decode()
    assert f'href="/enterprises/{world.enterprise.pk}/"' in html and world.enterprise.uscc in html


@pytest.mark.parametrize(
    "who, labels",
    [
        ("owner", ADMIN_NAV),
        ("outsider", ADMIN_NAV),
        ("member", OFFICER_NAV),
        ("unit_user", UNIT_NAV),
        ("viewer", STAFF_NAV),
        ("enterprise_user", CONTACT_NAV),
    ],
)
def test_navigation_fits_the_role(world, client_for, who, labels):
    response = client_for(getattr(world, who)).get("/")
    assert nav_labels(response) == labels
    assert sidenav_links(response) == labels


def test_an_officer_sees_neither_user_management_nor_the_audit_log(world, client_for):
    html = client_for(world.member).get("/").content.decode()
    assert "用户管理" not in html and "审计日志" not in html
    assert 'href="/users/"' not in html and 'href="/audit/"' not in html


def test_an_enterprise_contact_sees_its_enterprise_but_not_the_org_tree(world, client_for):
    html = client_for(world.enterprise_user).get("/").content.decode()
    assert ">本企业<" in html
    assert "组织机构" not in html and 'href="/orgs/"' not in html


def test_a_superuser_sees_every_staff_page_but_not_the_contact_entry(world, client_for):
    root = User.objects.create_superuser("root", "root@example.cn", "Zonedesk@2026")
    response = client_for(root).get("/")
    assert nav_labels(response) == ADMIN_NAV
    assert "超级管理员（全部范围）" in response.content.decode()


def test_the_current_page_is_marked_in_the_navigation(world, client_for):
    response = client_for(world.owner).get("/enterprises/")
    active = [str(i["label"]) for i in response.context["nav_items"] if i["active"]]
    assert active == ["企业"]
    assert (
        '<a href="/enterprises/" class="active" aria-current="page">企业</a>'
        in response.content.decode()
    )


def test_pages_are_chinese_by_default(world, client_for):
    html = client_for(world.owner).get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert ">首页<" in html


def test_switching_to_english_renders_english_navigation(world, client_for):
    """Needs the English catalogue (zonedesk/locale/en/LC_MESSAGES/django.mo)."""
    client = client_for(world.owner)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302 and switched["Location"] == "/"

    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    labels = nav_labels(response)
    assert labels[0] == "Home"
    assert len(labels) == len(ADMIN_NAV)
    assert not [label for label in labels if re.search(r"[\u4e00-\u9fff]", label)], labels


def test_home_needs_a_login(world, client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def add_data(world, n):
    for i in range(n):
        unit = services.create_unit(None, org=world.zone, name=f"部门{i}")
        create_enterprise(None, org=world.park, name=f"企业{i}", uscc=make_uscc(f"首页{i}"))
        services.create_team(
            None,
            org=world.zone,
            kind=Team.Kind.TASK_FORCE,
            name=f"专班{i}",
            members=[world.member, world.owner],
        )
        services.update_unit(world.owner, unit, {"name": f"部门{i}", "phone": f"0354-{i:07d}"})


@pytest.mark.parametrize("who, bound", [("owner", 13), ("member", 9), ("enterprise_user", 4)])
def test_home_query_count_does_not_grow_with_data(
    world, client_for, django_assert_max_num_queries, who, bound
):
    client = client_for(getattr(world, who))
    client.get("/")

    with django_assert_max_num_queries(bound) as few:
        client.get("/")
    add_data(world, 30)
    with django_assert_max_num_queries(bound) as many:
        response = client.get("/")

    assert response.status_code == 200
    assert len(many) == len(few)


def test_an_english_request_leaves_the_thread_in_the_default_language(world, client_for):
    from django.utils import translation

    client = client_for(world.owner)
    client.cookies["django_language"] = "en"
    assert client.get("/")["Content-Language"] == "en"
    assert translation.get_language() == "zh-hans"
