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
        parser.add_argument("--year", type=int, help="the sheet's year, if its title names none")
        parser.add_argument("--month", type=int, help="the sheet's month, if its title names none")
        parser.add_argument(
            "--alias",
            action="append",
            default=[],
            metavar="FIELD:NAME=ID",
            help="an answer to an unknown name, e.g. unit:县工信局=12 (repeatable)",
        )
        parser.add_argument(
            "--accept-suggestions",
            action="store_true",
            help="take the best suggestion for every unknown name, and print what was taken",
        )
        parser.add_argument(
            "--clear-blanks", action="store_true", help="blank cells clear stored values"
        )

    def handle(self, *args, file, kind, org, user, confirm, valid_only, **options):
        answers = _options(options)
        zone = (
            Org.objects.filter(kind=Org.Kind.ZONE, name=org).first()
            or Org.objects.filter(kind=Org.Kind.ZONE, code=org).first()
        )
        if zone is None:
            raise CommandError(f"找不到开发区“{org}”")
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到用户“{user}”")
        data, kind = file.read_bytes(), engine.KINDS[kind]
        job = engine.preview(actor, zone, kind, data, filename=file.name, options=answers)
        if options["accept_suggestions"] and job.questions:
            taken = answers.setdefault("aliases", {})
            for q in job.questions:
                if q["suggestions"] and q["name"] not in taken.get(q["field"], {}):
                    best = q["suggestions"][0]
                    taken.setdefault(q["field"], {})[q["name"]] = best["id"]
                    self.stdout.write(f"采用建议：{q['name']} → {best['name']}")
            job.delete()
            job = engine.preview(actor, zone, kind, data, filename=file.name, options=answers)
        if confirm:
            job = engine.run(actor, job, valid_only=valid_only, after_batch=hooks.after_batch())
        for error in job.errors:
            self.stderr.write(error)
        counts = "，".join(f"{k} {v}" for k, v in job.counts.items())
        self.stdout.write(f"{job.get_status_display()}：{counts}")
        if job.status == ImportJob.Status.REFUSED or (job.errors and not valid_only):
            raise CommandError("导入未完成：请修正以上错误，或使用 --valid-only 只导入无误的行")


def _options(options):
    """The preview's answers from the command line: year, month, aliases, clear_blanks."""
    out = {k: options[k] for k in ("year", "month") if options.get(k)}
    if options.get("clear_blanks"):
        out["clear_blanks"] = True
    for answer in options.get("alias") or []:
        field, _sep, rest = answer.partition(":")
        name, _sep, pk = rest.rpartition("=")
        if not (field and name and pk.isdigit()):
            raise CommandError(f"--alias 应写作 类别:台账中的名称=编号，而不是“{answer}”")
        out.setdefault("aliases", {}).setdefault(field, {})[name] = int(pk)
    return out
