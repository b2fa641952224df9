"""Backups that restore: a consistent copy of the database and the media files,
with a manifest of row counts and SHA-256 checksums (`manage.py backup` and
`manage.py restore`).

A backup folder holds

    manifest.json      written last: a folder without it is an unfinished backup
    database.sqlite3   SQLite: a page copy made by SQLite's online backup API
    database.pgdump    PostgreSQL: pg_dump's custom format
    media/…            every file under MEDIA_ROOT

The database is copied first, in one snapshot (the backup API on SQLite, an
exported repeatable-read snapshot shared by pg_dump and the row counts on
PostgreSQL), the files after it: uploaded files are added, never rewritten, so
every file the copied rows name is already on disk when the files are copied; a
file uploaded meanwhile is in the folder without its row, which is harmless.

A restore checks every checksum and the shape of the manifest before it touches
anything, refuses a hall that already holds data (unless forced), and compares
the row counts of the restored database with the manifest.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FORMAT = 1
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
_CHUNK = 1024 * 1024
# The names Django gives tables; a manifest naming anything else is refused
# before a name reaches SQL.
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
# Tables that `migrate` and `createcachetable` fill by themselves: rows there do
# not make a hall "not empty".
_SELF_FILLED = {"django_migrations", "django_content_type", "auth_permission", "django_session"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Chinese."""


# --- files ----------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source: Path, target: Path, mode: int) -> dict:
    """Copy through a temporary name and return the checksum of the bytes written."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with open(source, "rb") as src, open(partial, "wb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    os.chmod(partial, mode)
    os.replace(partial, target)
    return {"sha256": digest.hexdigest(), "bytes": size}


def _files_under(root: Path) -> list[str]:
    """Relative POSIX paths of the regular files under `root` (symbolic links are not followed)."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return found


def _safe_relative(name: object) -> bool:
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and all(part not in ("", ".", "..") for part in path.parts)


# --- database -------------------------------------------------------------------


def _engine() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            _("不支持此数据库（%(vendor)s）的备份，只支持 SQLite 和 PostgreSQL。")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _cache_tables() -> set[str]:
    return {
        c["LOCATION"]
        for c in settings.CACHES.values()
        if c.get("BACKEND", "").endswith("DatabaseCache") and c.get("LOCATION")
    }


def _count_rows(cursor, tables, quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalog)
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_file_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return _count_rows(db.cursor(), tables, _sqlite_quote)


def _sqlite_check(db: sqlite3.Connection) -> None:
    result = db.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(_("数据库副本未通过完整性检查：%(result)s") % {"result": result})


def _hall_counts() -> dict[str, int]:
    """Rows per table of the hall's own database, as it is now."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _count_rows(cursor, tables, connection.ops.quote_name)


def _pg_env() -> dict[str, str]:
    """libpq's variables for the hall's database: the password never on a command line."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in [
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ]:
        if db.get(key):
            env[var] = str(db[key])
    for option, var in [("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")]:
        if db.get("OPTIONS", {}).get(option):
            env[var] = str(db["OPTIONS"][option])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "找不到 PostgreSQL 客户端工具 %(tool)s：请安装与数据库服务器同版本或更新的"
                "客户端（Debian：apt-get install postgresql-client）。"
            )
            % {"tool": name}
        )
    return path


def _run_pg_tool(args: list[str]) -> None:
    # The tool's path comes from shutil.which, its arguments from settings: no shell.
    done = subprocess.run(  # noqa: S603
        args, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败（退出码 %(code)s）：%(error)s")
            % {
                "tool": Path(args[0]).name,
                "code": done.returncode,
                "error": (done.stderr or done.stdout).strip()[-2000:],
            }
        )


def _backup_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step: the source is read under one read transaction, so the copy
        # is a consistent snapshot while the hall keeps writing (WAL).
        connection.connection.backup(copy)
        # A self-contained file: no -wal beside it to lose or to checksum.
        copy.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(copy)
        counts = _sqlite_file_counts(copy)
    finally:
        copy.close()
    os.chmod(target, 0o600)
    return counts


def _backup_postgresql(target: Path) -> dict[str, int]:
    pg_dump = _pg_tool("pg_dump")
    if connection.in_atomic_block:
        raise BackupError(_("备份不能在事务中进行。"))
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump and the counts read one snapshot, so they agree with each other.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run_pg_tool(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ]
        )
        tables = connection.introspection.table_names(cursor)
        counts = _count_rows(cursor, tables, connection.ops.quote_name)
    os.chmod(target, 0o600)
    return counts


