from django.apps import AppConfig


class Config(AppConfig):
    name = "zonedesk.meetings"
    default_auto_field = "django.db.models.BigAutoField"
