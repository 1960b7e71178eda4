from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from zonedesk.imports.exports import EXPORTS, export
from zonedesk.orgs.models import User


class Command(BaseCommand):
    help = (
        "Export a list to xlsx as the user would from its page, with the page's filters: "
        "zonedesk export_xlsx --kind projects --user admin year=2026 month=3 -o out.xlsx"
    )

    def add_arguments(self, parser):
        kinds = "; ".join(f"{k}: {v[2] or '-'}" for k, v in EXPORTS.items())
        parser.add_argument("--kind", required=True, choices=sorted(EXPORTS))
        parser.add_argument("--user", required=True, help="the username whose scope applies")
        parser.add_argument("filters", nargs="*", help=f"key=value filters ({kinds})")
        parser.add_argument("-o", "--output", type=Path, help="file or folder (default: here)")

    def handle(self, *args, kind, user, filters, output, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到用户“{user}”")
        params = {}
        for item in filters:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"筛选条件应写作 key=value，而不是“{item}”")
            params.setdefault(key, []).append(value)
        try:
            result = export(actor, kind, params)
        except (PermissionDenied, Http404):
            raise CommandError(f"用户“{user}”无权导出“{kind}”") from None
        path = output or Path(result.filename)
        if path.is_dir():
            path = path / result.filename
        path.write_bytes(result.content)
        self.stdout.write(str(path))
