from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zonedesk.web import backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploads into DEST (default var/backups) as one "
        "timestamped tar with a checksummed manifest; safe while the server runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", nargs="?", type=Path, help="directory for the backup")

    def handle(self, *args, dest, **options):
        try:
            path = backup.backup(dest or backup.default_destination())
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(path.as_posix())
