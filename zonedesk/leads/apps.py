from django.apps import AppConfig


class Config(AppConfig):
    name = "zonedesk.leads"
    default_auto_field = "django.db.models.BigAutoField"
