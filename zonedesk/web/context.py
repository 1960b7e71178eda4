from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import STAFF_ROLES, role_names

ADMIN = {Role.Name.ADMIN}
ENTERPRISE = {Role.Name.ENTERPRISE}

# (label, url name, roles that see it). Later domains add their entries here.
NAVIGATION = [
    (_("首页"), "home", None),
    (_("组织机构"), "orgs:tree", STAFF_ROLES),
    (_("企业"), "enterprises:list", STAFF_ROLES),
    (_("本企业"), "enterprises:list", ENTERPRISE),
    (_("用户管理"), "orgs:users", ADMIN),
    (_("审计日志"), "audit:search", ADMIN),
    (_("个人设置"), "profile", None),
]


def nav_items(user):
    held = role_names(user)
    for label, name, roles in NAVIGATION:
        if roles is None or (user.is_superuser and roles is not ENTERPRISE) or held & roles:
            yield {"label": label, "url": reverse(name), "name": name}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = list(nav_items(user))
    for item in items:
        url = item["url"]
        item["active"] = request.path == url or (url != "/" and request.path.startswith(url))
    return {"nav_items": items}
