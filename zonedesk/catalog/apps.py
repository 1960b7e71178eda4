from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "zonedesk.catalog"
    verbose_name = "代码与目录"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.orgs.models import Role
        from zonedesk.web import context as nav

        nav.register(
            _("工作日历"), "catalog:calendar", {Role.Name.ADMIN}, order=270, group=nav.ADMIN
        )
        labels.register(
            {
                "calendar.set_day": _("修改工作日历"),
                "calendar.import": _("导入工作日历"),
                "calendar.publish": _("发布工作日历"),
            }
        )
