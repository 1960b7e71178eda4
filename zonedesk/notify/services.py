"""Every write of the notify app: messages, deliveries, preferences, webhooks.

`notify()` and `notify_group()` are what other apps call. Both write their rows inside the
caller's transaction (so a rolled-back change leaves no message behind) and hand the
outgoing e-mails and posts to the worker only after commit. Unique constraints make a
(user or webhook, key, channel) exist at most once, so calling twice, or from two workers
at once, sends once.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from zonedesk.audit import services as audit

from . import channels
from .models import Delivery, Message, Preference, Webhook

log = logging.getLogger(__name__)

MAX_ATTEMPTS = getattr(settings, "NOTIFY_MAX_ATTEMPTS", 8)
MAX_BACKOFF_MINUTES = getattr(settings, "NOTIFY_MAX_BACKOFF_MINUTES", 60)
# A delivery left "sending" this long was claimed by a worker that died mid-send.
STALE_SENDING = datetime.timedelta(minutes=15)

DUE = (Delivery.Status.PENDING, Delivery.Status.FAILED)


def safe_url(url):
    """Only links inside the site (a path) or plain http(s) links; never javascript: or //."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url[:500]
    if url.startswith(("https://", "http://")):
        return url[:500]
    return ""


def one_line(text, limit=200):
    return " ".join(str(text or "").split())[:limit]


# ---------------------------------------------------------------- quiet hours and back-off


def as_time(value):
    if not value:
        return None
    if isinstance(value, str):
        hours, minutes = value.split(":")
        return datetime.time(int(hours), int(minutes))
    return value


def hhmm(value):
    """A time of day as stored: "HH:MM", or "" for none."""
    return value.strftime("%H:%M") if value else ""


def quiet_until(start, end, now=None):
    """The moment quiet hours [start, end) end if `now` (local time) lies inside them."""
    start, end = as_time(start), as_time(end)
    if start is None or end is None or start == end:
        return None
    now = timezone.localtime(now or timezone.now())
    t = now.time()
    if start < end:
        inside = start <= t < end
        day = now.date()
    else:  # across midnight, e.g. 22:00–07:00
        inside = t >= start or t < end
        day = now.date() + datetime.timedelta(days=1) if t >= start else now.date()
    if not inside:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, end), now.tzinfo)


def backoff(attempts):
    """Wait after the n-th failed attempt: 1, 2, 4, 8 … minutes, capped."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))


# ---------------------------------------------------------------- the public interface


def notify(users, *, event: str, key: str, title: str, body: str = "", url: str = "", org=None):
    """Tell each user: an in-app message now, and e-mail per their preferences.

    event: the kind of event, e.g. "blocker.overdue", "appeal.assigned" (users choose
    channels per kind group); key: what makes it the same event, e.g.
    f"blocker:{pk}:overdue:{level}"; a (user, key, channel) is delivered at most once, ever.
    Safe inside a transaction: nothing leaves before commit (transaction.on_commit); never
    raises because a channel fails.
    """
    ids = {getattr(u, "pk", u) for u in users if u is not None}
    if not ids:
        return
    title, url, key = one_line(title), safe_url(url), str(key)[:200]
    body, event = str(body or ""), str(event)[:60]
    people = list(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .select_related("notify_preference")
        .only("pk", "email", "notify_preference")
    )
    now = timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                user=u, event=event, key=key, title=title, body=body, url=url, org=org, created=now
            )
            for u in people
        ],
        ignore_conflicts=True,
    )
    mails = []
    for u in people:
        pref = getattr(u, "notify_preference", None)
        if not u.email or (pref and not pref.wants_email(event)):
            continue
        later = pref and quiet_until(pref.quiet_start, pref.quiet_end, now)
        mails.append(
            Delivery(
                user=u,
                channel=Delivery.Channel.EMAIL,
                event=event,
                key=key,
                title=title,
                body=body,
                url=url,
                next_attempt=later or now,
                created=now,
            )
        )
    if mails:
        Delivery.objects.bulk_create(mails, ignore_conflicts=True)
        _send_after_commit(key)


def notify_group(
    *, unit=None, team=None, event: str, key: str, title: str, body: str = "", url: str = ""
):
    """Post to the webhooks configured for a unit or a team (企业微信 / 钉钉 robots), once per
    key and webhook, retried with back-off by the worker."""
    hooks = Webhook.objects.filter(active=True)
    if unit is not None:
        hooks = hooks.filter(unit=unit)
    elif team is not None:
        hooks = hooks.filter(team=team)
    else:
        return
    now = timezone.now()
    rows = [
        Delivery(
            webhook=h,
            channel=Delivery.Channel.WEBHOOK,
            event=str(event)[:60],
            key=str(key)[:200],
            title=one_line(title),
            body=str(body or ""),
            url=safe_url(url),
            next_attempt=quiet_until(h.quiet_start, h.quiet_end, now) or now,
            created=now,
        )
        for h in hooks
    ]
    if rows:
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        _send_after_commit(str(key)[:200])


# Queued here, beside the writes that queue it, rather than in tasks.py: tasks import the
# services, and the services would otherwise import the tasks back.
@db_task()
def send_key(key):
    """Sends the due deliveries of one event right after the change that caused it commits."""
    for pk in due_ids(key=key):
        deliver(pk)


def _send_after_commit(key):
    def enqueue():
        # The sweep picks up anything this misses (queue down): enqueueing must not fail a page.
        try:
            send_key(key)
        except Exception:
            log.exception("could not enqueue the deliveries of %s", key)

    transaction.on_commit(enqueue)


# ---------------------------------------------------------------- delivering


def claim(pk, now=None):
    """Take a due delivery for this worker; True only for the one worker whose UPDATE won."""
    now = now or timezone.now()
    return (
        Delivery.objects.filter(pk=pk, status__in=DUE, next_attempt__lte=now).update(
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        == 1
    )


def deliver(pk, now=None):
    """Claim and send one delivery; returns its status afterwards (None if not claimed)."""
    now = now or timezone.now()
    if not claim(pk, now):
        return None
    d = Delivery.objects.select_related(
        "user__notify_preference", "webhook__unit__org", "webhook__team__org"
    ).get(pk=pk)
    quiet = d.webhook or getattr(d.user, "notify_preference", None)
    later = quiet and quiet_until(quiet.quiet_start, quiet.quiet_end, now)
    if later:  # quiet hours began since it was queued: give the attempt back and wait
        Delivery.objects.filter(pk=pk).update(
            status=Delivery.Status.PENDING, next_attempt=later, attempts=F("attempts") - 1
        )
        return Delivery.Status.PENDING
    try:
        if d.channel == Delivery.Channel.EMAIL:
            channels.send_email(d)
        else:
            channels.post_webhook(d)
    except Exception as e:  # any failure of a channel is recorded, never raised
        give_up = d.attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=pk).update(
            status=Delivery.Status.FAILED,
            last_error=f"{type(e).__name__}: {e}"[:2000],
            next_attempt=None if give_up else now + backoff(d.attempts),
        )
        log.warning("delivery %s failed (attempt %s): %s", pk, d.attempts, e)
        return Delivery.Status.FAILED
    Delivery.objects.filter(pk=pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return Delivery.Status.SENT


def due_ids(now=None, key=None, limit=500):
    now = now or timezone.now()
    qs = Delivery.objects.filter(status__in=DUE, next_attempt__lte=now)
    if key is not None:
        qs = qs.filter(key=key)
    return list(qs.order_by("next_attempt", "pk").values_list("pk", flat=True)[:limit])


def release_stale(now=None):
    """Deliveries a dead worker left "sending" become failed and due again."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(
        status=Delivery.Status.FAILED,
        next_attempt=now,
        last_error=_("发送中断（处理进程停止），将重试"),
    )


