from django.apps import AppConfig


class Config(AppConfig):
    name = "zonedesk.appeals"
    default_auto_field = "django.db.models.BigAutoField"
