"""Backup and restore: the database and the uploads in one tar with a checksummed manifest.

A backup is `zonedesk-backup-<YYYYmmdd-HHMMSS>.tar` holding `database.sqlite3` (SQLite's
online backup API) or `database.dump` (`pg_dump -Fc`), `media/...` (every file under
MEDIA_ROOT) and `manifest.json` (each file's size and SHA-256, the ZoneDesk version, the
database vendor, the applied migrations and the time). See docs/operations.md.
"""

import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from zonedesk.orgs.models import Org, User

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore refused, with the Chinese message the operator sees."""


def default_destination():
    return Path(settings.VAR_DIR) / "backups"


# --- backup -------------------------------------------------------------------------------


def backup(dest, now=None):
    """Write one backup into the directory `dest` and return its path; never overwrites."""
    vendor = _vendor()
    dest, media = Path(dest), Path(settings.MEDIA_ROOT)
    # Inside MEDIA_ROOT every backup would carry the ones before it, and its own half.
    if dest.resolve().is_relative_to(media.resolve()):
        raise BackupError(f"备份目录 {dest} 不能在上传文件目录 {media} 之内")
    dest.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now())
    target = dest / f"zonedesk-backup-{stamp:%Y%m%d-%H%M%S}.tar"
    if target.exists():
        raise BackupError(f"备份 {target} 已存在，不会覆盖")
    manifest = {
        "format": FORMAT,
        "zonedesk_version": importlib.metadata.version("zonedesk"),
        "created_at": stamp.isoformat(),
        "database": {"vendor": vendor, "file": DATABASE_FILE[vendor]},
        "migrations": sorted(f"{app}.{name}" for app, name in _applied_migrations()),
        "files": [],
    }
    if not manifest["migrations"]:
        raise BackupError("数据库是空的（还没有运行 zonedesk migrate），没有可备份的内容")
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(dir=dest, prefix=".zonedesk-backup-") as work:
        database = Path(work) / DATABASE_FILE[vendor]
        _dump_database(vendor, database)
        try:
            # Only the owner may read it: it holds every user's data and password hash.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with open(fd, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
                _add(tar, manifest, database, DATABASE_FILE[vendor])
                # The uploads after the database: a row is written after its file, so every
                # file the dumped rows name is already on disk when it is copied.
                for path in sorted(media.rglob("*")) if media.is_dir() else ():
                    if path.is_file():
                        _add(tar, manifest, path, f"media/{path.relative_to(media).as_posix()}")
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(stamp.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    if target.exists():
        partial.unlink()
        raise BackupError(f"备份 {target} 已存在，不会覆盖")
    partial.rename(target)
    return target


def _vendor():
    if connection.vendor not in DATABASE_FILE:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库")
    return connection.vendor


def _applied_migrations():
    return MigrationRecorder(connection).applied_migrations()


def _dump_database(vendor, path):
    if vendor == "sqlite":
        # The online backup API copies a consistent snapshot while the server keeps writing.
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=20)
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        name = settings.DATABASES["default"]["NAME"]
        _pg("pg_dump", "--format=custom", f"--file={path}", f"--dbname={name}", failed="失败")


def _add(tar, manifest, path, name):
    """Add one file, hashing the bytes as they go into the archive."""
    with open(path, "rb") as f:
        info = tar.gettarinfo(arcname=name, fileobj=f)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _Hashing(f)
        tar.addfile(info, reader)
    manifest["files"].append({"path": name, "size": info.size, "sha256": reader.hexdigest()})


class _Hashing:
    def __init__(self, f):
        self.f, self.sha, self.size = f, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.f.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data

    def hexdigest(self):
        return self.sha.hexdigest()


# --- restore ------------------------------------------------------------------------------


def verify(src, into=None):
    """Check every file of the backup against its manifest and return the manifest; with
    `into`, also write the files there. Raises BackupError naming the first bad file."""
    src = Path(src)
    try:
        with tarfile.open(src, mode="r:") as tar:
            manifest = _manifest(src, tar)
            expected = {f["path"]: f for f in manifest["files"]}
            seen = set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                entry = expected.get(member.name)
                if entry is None or not member.isfile() or member.name in seen:
                    raise BackupError(f"备份中有清单未列出的条目 {member.name}，未恢复任何内容")
                seen.add(member.name)
                _check(tar, member, entry, into)
    except (tarfile.TarError, EOFError, OSError) as e:
        raise BackupError(f"无法读取备份 {src}：{e}") from e
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"备份不完整：清单中的文件 {missing[0]} 不在备份中，未恢复任何内容")
    return manifest


def _manifest(src, tar):
    try:
        member = tar.getmember(MANIFEST)
    except KeyError as e:
        raise BackupError(f"备份 {src} 中没有清单 {MANIFEST}") from e
    try:
        manifest = json.load(tar.extractfile(member))
        files = manifest["files"]
        vendor = manifest["database"]["vendor"]
        for entry in files:
            _safe(entry["path"])
            if not isinstance(entry["size"], int) or not isinstance(entry["sha256"], str):
                raise ValueError(entry["path"])
        if not isinstance(manifest["migrations"], list):
            raise ValueError("migrations")
    except (KeyError, ValueError, TypeError) as e:
        raise BackupError(f"备份 {src} 的清单 {MANIFEST} 无法读取：{e}") from e
    if manifest.get("format") != FORMAT or vendor not in DATABASE_FILE.keys():
        raise BackupError(f"备份 {src} 的格式不是本程序能恢复的")
    if DATABASE_FILE[vendor] not in {f["path"] for f in files}:
        raise BackupError(f"备份 {src} 的清单中没有数据库文件 {DATABASE_FILE[vendor]}")
    return manifest


def _safe(name):
    """A manifest path is the database file or a relative path under media/, nothing else."""
    path = PurePosixPath(name)
    if name in DATABASE_FILE.values() or (
        path.parts[:1] == ("media",) and len(path.parts) > 1 and ".." not in path.parts
    ):
        return path
    raise ValueError(f"路径 {name} 不合规")


def _check(tar, member, entry, into):
    reader = _Hashing(tar.extractfile(member))
    if into is None:
        while reader.read(CHUNK):
            pass
    else:
        path = Path(into, *PurePosixPath(member.name).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            shutil.copyfileobj(reader, out, CHUNK)
        os.utime(path, (member.mtime, member.mtime))
    if reader.size != entry["size"] or reader.hexdigest() != entry["sha256"]:
        raise BackupError(
            f"备份已被改动或损坏：文件 {member.name} 的大小或 SHA-256 与清单不符，未恢复任何内容"
        )


def restore(src, force=False):
    """Replace the configured database and MEDIA_ROOT with the backup's, after verifying it.

    Everything that can fail comes first: the files are verified while they are written to
    a staging directory beside MEDIA_ROOT, then the vendor, the schema and an existing
    database are checked. The uploads are swapped in by renames, and put back if the
    database restore fails."""
    vendor = _vendor()
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media.parent, prefix=".zonedesk-restore-"))
    try:
        manifest = verify(src, into=staging)
        _refuse_unless_compatible(manifest, vendor, force)
        (staging / "media").mkdir(exist_ok=True)
        if media.exists():
            media.rename(staging / "media.old")
        (staging / "media").rename(media)
        try:
            _load_database(vendor, staging / DATABASE_FILE[vendor])
        except BaseException:
            media.rename(staging / "media.restored")
            if (staging / "media.old").exists():
                (staging / "media.old").rename(media)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    cache.clear()  # lists remembered from the replaced database (common.cache)
    return manifest


def _refuse_unless_compatible(manifest, vendor, force):
    theirs = manifest["database"]["vendor"]
    if theirs != vendor:
        raise BackupError(
            f"这是 {VENDOR_NAMES[theirs]} 数据库的备份，当前配置的是 {VENDOR_NAMES[vendor]}，"
            "不能恢复"
        )
    unknown = sorted(set(manifest["migrations"]) - _code_migrations())
    if unknown:
        raise BackupError(
            f"备份的数据库结构比当前程序新（程序中没有迁移 {unknown[0]}），请先升级 ZoneDesk 再恢复"
        )
    users, orgs = _existing_data()
    if (users or orgs) and not force:
        raise BackupError(
            f"目标数据库已有数据（{users} 个用户、{orgs} 个组织），"
            "恢复会替换全部数据；确认后加 --force 再运行"
        )


def _existing_data():
    """Users and organisations in the target: a fresh or only migrated database has none
    (the catalogues the migrations seed do not count)."""
    tables = connection.introspection.table_names()
    if User._meta.db_table not in tables or Org._meta.db_table not in tables:
        return 0, 0
    return User.objects.count(), Org.objects.count()


def _code_migrations():
    return {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}


def pending_migrations(manifest):
    """The code's migrations the backup's schema lacks: `zonedesk migrate` applies them."""
    return sorted(_code_migrations() - set(manifest["migrations"]))


def _load_database(vendor, path):
    connection.close()
    if vendor == "sqlite":
        # The backup API writes into the live file under SQLite's own locks, so the result
        # is either the old database or the new one, never a half-copied file.
        name = Path(settings.DATABASES["default"]["NAME"])
        name.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(path)
        target = sqlite3.connect(name, timeout=20)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        # One transaction: pg_restore either replaces every object or leaves the database.
        _pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(path),
            failed="失败，数据库未改动",
        )


def _pg(program, *args, failed):
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if key in db.get("OPTIONS", {}):
            env[f"PG{key.upper()}"] = str(db["OPTIONS"][key])
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"找不到 {program}：请安装与数据库服务器同版本的 PostgreSQL 客户端（postgresql-client）"
        )
    result = subprocess.run(
        [executable, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} {failed}：{result.stderr.strip()}")