# --- backup ---------------------------------------------------------------------


def backup(folder: Path) -> dict:
    """Write a backup of the hall into `folder` (new or empty) and return its manifest."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(
            _("备份目录 %(folder)s 已存在且不是空目录：请为每次备份使用新的目录。")
            % {"folder": folder}
        )
    engine = _engine()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = folder / DATABASE_FILES[engine]
    copy_database = _backup_sqlite if engine == "sqlite" else _backup_postgresql
    counts = copy_database(database)
    media_root = Path(settings.MEDIA_ROOT)
    media = {
        name: _copy_hashing(media_root / name, folder / MEDIA / name, 0o600)
        for name in _files_under(media_root)
    }
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "database": {
            "file": database.name,
            "sha256": sha256_file(database),
            "bytes": database.stat().st_size,
        },
        "tables": counts,
        "media": media,
    }
    partial = folder / (MANIFEST + ".partial")
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    os.chmod(partial, 0o600)
    os.replace(partial, folder / MANIFEST)
    return manifest


# --- restore --------------------------------------------------------------------


def _shape_problems(manifest: object) -> list[str]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return [_("清单格式不是本系统的备份格式（format %(format)s）。") % {"format": FORMAT}]
    problems = []
    engine = manifest.get("engine")
    database = manifest.get("database")
    if engine not in DATABASE_FILES:
        problems.append(_("清单中的数据库类型无效。"))
    elif not isinstance(database, dict) or database.get("file") != DATABASE_FILES[engine]:
        problems.append(_("清单中的数据库文件名无效。"))
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(k, str) and _TABLE_NAME.fullmatch(k) and type(v) is int and v >= 0
        for k, v in tables.items()
    ):
        problems.append(_("清单中的行数记录无效。"))
    media = manifest.get("media")
    if not isinstance(media, dict) or not all(
        _safe_relative(k) and isinstance(v, dict) and isinstance(v.get("sha256"), str)
        for k, v in media.items()
    ):
        problems.append(_("清单中的文件记录无效（路径须在 media 目录之内）。"))
    return problems


def verify(folder: Path) -> dict:
    """The folder's manifest, once every file in the folder agrees with it."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            _("%(folder)s 中没有 manifest.json：不是备份目录，或备份没有完成。")
            % {"folder": folder}
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(_("manifest.json 不是有效的 JSON，备份已损坏。")) from None
    problems = _shape_problems(manifest)
    if not problems:
        expected = {manifest["database"]["file"]: manifest["database"]["sha256"]}
        expected |= {f"{MEDIA}/{k}": v["sha256"] for k, v in manifest["media"].items()}
        for name, checksum in expected.items():
            path = folder / name
            if not path.is_file():
                problems.append(_("缺少文件：%(name)s") % {"name": name})
            elif sha256_file(path) != checksum:
                problems.append(_("校验和不符：%(name)s") % {"name": name})
        for name in _files_under(folder / MEDIA):
            if f"{MEDIA}/{name}" not in expected:
                problems.append(_("清单中没有此文件：%(name)s") % {"name": f"{MEDIA}/{name}"})
    if problems:
        shown = "\n  ".join(problems[:20])
        more = len(problems) - 20
        if more > 0:
            shown += "\n  " + _("……另有 %(count)s 处问题") % {"count": more}
        raise BackupError(_("备份与清单不符，未做任何恢复：\n  %(problems)s") % {"problems": shown})
    return manifest


def _hall_data_tables() -> list[str]:
    """Tables of the hall's database that hold rows of their own."""
    ignore = _SELF_FILLED | _cache_tables()
    return [t for t, n in _hall_counts().items() if n and t not in ignore]


