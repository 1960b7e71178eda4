from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.notify"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.orgs.models import Role
        from zonedesk.web import context as nav
        from zonedesk.web import home

        from . import selectors

        nav.register(
            _("消息推送"), "notify:webhooks", selectors.MANAGERS, order=280, group=nav.ADMIN
        )
        nav.register(_("消息"), "notify:inbox", order=290)
        home.register_panel(
            "notify/_home_worker.html", selectors.home_worker, order=100, roles={Role.Name.ADMIN}
        )
        labels.register(
            {
                "notify.preference": _("修改消息设置"),
                "notify.retry": _("重新投递"),
                "notify.webhook.create": _("新建群机器人"),
                "notify.webhook.update": _("修改群机器人"),
            }
        )
