from django.apps import AppConfig


class Config(AppConfig):
    name = "zonedesk.supervision"
    default_auto_field = "django.db.models.BigAutoField"
