from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.appeals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.audit import selectors as history
        from zonedesk.imports import exports
        from zonedesk.orgs.models import Role
        from zonedesk.web import context as nav
        from zonedesk.web import home

        from . import selectors
        from .models import Appeal, AppealStep

        # Units read the appeals routed to them besides their inbox.
        readers = selectors.READERS | {Role.Name.UNIT}
        unit, contact = {Role.Name.UNIT}, {Role.Name.ENTERPRISE}
        nav.register(_("企业诉求"), "appeals:list", readers, order=120, group=nav.SERVICE)
        nav.register(_("以月答卷"), "appeals:report", readers, order=130, group=nav.SERVICE)
        nav.register(_("待办诉求"), "appeals:inbox", unit, order=160, group=nav.SERVICE)
        nav.register(
            _("诉求类别"),
            "appeals:categories",
            {Role.Name.ADMIN, Role.Name.LEADER},
            order=170,
            group=nav.SERVICE,
        )
        nav.register(_("提诉求"), "appeals:raise", contact, order=230, group=nav.SERVICE)
        nav.register(_("我的诉求"), "appeals:mine", contact, order=240, group=nav.SERVICE)
        panel = home.register_panel
        panel(
            "appeals/_home_near.html",
            selectors.home_near_deadline,
            order=50,
            roles={Role.Name.LEADER},
        )
        panel("appeals/_home_unit.html", selectors.home_unit_appeals, order=51, roles=unit)
        panel("appeals/_home_own.html", selectors.home_own_appeals, order=90, roles=contact)
        history.register(Appeal, selectors.appeals_for)
        filters = "q status channel category unit overdue enterprise"
        exports.register("appeals", "appeals:export", _("企业诉求"), filters)
        exports.register("appeal_report", "appeals:report_xlsx", _("以月答卷"), "month")
        labels.register(
            {
                "appeal_category.create": _("新建诉求类别"),
                "appeal_category.update": _("修改诉求类别"),
            }
        )
        labels.register_steps("appeal", Appeal._meta.verbose_name, AppealStep.Action.choices)
