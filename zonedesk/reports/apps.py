from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import figures

        figures.register()  # its figures in the figure registry (catalog.figures)
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.web import context as nav

        from . import selectors

        nav.register(
            _("周期报告"), "reports:index", selectors.READERS, order=180, group=nav.ECONOMY
        )
