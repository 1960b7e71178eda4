from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.indicators"
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
        from .models import IndicatorValue

        economy, admin = nav.ECONOMY, nav.ADMIN
        nav.register(
            _("经济运行"), "indicators:overview", selectors.READERS, order=105, group=economy
        )
        nav.register(_("指标填报"), "indicators:entry", selectors.WRITERS, order=106, group=economy)
        nav.register(
            _("指标目录"), "indicators:catalogue", {Role.Name.ADMIN}, order=265, group=admin
        )
        home.register_panel(
            "indicators/_home_due.html", selectors.home_due, order=15, roles=selectors.WRITERS
        )
        labels.register(
            {
                "indicator.value": _("填报经济指标"),
                "indicator.correct": _("更正经济指标"),
                "indicator.target": _("设定指标目标"),
                "indicator.catalogue": _("修改指标目录"),
                "indicator.period.submitted": _("提交指标填报"),
                "indicator.period.draft": _("退回指标填报"),
                "indicator.period.approved": _("审核通过指标填报"),
                "indicator.period.locked": _("锁定指标填报期"),
            }
        )
        history.register(IndicatorValue, selectors.values_for)
        exports.register(
            "indicator_ranking", "indicators:ranking_export", _("经济指标通报"), "org year month"
        )
