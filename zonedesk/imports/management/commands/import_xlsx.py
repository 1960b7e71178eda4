from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zonedesk.imports import engine, hooks
from zonedesk.imports.models import ImportJob
from zonedesk.orgs.models import Org, User


class Command(BaseCommand):
    help = "Import a ledger workbook: preview by default, --confirm to write (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=sorted(engine.KINDS))
        parser.add_argument("--org", required=True, help="the zone's name or division code")
        parser.add_argument("--user", required=True, help="the username the import acts as")
        parser.add_argument("--confirm", action="store_true", help="write the rows")
        parser.add_argument("--valid-only", action="store_true", help="skip rows with errors")

    def handle(self, *args, file, kind, org, user, confirm, valid_only, **options):
        zone = (
            Org.objects.filter(kind=Org.Kind.ZONE, name=org).first()
            or Org.objects.filter(kind=Org.Kind.ZONE, code=org).first()
        )
        if zone is None:
            raise CommandError(f"找不到开发区“{org}”")
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到用户“{user}”")
        job = engine.preview(actor, zone, engine.KINDS[kind], file.read_bytes(), filename=file.name)
        if confirm:
            job = engine.run(actor, job, valid_only=valid_only, after_batch=hooks.after_batch())
        for error in job.errors:
            self.stderr.write(error)
        counts = "，".join(f"{k} {v}" for k, v in job.counts.items())
        self.stdout.write(f"{job.get_status_display()}：{counts}")
        if job.status == ImportJob.Status.REFUSED or (job.errors and not valid_only):
            raise CommandError("导入未完成：请修正以上错误，或使用 --valid-only 只导入无误的行")
