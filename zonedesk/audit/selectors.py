from django.contrib.contenttypes.models import ContentType

from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import scope_q

from .models import AuditEvent

# Which scoped selector decides whether a record's history may be read, by model label
# ("projects.project"); each app adds its models in its AppConfig.ready().
HISTORY_SCOPES = {}


def register(model, scope):
    HISTORY_SCOPES[model._meta.label_lower] = scope


def events_for(user):
    """Events of the user's scope; events without a node (system-wide) for superusers only."""
    return AuditEvent.objects.filter(scope_q(user)).select_related("actor", "target_type", "org")


def history_of(obj, user):
    """The 变更记录 of one record, newest first, limited to the events of the user's scope:
    a person working in two zones has a history in each. Callers check the record is visible.
    """
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return (
        AuditEvent.objects.filter(target_type=ct, target_id=str(obj.pk))
        .filter(scope_q(user, roles=frozenset(Role.Name)))
        .select_related("actor", "target_type")
    )


def home_events(user):
    """The home page's 最近变更, for admins."""
    return {"recent_events": list(events_for(user)[:8])}
