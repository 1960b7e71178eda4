from django.db.models import Q

from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import roles_of, scope_q

from .models import Enterprise


def enterprises_for(user):
    """Staff see the enterprises of their scope; an enterprise contact only its own."""
    own = [r.enterprise_id for r in roles_of(user) if r.role == Role.Name.ENTERPRISE]
    return Enterprise.objects.filter(scope_q(user) | Q(pk__in=own)).select_related(
        "org", "industry"
    )


def search_enterprises(user, q=""):
    """The list's filter, shared by the page, its export and the API."""
    qs = enterprises_for(user)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(uscc__icontains=q))
    return qs
