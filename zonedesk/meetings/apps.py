from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import selectors as history
        from zonedesk.imports import exports
        from zonedesk.orgs.selectors import STAFF_ROLES
        from zonedesk.web import context as nav

        from . import selectors
        from .models import Meeting

        nav.register(_("调度会"), "meetings:list", STAFF_ROLES, order=80, group=nav.SUPERVISION)
        history.register(Meeting, selectors.meetings_for)
        exports.register("meetings", "meetings:export", _("调度会"), "kind status q")
