"""Messages: the in-app inbox, deliveries by e-mail and webhook, group webhooks, preferences.

A Message is the in-app copy, unique per (user, key): the same event never shows twice.
A Delivery is one outgoing e-mail or webhook post, unique per (user or webhook, key, channel),
claimed atomically by one worker, retried with back-off and kept visible when it fails.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonedesk.orgs.models import Org, Team, Unit, Versioned


class Heartbeat(models.Model):
    """Last time a periodic job of the worker ran: the admin page shows whether jobs run."""

    name = models.CharField(max_length=40, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self):
        return self.name


# Event groups a user chooses e-mail for; an event "blocker.overdue" is in group "blocker".
GROUPS = [
    ("progress", _("月度进展")),
    ("blocker", _("问题督办")),
    ("appeal", _("企业诉求")),
    ("lead", _("招商线索")),
    ("meeting", _("调度会")),
    ("report", _("报告")),
    ("other", _("其他")),
]
GROUP_NAMES = [g for g, _label in GROUPS]


def group_of(event):
    group = event.split(".", 1)[0]
    return group if group in GROUP_NAMES else "other"


# Quiet hours are kept as "HH:MM" local time (also how they appear in the audit log).
HHMM = RegexValidator(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", _("时间格式应为 HH:MM，如 22:00"))


def optional(to, label, related_name):
    """One of a pair of foreign keys of which exactly one is set (see `exactly_one`)."""
    return models.ForeignKey(
        to, models.CASCADE, null=True, blank=True, related_name=related_name, verbose_name=label
    )


def exactly_one(a, b, name):
    """A check that one and only one of two foreign keys is set."""
    return models.CheckConstraint(
        condition=Q(**{f"{a}__isnull": False, f"{b}__isnull": True})
        | Q(**{f"{a}__isnull": True, f"{b}__isnull": False}),
        name=name,
    )


class Notice(models.Model):
    """What is said: the same in the inbox, an e-mail and a robot post."""

    event = models.CharField(_("事件"), max_length=60)
    key = models.CharField(_("事件标识"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)

    class Meta:
        abstract = True


class Message(Notice):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="inbox", verbose_name=_("收件人")
    )
    org = models.ForeignKey(
        Org, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("组织")
    )
    created = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notify_message_once"),
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created"], name="notify_inbox")]

    def __str__(self):
        return self.title


class Webhook(Versioned):
    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    unit = optional(Unit, _("单位"), "webhooks")
    team = optional(Team, _("专班/战队"), "webhooks")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60, blank=True)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    quiet_start = models.CharField(_("免打扰开始"), max_length=5, blank=True, validators=[HHMM])
    quiet_end = models.CharField(_("免打扰结束"), max_length=5, blank=True, validators=[HHMM])
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("群机器人")
        constraints = [exactly_one("unit", "team", "notify_webhook_unit_or_team")]

    @property
    def owner(self):
        return self.unit or self.team

    @property
    def org(self):
        return self.owner.org

    def __str__(self):
        return f"{self.owner} · {self.get_kind_display()} {self.name}".strip()


class Delivery(Notice):
    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        WEBHOOK = "webhook", _("群机器人")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")

    user = optional(settings.AUTH_USER_MODEL, _("收件人"), "deliveries")
    webhook = optional(Webhook, _("群机器人"), "deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    # None with status failed: given up after the last attempt; stays visible to admins.
    next_attempt = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("投递")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "channel"],
                condition=Q(user__isnull=False),
                name="notify_delivery_user_once",
            ),
            models.UniqueConstraint(
                fields=["webhook", "key", "channel"],
                condition=Q(webhook__isnull=False),
                name="notify_delivery_webhook_once",
            ),
            exactly_one("user", "webhook", "notify_delivery_user_or_webhook"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt"], name="notify_due")]

    def __str__(self):
        return f"{self.get_channel_display()} {self.key}"


class Preference(models.Model):
    """A user's channels: the inbox always, e-mail per event group; quiet hours for both."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notify_preference"
    )
    # Groups the user turned e-mail off for; every group is on by default.
    email_off = models.JSONField(default=list, blank=True)
    quiet_start = models.CharField(_("免打扰开始"), max_length=5, blank=True, validators=[HHMM])
    quiet_end = models.CharField(_("免打扰结束"), max_length=5, blank=True, validators=[HHMM])

    def __str__(self):
        return str(self.user)

    def wants_email(self, event):
        return group_of(event) not in (self.email_off or [])
