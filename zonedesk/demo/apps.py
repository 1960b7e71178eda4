from django.apps import AppConfig


class Config(AppConfig):
    """The demo (`zonedesk demo`): it sits above every app and loads each one's demo.py."""

    name = "zonedesk.demo"
