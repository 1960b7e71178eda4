from django.urls import reverse

from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import role_names

# The side navigation: (order, label, url name, the roles that see it or None for everyone).
# Each app adds its entries in its AppConfig.ready(); `order` places them in the menu.
NAVIGATION = []
# Entries for these roles alone are their holders' own pages, not a superuser's.
OWN_PAGES = ({Role.Name.ENTERPRISE}, {Role.Name.UNIT})


def register(label, url_name, roles=None, *, order):
    NAVIGATION.append((order, label, url_name, roles))
    NAVIGATION.sort(key=lambda entry: entry[0])


def _shown(entry_roles, held, user):
    """A superuser sees every entry but an enterprise contact's or a unit's own pages."""
    if entry_roles is None or held & entry_roles:
        return True
    return user.is_superuser and entry_roles not in OWN_PAGES


def nav_items(user):
    held = role_names(user)
    for _order, label, name, roles in NAVIGATION:
        if _shown(roles, held, user):
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
