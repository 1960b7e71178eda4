"""Write docs/figures.md from the figure registry (`--check`: fail if the file is stale)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from zonedesk.catalog import figures

PATH = Path(settings.BASE_DIR).parent / "docs" / "figures.md"


def generated():
    with translation.override("zh-hans"):
        return figures.markdown()


class Command(BaseCommand):
    help = "Write docs/figures.md from the figure registry"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the file is stale")

    def handle(self, *args, check=False, **options):
        text = generated()
        if check:
            if not PATH.exists() or PATH.read_text(encoding="utf-8") != text:
                raise CommandError(f"{PATH} is stale: run manage.py figures_doc")
            return
        PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"{PATH}: {len(figures.REGISTRY)} figures")
