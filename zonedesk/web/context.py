from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import STAFF_ROLES, role_names

ADMIN = {Role.Name.ADMIN}
LEAD_READERS = STAFF_ROLES - {Role.Name.UNIT}
ENTERPRISE = {Role.Name.ENTERPRISE}
UNIT = {Role.Name.UNIT}
IMPORTERS = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER, Role.Name.PROMOTER}
# appeals.selectors: promoters and statisticians have no business with enterprises' appeals.
APPEAL_READERS = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER, Role.Name.VIEWER, *UNIT}
# Those who generate or read the 月汇总 · 季分析 · 年交账 documents (reports.selectors.READERS).
REPORTERS = {
    Role.Name.ADMIN,
    Role.Name.LEADER,
    Role.Name.OFFICER,
    Role.Name.STATISTICIAN,
    Role.Name.VIEWER,
}

# (label, url name, roles that see it). Later domains add their entries here.
NAVIGATION = [
    (_("首页"), "home", None),
    (_("日碰头"), "supervision:today", STAFF_ROLES),
    (_("领导驾驶舱"), "projects:cockpit", STAFF_ROLES - {Role.Name.UNIT}),
    (_("项目库"), "projects:list", STAFF_ROLES),
    (_("四库看板"), "projects:board", STAFF_ROLES - {Role.Name.UNIT}),
    (_("问题督办"), "supervision:list", STAFF_ROLES),
    (_("待办督办"), "supervision:inbox", UNIT),
    (_("调度会"), "meetings:list", STAFF_ROLES),
    (_("招商线索"), "leads:list", LEAD_READERS),
    (_("招商大比拼"), "leads:leaderboard", LEAD_READERS),
    (_("企业"), "enterprises:list", STAFF_ROLES),
    (_("企业诉求"), "appeals:list", APPEAL_READERS),
    (_("以月答卷"), "appeals:report", APPEAL_READERS),
    (_("企业称号"), "enterprises:designations", STAFF_ROLES),
    (_("惠企资金"), "enterprises:funds", STAFF_ROLES),
    (_("待办诉求"), "appeals:inbox", UNIT),
    (_("诉求类别"), "appeals:categories", {Role.Name.ADMIN, Role.Name.LEADER}),
    (_("周期报告"), "reports:index", REPORTERS),
    (_("导入台账"), "imports:upload", IMPORTERS),
    (_("月报关账"), "projects:lock", {Role.Name.STATISTICIAN, Role.Name.ADMIN}),
    (_("组织机构"), "orgs:tree", STAFF_ROLES),
    (_("本企业"), "enterprises:list", ENTERPRISE),
    (_("提诉求"), "appeals:raise", ENTERPRISE),
    (_("我的诉求"), "appeals:mine", ENTERPRISE),
    (_("用户管理"), "orgs:users", ADMIN),
    (_("审计日志"), "audit:search", ADMIN),
    (_("工作日历"), "catalog:calendar", ADMIN),
    (_("消息推送"), "notify:webhooks", {Role.Name.ADMIN, Role.Name.LEADER}),
    (_("消息"), "notify:inbox", None),
    (_("个人设置"), "profile", None),
]


def nav_items(user):
    held = role_names(user)
    for label, name, roles in NAVIGATION:
        if (
            roles is None
            or (user.is_superuser and roles is not ENTERPRISE and roles is not UNIT)
            or held & roles
        ):
            yield {"label": str(label), "url": reverse(name), "name": name}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = list(nav_items(user))
    # The entry whose address is the longest prefix of this page's is the current one.
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    current = max(matches, key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["active"] = item is current
    return {"nav_items": items}
