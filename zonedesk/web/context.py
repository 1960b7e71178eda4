from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import role_names

# The side navigation: (order, label, url name, the roles that see it or None for everyone,
# group). Each app adds its entries in its AppConfig.ready(); `order` places them in the menu.
NAVIGATION = []
# The menu's groups, in the order shown; an entry with no group (首页, 消息, 个人设置) stands
# on its own above or below them, by its order.
PROJECTS, LEADS, SUPERVISION, SERVICE, ECONOMY, ADMIN = (
    "projects",
    "leads",
    "supervision",
    "service",
    "economy",
    "admin",
)
GROUPS = {
    PROJECTS: _("项目"),
    LEADS: _("招商"),
    SUPERVISION: _("督办"),
    SERVICE: _("企业服务"),
    ECONOMY: _("经济运行"),
    ADMIN: _("管理"),
}
# Entries for these roles alone are their holders' own pages, not a superuser's.
OWN_PAGES = ({Role.Name.ENTERPRISE}, {Role.Name.UNIT})


def register(label, url_name, roles=None, *, order, group=None):
    if group is not None and group not in GROUPS:
        raise ValueError(f"unknown navigation group {group!r}")
    NAVIGATION.append((order, label, url_name, roles, group))
    NAVIGATION.sort(key=lambda entry: entry[0])


def _shown(entry_roles, held, user):
    """A superuser sees every entry but an enterprise contact's or a unit's own pages."""
    if entry_roles is None or held & entry_roles:
        return True
    return user.is_superuser and entry_roles not in OWN_PAGES


def nav_groups(user):
    """The menu as it is shown: ungrouped entries before the groups (those ordered below 100)
    or after them, each group with the entries this user may open; empty groups left out."""
    held = role_names(user)
    before, after, grouped = [], [], {key: [] for key in GROUPS}
    for order, label, name, roles, group in NAVIGATION:
        if not _shown(roles, held, user):
            continue
        item = {"label": str(label), "url": reverse(name), "name": name}
        if group:
            grouped[group].append(item)
        else:
            (before if order < 100 else after).append(item)
    groups = [{"label": None, "items": before}]
    groups += [{"label": GROUPS[k], "items": items} for k, items in grouped.items() if items]
    groups.append({"label": None, "items": after})
    return [g for g in groups if g["items"]]


def nav_items(user):
    """Every entry the user may open, in the menu's order."""
    return [item for group in nav_groups(user) for item in group["items"]]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups = nav_groups(user)
    items = [item for group in groups for item in group["items"]]
    # The entry whose address is the longest prefix of this page's is the current one.
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    current = max(matches, key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["active"] = item is current
    return {"nav_items": items, "nav_groups": groups}
