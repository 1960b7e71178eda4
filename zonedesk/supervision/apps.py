from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.supervision"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import figures

        figures.register()  # its figures in the figure registry (catalog.figures)
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.audit import selectors as history
        from zonedesk.imports import exports
        from zonedesk.orgs.models import Role
        from zonedesk.orgs.selectors import STAFF_ROLES
        from zonedesk.web import context as nav
        from zonedesk.web import home

        from . import selectors
        from .models import Blocker, BlockerStep

        nav.register(_("日碰头"), "supervision:today", STAFF_ROLES, order=20, group=nav.SUPERVISION)
        nav.register(
            _("问题督办"), "supervision:list", STAFF_ROLES, order=60, group=nav.SUPERVISION
        )
        nav.register(
            _("待办督办"), "supervision:inbox", {Role.Name.UNIT}, order=70, group=nav.SUPERVISION
        )
        panel = home.register_panel
        panel(
            "supervision/_home_overdue.html",
            selectors.home_overdue,
            order=40,
            roles={Role.Name.LEADER},
        )
        panel(
            "supervision/_home_mine.html",
            selectors.home_my_blockers,
            order=41,
            roles={Role.Name.OFFICER},
        )
        panel(
            "supervision/_home_inbox.html",
            selectors.home_unit_blockers,
            order=42,
            roles={Role.Name.UNIT},
        )
        history.register(Blocker, selectors.blockers_for)
        filters = "q status level unit overdue project"
        exports.register("blockers", "supervision:export", _("问题督办"), filters)
        labels.register_steps("blocker", Blocker._meta.verbose_name, BlockerStep.Action.choices)
