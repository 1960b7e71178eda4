"""`zonedesk backup` and `zonedesk restore`, run as the real command in a subprocess against
the test database: a backup restored into a fresh database has every row and file of the
original; a tampered, foreign or newer backup is refused and nothing is restored."""

import contextlib
import datetime
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from types import SimpleNamespace

import dj_database_url
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from PIL import Image

from zonedesk.projects import services as projects
from zonedesk.projects.models import ProgressPhoto, ProgressReport
from zonedesk.web import backup

pytestmark = pytest.mark.django_db(transaction=True)

OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}


def url(name):
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"


def zonedesk(*args, database, var):
    """The real `zonedesk` command, on `database` with its uploads under `var`/media."""
    env = {**os.environ, "DATABASE_URL": url(database), "ZONEDESK_VAR_DIR": str(var)}
    return subprocess.run(
        [sys.executable, "-m", "zonedesk.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextlib.contextmanager
def connect(name):
    """A plain DB-API connection, the same kind for both sides of a comparison; commits and
    closes at the end (sqlite3's own `with` would leave it open)."""
    if connection.vendor == "sqlite":
        db = sqlite3.connect(name)
    else:
        import psycopg

        s = connection.settings_dict
        db = psycopg.connect(
            dbname=name, user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"]
        )
    try:
        yield db
        db.commit()
    finally:
        db.close()


def contents(name):
    """Every table's rows (in a fixed order) and, on PostgreSQL, every sequence's value."""
    with connect(name) as db:
        if connection.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        tables = {
            t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for (t,) in db.execute(sql).fetchall()
        }
        if tables and connection.vendor == "postgresql":
            sql = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            tables["(sequences)"] = sorted(db.execute(sql).fetchall())
    return tables


def files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def fresh(tmp_path):
    """Another database, empty: a new SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored.sqlite3")
        return
    # Named after the configured database so parallel runs on one server never meet.
    name = f"{dj_database_url.parse(os.environ['DATABASE_URL'])['NAME']}_restore_{os.getpid()}"
    with connect("postgres") as admin:
        admin.autocommit = True
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connect("postgres") as admin:
        admin.autocommit = True
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site(world, settings, tmp_path):
    """The running site: the test database with the world in it and one upload under var/."""
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    upload = settings.MEDIA_ROOT / "appeals" / "2026" / "01" / "7.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    return SimpleNamespace(var=var, media=settings.MEDIA_ROOT, database=database_name())


def database_name():
    return connection.settings_dict["NAME"]


def make_backup(site, tmp_path):
    done = zonedesk("backup", str(tmp_path / "backups"), database=site.database, var=site.var)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def restore(path, fresh, tmp_path, *options):
    return zonedesk("restore", str(path), *options, database=fresh, var=tmp_path / "restored")


def is_empty(name):
    """No table at all: nothing was restored into the fresh database."""
    return not contents(name)


def rewrite(src, dest, edit, rename=None):
    """A copy of a backup with its manifest edited and members renamed (checksums kept)."""
    rename = rename or {}
    with tarfile.open(src) as old, tarfile.open(dest, "w") as new:
        manifest = json.load(old.extractfile(backup.MANIFEST))
        for entry in manifest["files"]:
            entry["path"] = rename.get(entry["path"], entry["path"])
        edit(manifest)
        for member in old.getmembers():
            if member.name != backup.MANIFEST:
                data = old.extractfile(member)
                member.name = rename.get(member.name, member.name)
                new.addfile(member, data)
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo(backup.MANIFEST)
        info.size = len(data)
        new.addfile(info, io.BytesIO(data))
    return dest


# --- a full round trip --------------------------------------------------------------------


def test_a_backup_restored_into_a_fresh_database_has_every_row_and_file_of_the_original(
    settings, tmp_path, fresh
):
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    call_command("demo", stdout=io.StringIO())
    report = ProgressReport.objects.order_by("pk").first()
    png = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(png, "PNG")
    photo = projects.add_photo(None, report, SimpleUploadedFile("工地.png", png.getvalue()))
    original = contents(database_name())
    uploads = files(settings.MEDIA_ROOT)
    assert f"{photo.image.name}" in uploads and any(n.startswith("reports/") for n in uploads)

    made = zonedesk("backup", str(tmp_path / "backups"), database=database_name(), var=var)
    assert made.returncode == 0, made.stderr
    done = zonedesk("restore", made.stdout.strip(), database=fresh, var=tmp_path / "restored")
    assert done.returncode == 0, done.stderr
    assert "已恢复" in done.stdout

    restored = contents(fresh)
    assert restored.keys() == original.keys()
    for table, rows in original.items():
        assert restored[table] == rows, table
    # Not vacuous: every model's table was compared, most of them holding rows.
    models = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    assert models <= original.keys()
    assert sum(1 for t in models if original[t]) >= 30
    assert original[ProgressPhoto._meta.db_table]
    assert files(tmp_path / "restored" / "media") == uploads


def test_the_manifest_lists_every_file_with_its_size_and_sha256_and_the_schema(site, tmp_path):
    path = make_backup(site, tmp_path)

    assert path.name.startswith("zonedesk-backup-") and path.suffix == ".tar"
    assert path.stat().st_mode & 0o777 == 0o600  # every user's data: owner only
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        inside = {
            m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.name != "manifest.json"
        }
    assert {f["path"]: (f["size"], f["sha256"]) for f in manifest["files"]} == {
        name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in inside.items()
    }
    database = backup.DATABASE_FILE[connection.vendor]
    assert set(inside) == {database, "media/appeals/2026/01/7.pdf"}
    assert (
        inside["media/appeals/2026/01/7.pdf"] == (site.media / "appeals/2026/01/7.pdf").read_bytes()
    )
    assert manifest["database"] == {"vendor": connection.vendor, "file": database}
    assert manifest["zonedesk_version"] == "0.1.0"
    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["migrations"] == sorted(f"{a}.{n}" for a, n in applied)
    assert "orgs.0001_initial" in manifest["migrations"]
    assert datetime.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None


def test_restore_check_verifies_a_backup_and_changes_nothing(site, tmp_path, fresh):
    path = make_backup(site, tmp_path)

    checked = restore(path, fresh, tmp_path, "--check")
    assert checked.returncode == 0, checked.stderr
    assert "校验和全部与清单一致" in checked.stdout
    assert is_empty(fresh)
    assert not (tmp_path / "restored" / "media").exists()


def test_a_backup_taken_while_a_writer_holds_a_transaction_has_only_committed_rows(
    site, tmp_path, fresh
):
    """The server keeps running during a backup: an open write transaction neither blocks
    it nor leaks into it."""
    with connect(site.database) as writer:
        writer.execute("UPDATE orgs_user SET name = '未提交' WHERE username = 'owner'")
        path = make_backup(site, tmp_path)
        writer.rollback()

    assert restore(path, fresh, tmp_path).returncode == 0
    with connect(fresh) as db:
        sql = "SELECT name FROM orgs_user WHERE username = 'owner'"
        assert db.execute(sql).fetchone() == ("Owner",)
    assert contents(fresh) == contents(site.database)


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("victim", ["database", "media/appeals/2026/01/7.pdf"])
def test_a_backup_with_one_changed_byte_is_refused_and_nothing_is_restored(
    site, tmp_path, fresh, victim
):
    path = make_backup(site, tmp_path)
    name = backup.DATABASE_FILE[connection.vendor] if victim == "database" else victim
    with tarfile.open(path) as tar:
        member = tar.getmember(name)
    with open(path, "r+b") as f:
        f.seek(member.offset_data + member.size // 2)
        byte = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([byte[0] ^ 0x01]))

    for options in ((), ("--check",), ("--force",)):
        refused = restore(path, fresh, tmp_path, *options)
        assert refused.returncode != 0
        assert f"文件 {name} 的大小或 SHA-256 与清单不符" in refused.stderr
        assert "未恢复任何内容" in refused.stderr
    assert is_empty(fresh)
    restored = tmp_path / "restored"
    assert not (restored / "media").exists()
    assert not list(restored.glob(".zonedesk-restore-*"))  # the staging is cleaned up


def test_restore_refuses_a_backup_of_the_other_database_vendor(site, tmp_path, fresh):
    ours, theirs = connection.vendor, OTHER_VENDOR[connection.vendor]
    rename = {backup.DATABASE_FILE[ours]: backup.DATABASE_FILE[theirs]}

    def other_vendor(manifest):
        manifest["database"] = {"vendor": theirs, "file": backup.DATABASE_FILE[theirs]}

    path = rewrite(make_backup(site, tmp_path), tmp_path / "foreign.tar", other_vendor, rename)

    refused = restore(path, fresh, tmp_path)
    assert refused.returncode != 0
    assert (
        f"这是 {backup.VENDOR_NAMES[theirs]} 数据库的备份，当前配置的是 "
        f"{backup.VENDOR_NAMES[ours]}，不能恢复" in refused.stderr
    )
    assert is_empty(fresh)
    assert not (tmp_path / "restored" / "media").exists()


def test_restore_refuses_a_backup_of_a_newer_schema_than_the_code(site, tmp_path, fresh):
    def newer(manifest):
        manifest["migrations"].append("projects.9999_from_a_later_release")

    path = rewrite(make_backup(site, tmp_path), tmp_path / "newer.tar", newer)

    refused = restore(path, fresh, tmp_path)
    assert refused.returncode != 0
    assert "备份的数据库结构比当前程序新（程序中没有迁移 projects.9999_from_a_later_release）" in (
        refused.stderr
    )
    assert is_empty(fresh)


def test_restore_over_a_database_with_data_is_refused_unless_forced(site, tmp_path, fresh):
    path = make_backup(site, tmp_path)
    assert restore(path, fresh, tmp_path).returncode == 0
    with connect(fresh) as db:
        db.execute("UPDATE orgs_user SET name = '改过的名字' WHERE username = 'owner'")

    refused = restore(path, fresh, tmp_path)
    assert refused.returncode != 0
    assert "目标数据库已有数据（6 个用户、7 个组织）" in refused.stderr
    assert "--force" in refused.stderr
    with connect(fresh) as db:
        sql = "SELECT name FROM orgs_user WHERE username = 'owner'"
        assert db.execute(sql).fetchone() == ("改过的名字",)

    forced = restore(path, fresh, tmp_path, "--force")
    assert forced.returncode == 0, forced.stderr
    assert contents(fresh) == contents(site.database)
    assert files(tmp_path / "restored" / "media") == files(site.media)


def test_a_manifest_path_outside_media_is_refused_before_anything_is_written(site, tmp_path):
    def escape(manifest):
        manifest["files"][-1]["path"] = "media/../../escaped.pdf"

    rename = {"media/appeals/2026/01/7.pdf": "media/../../escaped.pdf"}
    path = rewrite(make_backup(site, tmp_path), tmp_path / "escape.tar", escape, rename)
    staging = tmp_path / "a" / "b" / "staging"

    with pytest.raises(backup.BackupError, match=r"路径 media/\.\./\.\./escaped\.pdf 不合规"):
        backup.verify(path, into=staging)
    assert not list(tmp_path.rglob("escaped.pdf"))


def test_a_backup_never_overwrites_an_existing_one(site, tmp_path):
    now = datetime.datetime(2026, 3, 1, 2, 30, tzinfo=datetime.UTC)
    first = backup.backup(tmp_path / "backups", now=now)
    assert first.name == "zonedesk-backup-20260301-103000.tar"  # Asia/Shanghai
    before = first.read_bytes()

    with pytest.raises(backup.BackupError, match="已存在，不会覆盖"):
        backup.backup(tmp_path / "backups", now=now)
    assert first.read_bytes() == before
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [first.name]


def test_a_backup_into_the_uploads_directory_is_refused(site):
    with pytest.raises(backup.BackupError, match="不能在上传文件目录"):
        backup.backup(site.media / "backups")
    assert not (site.media / "backups").exists()
