from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zonedesk.web import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `zonedesk backup`: verifies every checksum first, then "
        "replaces the database and the uploads. Stop the server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path, help="the backup's .tar file")
        parser.add_argument(
            "--check", action="store_true", help="only verify the backup; change nothing"
        )
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args, src, check, force, **options):
        try:
            manifest = backup.verify(src) if check else backup.restore(src, force=force)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        vendor = backup.VENDOR_NAMES[manifest["database"]["vendor"]]
        summary = (
            f"{len(manifest['files'])} 个文件，{vendor}，"
            f"ZoneDesk {manifest['zonedesk_version']}，备份于 {manifest['created_at']}"
        )
        if check:
            self.stdout.write(f"备份完整：{summary}，校验和全部与清单一致")
            return
        self.stdout.write(f"已恢复 {src}：{summary}")
        pending = backup.pending_migrations(manifest)
        if pending:
            self.stdout.write(
                f"备份的数据库结构比当前程序旧（缺 {len(pending)} 个迁移）：请运行 zonedesk migrate"
            )
