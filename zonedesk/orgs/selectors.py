"""Scoping: the one place that decides which records of each model a user may see.

A role held at a node of the organisation tree reaches every record beneath that node.
Views and APIs read through these functions only; none filters by organisation by hand.
"""

from django.db import connection
from django.db.models import Q

from zonedesk.common.cache import remembered

from .models import ApiToken, Org, Role, Team, Totp, Unit, User

STAFF_ROLES = frozenset(Role.Name) - {Role.Name.ENTERPRISE}
NOBODY = Q(pk__in=[])
NARROW = {Org.Kind.ZONE, Org.Kind.PARK}


def roles_of(user):
    """The user's roles with their nodes, loaded once per request."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_zd_roles"):
        user._zd_roles = list(
            Role.objects.filter(user=user, org__is_active=True)
            .select_related("org", "unit", "enterprise")
            .order_by("org__path", "role")
        )
    return user._zd_roles


def role_names(user):
    return {r.role for r in roles_of(user)}


def own_enterprise_ids(user):
    """The enterprises the user is a contact of (an enterprise role is held for one)."""
    return [r.enterprise_id for r in roles_of(user) if r.role == Role.Name.ENTERPRISE]


def enterprise_q(user):
    """A filter for the enterprises a user reaches: staff those of their scope, an enterprise
    contact its own. Read through `Role.enterprise`, so orgs needs no import of that app."""
    return scope_q(user) | Q(pk__in=own_enterprise_ids(user))


def scope_paths(user, roles=STAFF_ROLES):
    """The tree paths the user's roles reach, with nested ones folded into their ancestor."""
    paths = sorted({r.org.path for r in roles_of(user) if r.role in roles})
    return [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]


def scope_q(user, field="org", roles=STAFF_ROLES):
    """A filter for records whose organisation (at `field`) lies inside the user's scope."""
    if user.is_superuser:
        return Q()
    paths = scope_paths(user, roles)
    if field and paths and connection.vendor == "sqlite" and _within_zones(user, roles):
        # SQLite cannot answer the path prefix (a LIKE) from an index: joined, it scans every
        # record and probes its org. A zone's records are few: `org IN (orgs by path)` reads
        # the org table once, then just those records through their org index. Not for a
        # city or the province: their records are most of the table, and the join lets
        # SQLite walk a list's order index and stop after one page instead of sorting all.
        return Q(**{f"{field}__in": Org.objects.filter(_under(paths, "path")).values("pk")})
    return _under(paths, f"{field}__path" if field else "path")


def _within_zones(user, roles):
    return all(r.org.kind in NARROW for r in roles_of(user) if r.role in roles)


def _under(paths, lookup):
    q = NOBODY
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def has_role_over(user, org, roles):
    """Does the user hold one of `roles` at `org` or at one of its ancestors?"""
    if user.is_superuser:
        return True
    return any(r.role in roles and org.path.startswith(r.org.path) for r in roles_of(user))


def can_admin(user, org):
    return has_role_over(user, org, {Role.Name.ADMIN})


def is_admin(user):
    """An admin at any node, or a superuser."""
    return user.is_superuser or Role.Name.ADMIN in role_names(user)


def is_staff(user):
    """Does the user hold any staff role (or is a superuser)? Enterprise contacts do not."""
    return user.is_superuser or bool(role_names(user) & STAFF_ROLES)


def orgs_for(user):
    return Org.objects.filter(scope_q(user, field=None))


def units_for(user):
    return Unit.objects.filter(scope_q(user)).select_related("org")


def teams_for(user):
    return Team.objects.filter(scope_q(user)).select_related("org", "leader")


def roles_for(user):
    return Role.objects.filter(scope_q(user)).select_related("org", "unit", "enterprise", "user")


def filter_choices(user):
    """The zones, parks, units and 包联领导 of the user's scope as (pk, label) lists, for a
    filter form on every list, board and cockpit request: loaded once per scope and
    remembered until an org, unit, user or role is written (common.cache)."""

    def load():
        visible = orgs_for(user)
        leaders = users_for(user).filter(roles__role=Role.Name.LEADER).distinct()
        return {
            name: [(r.pk, str(r)) for r in qs]
            for name, qs in (
                ("org", visible.filter(kind=Org.Kind.ZONE)),
                ("park", visible.filter(kind=Org.Kind.PARK)),
                ("unit", units_for(user)),
                ("leader", leaders),
            )
        }

    # What the four reads depend on: scope_q is a function of these two alone.
    key = ("filter choices", user.is_superuser, tuple(scope_paths(user)))
    return remembered((Org, Unit, User, Role), key, load)


def users_for(user):
    """Users holding any role inside the scope; superusers only for superusers."""
    if user.is_superuser:
        return User.objects.all()
    in_scope = Role.objects.filter(scope_q(user)).values("user_id")
    return User.objects.filter(is_superuser=False, pk__in=in_scope)


# Those whose account can do the most harm if a password leaks.
TOTP_ROLES = frozenset({Role.Name.ADMIN, Role.Name.LEADER})


def may_use_totp(user):
    """May the user turn the second login step on?"""
    return user.is_superuser or bool(role_names(user) & TOTP_ROLES)


def has_totp(user):
    return Totp.objects.filter(user=user).exists()


def totp_of(user):
    return Totp.objects.filter(user=user).first()


def active_user(pk):
    """The account a half-done login belongs to, unless it was disabled meanwhile."""
    return User.objects.filter(pk=pk, is_active=True).first()


def tokens_for(user):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def org_tree(user):
    """Visible nodes in tree order with their depth relative to the top of the scope."""
    nodes = list(orgs_for(user).order_by("path"))
    top = min((n.depth for n in nodes), default=0)
    for n in nodes:
        n.indent = n.depth - top
    return nodes


def home_teams(user):
    """The home page's 我所在的团队, for staff."""
    return {"my_teams": list(user.teams.select_related("org"))}
