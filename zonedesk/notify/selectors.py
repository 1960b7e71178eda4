"""Every read of the notify app: the user's own inbox, and for admins and leaders the
webhooks and failed deliveries inside their scope."""

from datetime import timedelta

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Role

from .models import Delivery, Heartbeat, Message, Webhook

MANAGERS = {Role.Name.ADMIN, Role.Name.LEADER}


def worker_status():
    """(alive, last_seen): alive when the minutely heartbeat ran in the last three minutes."""
    beat = Heartbeat.objects.filter(name="worker").first()
    if beat is None:
        return False, None
    return timezone.now() - beat.last_seen < timedelta(minutes=3), beat.last_seen


def home_worker(user):
    """后台任务: whether the worker runs, and how many deliveries failed or wait to retry."""
    alive, seen = worker_status()
    failed = problem_deliveries(user).count()
    return {"worker_alive": alive, "worker_seen": seen, "failed_deliveries": failed}


def inbox(user, unread_only=False):
    """The user's own messages, unread first, newest first."""
    qs = Message.objects.filter(user=user).select_related("org")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.annotate(
        is_read=Case(
            When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("is_read", "-created", "-pk")


def unread_count(user):
    return Message.objects.filter(user=user, read_at__isnull=True).count()


def message_for(user, pk):
    return Message.objects.filter(user=user, pk=pk).first()


def can_manage(user):
    """Admins and leaders manage the robots of the units and teams beneath them."""
    return user.is_authenticated and (user.is_superuser or bool(orgs.role_names(user) & MANAGERS))


def _hook_scope(user, prefix=""):
    return orgs.scope_q(user, f"{prefix}unit__org", MANAGERS) | orgs.scope_q(
        user, f"{prefix}team__org", MANAGERS
    )


def webhooks_for(user):
    return (
        Webhook.objects.filter(_hook_scope(user))
        .select_related("unit__org", "team__org")
        .order_by("-active", "unit__name", "team__name", "pk")
    )


def targets_for(user):
    """The units and teams whose robots the user may set up."""
    units = orgs.units_for(user).filter(orgs.scope_q(user, "org", MANAGERS), is_active=True)
    teams = orgs.teams_for(user).filter(orgs.scope_q(user, "org", MANAGERS), is_active=True)
    return list(units.order_by("name")), list(teams.order_by("name"))


def problem_deliveries(user):
    """Deliveries that failed or wait for a retry: robots in scope, e-mails of users in scope."""
    managed_users = Role.objects.filter(orgs.scope_q(user, "org", MANAGERS)).values("user_id")
    q = _hook_scope(user, "webhook__")
    q |= Q(user__in=managed_users) if not user.is_superuser else Q(user__isnull=False)
    return (
        Delivery.objects.filter(q)
        .exclude(status=Delivery.Status.SENT)
        .filter(Q(status=Delivery.Status.FAILED) | Q(attempts__gt=0))
        .select_related("user", "webhook__unit", "webhook__team")
        .order_by("-created", "-pk")
    )


def delivery_for(user, pk):
    return problem_deliveries(user).filter(pk=pk).first()
