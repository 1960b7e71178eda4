from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zonedesk.catalog"
    verbose_name = "代码与目录"
    default_auto_field = "django.db.models.BigAutoField"
