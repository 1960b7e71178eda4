from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.leads"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import figures

        figures.register()  # its figures in the figure registry (catalog.figures)
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.audit import selectors as history
        from zonedesk.imports import exports
        from zonedesk.notify import reminders as notify
        from zonedesk.orgs.models import Role
        from zonedesk.web import context as nav
        from zonedesk.web import home

        from . import (
            imports,  # noqa: F401 - its import kinds register with the engine
            reminders,
            selectors,
        )
        from .models import Lead

        nav.register(_("招商线索"), "leads:list", selectors.READERS, order=90, group=nav.LEADS)
        nav.register(
            _("招商大比拼"), "leads:leaderboard", selectors.READERS, order=100, group=nav.LEADS
        )
        promoter = {Role.Name.PROMOTER}
        home.register_panel(
            "leads/_home_next_steps.html", selectors.home_next_steps, order=60, roles=promoter
        )
        home.register_panel(
            "leads/_home_signings.html", selectors.home_signings, order=61, roles=promoter
        )
        history.register(Lead, selectors.leads_for)
        filters = "q stage team source overdue signed_from signed_before created_year reached"
        exports.register("leads", "leads:export", _("在谈项目清单"), filters)
        exports.register("leaderboard", "leads:leaderboard_export", _("招商大比拼"), "year month")
        exports.register("funnel", "leads:funnel_export", _("招商线索转化漏斗"), "year")
        notify.register(reminders.lead_reminders)
        labels.register(
            {
                "lead.create": _("登记线索"),
                "lead.update": _("修改线索"),
                "lead.stage": _("推进线索"),
                "lead.drop": _("放弃线索"),
                "lead.sign": _("线索签约"),
                "visit.create": _("登记考察拜访"),
                "target.create": _("设定年度目标"),
                "target.update": _("修改年度目标"),
            }
        )
