"""Demo messages: call after the projects and leads demos (and blockers/appeals if loaded).

Runs today's reminders, so the demo users' inboxes hold the real reminders of the demo
data, and gives every demo user a welcome message. Safe to run again: keys make each once.
"""

from django.urls import reverse

from zonedesk.orgs.models import User

from . import reminders
from .services import notify


def load():
    reminders.send_all()
    notify(
        User.objects.filter(is_active=True),
        event="other.welcome",
        key="demo:welcome",
        title="欢迎使用 ZoneDesk 消息中心",
        body="月报到期、问题督办、诉求办理和线索跟进的提醒都会出现在这里；"
        "可在“提醒设置”中选择邮件提醒和免打扰时段。",
        url=reverse("notify:preferences"),
    )
