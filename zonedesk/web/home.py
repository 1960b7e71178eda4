"""What the home page shows, filled by each app in its AppConfig.ready().

Tiles are the figures in the row under the greeting: how many records a scoped selector
gives the user. Panels are the cards beneath, each a piece of the user's work for today:
each app's context function adds its variables to the page's context (named after the
app's own things: `reports_due`, `own_enterprises` …) or answers None when it has nothing
to say, and its template then reads them. `roles` names the roles a tile or panel is for
(None: everyone); a superuser counts as an admin. A new app (indicators, say) adds its
statistician's card the same way: `register_panel(..., roles={Role.Name.STATISTICIAN})`.
"""

from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import is_staff, role_names

TILES = []  # (order, key, label, url name, scoped(user) -> queryset, roles)
PANELS = []  # (order, template, context(user) -> dict or None, roles)


def register_tile(key, label, url_name, scoped, *, order, roles=None):
    TILES.append((order, key, label, url_name, scoped, roles))
    TILES.sort(key=lambda tile: tile[0])


def register_panel(template, context, *, order, roles=None):
    PANELS.append((order, template, context, roles))
    PANELS.sort(key=lambda panel: panel[0])


def _for(roles, user):
    if roles is None:
        return True
    held = role_names(user) | ({Role.Name.ADMIN} if user.is_superuser else set())
    return bool(held & set(roles))


def tiles(user):
    """The tiles this user sees; None for one with no staff role (the row is left out)."""
    if not is_staff(user):
        return None
    return [
        {"key": key, "label": label, "url": url, "count": scoped(user).count()}
        for _order, key, label, url, scoped, roles in TILES
        if _for(roles, user)
    ]


def panels(user, context):
    """The templates of the cards this user sees, in order; their variables go into `context`."""
    shown = []
    for _order, template, panel, roles in PANELS:
        data = panel(user) if _for(roles, user) else None
        if data is not None:
            context.update(data)
            shown.append(template)
    return shown