def _count_problems(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    names = sorted(set(expected) | set(actual))
    return [
        _("表 %(table)s：清单 %(expected)s 行，恢复后 %(actual)s 行")
        % {"table": t, "expected": expected.get(t, "—"), "actual": actual.get(t, "—")}
        for t in names
        if expected.get(t) != actual.get(t)
    ]


def _restore_sqlite(source: Path, manifest: dict) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    partial = target.with_name(target.name + ".restoring")
    copied = _copy_hashing(source, partial, 0o600)
    if copied["sha256"] != manifest["database"]["sha256"]:
        partial.unlink()
        raise BackupError(_("复制数据库副本时校验和不符，未做任何恢复。"))
    db = sqlite3.connect(partial)
    try:
        _sqlite_check(db)
        problems = _count_problems(manifest["tables"], _sqlite_file_counts(db))
    finally:
        db.close()
    if problems:
        partial.unlink()
        raise BackupError(
            _("数据库副本的行数与清单不符，未做任何恢复：\n  %(problems)s")
            % {"problems": "\n  ".join(problems[:20])}
        )
    connection.close()
    # The old file's write-ahead log must not be applied to the restored file.
    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(partial, target)


_COUNTS_DIFFER = "row counts differ from the manifest:"


def _pg_count_check(tables: dict[str, int]) -> str:
    """SQL that raises when a restored table does not hold the manifest's rows."""
    # pg_restore's script empties search_path; the hall's tables are found by the default one.
    lines = ["RESET search_path;", "DO $check$", "DECLARE wrong text := ''; n bigint;", "BEGIN"]
    for table, expected in sorted(tables.items()):
        name = connection.ops.quote_name(table)
        literal = "'" + table.replace("'", "''") + "'"
        lines.append(
            f"  SELECT count(*) INTO n FROM {name};"  # noqa: S608 (names checked by _TABLE_NAME)
            f" IF n <> {int(expected)} THEN wrong := wrong || ' ' || {literal}"
            f" || ' ' || n || '/' || {int(expected)}; END IF;"
        )
    lines += [
        f"  IF wrong <> '' THEN RAISE EXCEPTION '{_COUNTS_DIFFER}%', wrong;",
        "  END IF;",
        "END",
        "$check$;",
    ]
    return "\n".join(lines) + "\n"


def _restore_postgresql(source: Path, manifest: dict) -> None:
    """pg_restore's script and a row-count check in one transaction (psql -1):
    a restore whose counts differ from the manifest is rolled back whole."""
    pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
    connection.close()
    with tempfile.TemporaryDirectory(prefix="hall-restore-") as work:
        script, check = Path(work) / "restore.sql", Path(work) / "check.sql"
        _run_pg_tool(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                f"--file={script}",
                str(source),
            ]
        )
        check.write_text(_pg_count_check(manifest["tables"]), encoding="utf-8")
        try:
            _run_pg_tool(
                [
                    psql,
                    "--no-psqlrc",
                    "--quiet",
                    "--no-password",
                    "--single-transaction",
                    "--set=ON_ERROR_STOP=1",
                    f"--dbname={settings.DATABASES['default']['NAME']}",
                    f"--file={script}",
                    f"--file={check}",
                ]
            )
        except BackupError as exc:
            if _COUNTS_DIFFER not in str(exc):
                raise
            tables = str(exc).split(_COUNTS_DIFFER, 1)[1].splitlines()[0]
            raise BackupError(
                _("恢复后的行数与清单不符（表/清单：%(tables)s），已全部撤销，未做任何恢复。")
                % {"tables": tables.strip()}
            ) from None


def restore(folder: Path, *, force: bool = False) -> dict:
    """Bring the backup in `folder` back into this (empty) hall; return its manifest."""
    folder = Path(folder)
    manifest = verify(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            _("此备份来自 %(source)s 数据库，不能恢复到 %(target)s 数据库。")
            % {"source": manifest["engine"], "target": engine}
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        tables = _hall_data_tables()
        if tables:
            raise BackupError(
                _(
                    "目标数据库已有数据（%(tables)s 等），未做任何恢复。请恢复到新的空数据库；"
                    "确需覆盖时加 --force。"
                )
                % {"tables": "、".join(tables[:5])}
            )
        if _files_under(media_root):
            raise BackupError(
                _(
                    "目标文件目录 %(media)s 中已有文件，未做任何恢复。请使用新的空目录；"
                    "确需覆盖时加 --force。"
                )
                % {"media": media_root}
            )
    database = folder / manifest["database"]["file"]
    if engine == "sqlite":
        _restore_sqlite(database, manifest)
    else:
        _restore_postgresql(database, manifest)
    mode = settings.FILE_UPLOAD_PERMISSIONS or 0o640
    for name, recorded in manifest["media"].items():
        copied = _copy_hashing(folder / MEDIA / name, media_root / name, mode)
        if copied["sha256"] != recorded["sha256"]:
            raise BackupError(_("复制文件时校验和不符：%(name)s") % {"name": name})
    return manifest
