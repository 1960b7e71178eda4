from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from . import context as nav

        nav.register(_("首页"), "home", order=10)
        nav.register(_("个人设置"), "profile", order=300)
