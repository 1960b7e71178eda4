"""The `zonedesk` command: Django's management commands with ZoneDesk's settings."""

import os
import sys

from django.core.management import execute_from_command_line


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.settings")
    execute_from_command_line(["zonedesk", *sys.argv[1:]])


if __name__ == "__main__":
    main()