def sweep(now=None):
    """Send every due delivery; returns how many were sent."""
    release_stale(now)
    return sum(deliver(pk, now) == Delivery.Status.SENT for pk in due_ids(now))


def retry_now(actor, delivery):
    """An admin's "retry now": due at once, one more attempt even after giving up."""
    with transaction.atomic():
        n = Delivery.objects.filter(
            pk=delivery.pk, status__in=(Delivery.Status.FAILED, Delivery.Status.PENDING)
        ).update(next_attempt=timezone.now())
        if n:
            if delivery.attempts >= MAX_ATTEMPTS:
                Delivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1)
            target = delivery.webhook or delivery.user
            audit.record(
                actor,
                "notify.retry",
                delivery,
                org=getattr(target, "org", None) if delivery.webhook else None,
            )
            _send_after_commit(delivery.key)
    return bool(n)


# ---------------------------------------------------------------- inbox and preferences


def mark_read(user, pks=None):
    """Mark the user's messages read (all unread ones without `pks`); returns how many."""
    qs = Message.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())


def save_preference(user, *, email_off, quiet_start, quiet_end):
    with transaction.atomic():
        pref, created = Preference.objects.get_or_create(user=user)
        before = audit.snapshot(pref, ["email_off", "quiet_start", "quiet_end"])
        pref.email_off = sorted(set(email_off))
        pref.quiet_start, pref.quiet_end = hhmm(quiet_start), hhmm(quiet_end)
        pref.save()
        after = audit.snapshot(pref, ["email_off", "quiet_start", "quiet_end"])
        changes = {f: [before[f], after[f]] for f in after if before[f] != after[f] or created}
        audit.record(user, "notify.preference", pref, changes=changes)
    return pref


# ---------------------------------------------------------------- webhooks

WEBHOOK_FIELDS = ["kind", "name", "url", "secret", "quiet_start", "quiet_end", "active"]


def create_webhook(actor, *, unit=None, team=None, **data):
    with transaction.atomic():
        hook = Webhook(unit=unit, team=team, **data)
        hook.full_clean()
        fields = ["unit", "team", *[f for f in WEBHOOK_FIELDS if f != "secret"]]
        return audit.create(
            actor, hook, action="notify.webhook.create", org=hook.org, fields=fields
        )


def update_webhook(actor, hook, data, expected_version=None):
    """Change a robot; a new signing secret is written but never copied into the audit log."""
    data = dict(data)
    secret = data.pop("secret", None)
    new_secret = bool(secret) and secret != hook.secret
    with transaction.atomic():
        probe = Webhook(**{**{f: getattr(hook, f) for f in WEBHOOK_FIELDS}, **data})
        probe.unit, probe.team = hook.unit, hook.team
        probe.full_clean(exclude=["version"])
        note = _("加签密钥已更换") if new_secret else None
        changes = audit.update(
            actor,
            hook,
            data,
            action="notify.webhook.update",
            org=hook.org,
            expected_version=expected_version,
            note=note,
        )
        if new_secret:
            Webhook.objects.filter(pk=hook.pk).update(secret=secret)
            hook.secret = secret
            if not changes:
                audit.record(
                    actor,
                    "notify.webhook.update",
                    hook,
                    org=hook.org,
                    changes={"reason": [None, note]},
                )
    return hook
