from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.imports import exports
        from zonedesk.orgs.models import Role
        from zonedesk.web import context as nav
        from zonedesk.web import home

        from . import selectors

        nav.register(_("审计日志"), "audit:search", {Role.Name.ADMIN}, order=260, group=nav.ADMIN)
        home.register_panel(
            "audit/_home_events.html", selectors.home_events, order=110, roles={Role.Name.ADMIN}
        )
        exports.register("audit", "audit:export", _("审计日志"), "q action since until")
