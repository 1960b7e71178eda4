from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.web import context as nav

        from . import figures, selectors

        figures.register()  # its figures in the figure registry (catalog.figures)

        nav.register(
            _("周期报告"), "reports:index", selectors.READERS, order=180, group=nav.ECONOMY
        )
        labels.register(
            {
                "reports.request": _("申请生成报告"),
                "reports.done": _("报告已生成"),
                "reports.failed": _("报告生成失败"),
                "reports.interrupted": _("报告生成中断"),
                "reports.retry": _("重新生成报告"),
            }
        )
