from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.imports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.web import context as nav

        from .views import IMPORTERS

        nav.register(_("导入台账"), "imports:upload", IMPORTERS, order=190, group=nav.ADMIN)
        labels.register(
            {
                "import.apply": _("确认导入"),
                "import.retry": _("重新导入"),
                "import.interrupted": _("导入中断"),
                "alias.create": _("新增名称别名"),
                "alias.update": _("修改名称别名"),
            }
        )
