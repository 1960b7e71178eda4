"""What the home page shows, filled by each app in its AppConfig.ready().

Tiles are the figures in the row under the greeting, for staff: how many records a scoped
selector gives the user, for those `shown` admits (every staff member by default). Panels are
the cards beneath: each app's context function adds its variables to the page's context
(named after the app's own things: `reports_due`, `own_enterprises` …) or answers None when
the card is not for this user, and its template then reads them.
"""

from zonedesk.orgs.selectors import is_staff

TILES = []  # (order, key, label, url name, scoped(user) -> queryset, shown(user) -> bool)
PANELS = []  # (order, template, context(user) -> dict, or None to leave the card out)


def register_tile(key, label, url_name, scoped, *, order, shown=None):
    TILES.append((order, key, label, url_name, scoped, shown or (lambda user: True)))
    TILES.sort(key=lambda tile: tile[0])


def register_panel(template, context, *, order):
    PANELS.append((order, template, context))
    PANELS.sort(key=lambda panel: panel[0])


def tiles(user):
    """The tiles this user sees; None for one with no staff role (the row is left out)."""
    if not is_staff(user):
        return None
    return [
        {"key": key, "label": label, "url": url, "count": scoped(user).count()}
        for _order, key, label, url, scoped, shown in TILES
        if shown(user)
    ]


def panels(user, context):
    """The templates of the cards this user sees, in order; their variables go into `context`."""
    shown = []
    for _order, template, panel in PANELS:
        data = panel(user)
        if data is not None:
            context.update(data)
            shown.append(template)
    return shown
