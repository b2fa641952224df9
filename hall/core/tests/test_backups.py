"""manage.py backup and manage.py restore: a hall with cases and files is backed
up, restored by another process into a new database and a new MEDIA_ROOT, and
every table count and file checksum is the same; a backup that does not match
its manifest, or a hall that already holds data, is refused with nothing changed.

On SQLite the new database is a fresh file; on PostgreSQL a fresh database that
the test creates and drops."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _organisation(transactional_db):
    """Transactional tests empty the database afterwards; load the organisation first."""
    from hall.org import demo

    demo.load()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def hall_with_files(media_root, make_case, online_item):
    """Cases in several states with their uploads, and a catalogue template."""
    cases = [make_case(), make_case(status="accepted"), make_case(status="approved")]
    material = online_item.materials.get(name="食品经营许可申请书")
    material.template.save("空白表格.png", ContentFile(PNG_BYTES))
    (media_root / "cases" / "空 目录").mkdir(parents=True)  # an empty folder is not a file
    return cases


def table_counts_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def pg_tools_or_skip():
    if all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "psql")):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("pg_dump, pg_restore and psql are required on PostgreSQL when CI=true")
    pytest.skip("pg_dump/pg_restore/psql not installed (apt-get install postgresql-client)")


class Target:
    """A new, empty place to restore into, and a way to count its rows."""

    def __init__(self, database_url: str, media: Path, counts, close=None):
        self.database_url, self.media, self.counts, self.close = database_url, media, counts, close

    def run(self, *args: str, media: Path | None = None):
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(media or self.media),
        }
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def restore(self, folder: Path, *extra: str, media: Path | None = None):
        return self.run("restore", "--skip-checks", str(folder), *extra, media=media)

    def manage(self, *args: str):
        done = self.run(*args)
        assert done.returncode == 0, done.stderr


def _sqlite_counts(path: Path):
    def counts() -> dict[str, int]:
        if not path.exists():
            return {}
        db = sqlite3.connect(path)
        try:
            names = [
                r[0]
                for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            sql = 'SELECT COUNT(*) FROM "{}"'
            return {n: db.execute(sql.format(n)).fetchone()[0] for n in names}
        finally:
            db.close()

    return counts


@pytest.fixture
def target(tmp_path):
    if connection.vendor == "sqlite":
        path = tmp_path / "restored" / "hall.sqlite3"
        yield Target(f"sqlite:///{path}", tmp_path / "restored-media", _sqlite_counts(path))
        return
    import psycopg

    pg_tools_or_skip()
    db = settings.DATABASES["default"]
    name = db["NAME"] + "_restore"
    params = {
        k: v
        for k, v in {
            "host": db.get("HOST"),
            "port": db.get("PORT"),
            "user": db.get("USER"),
            "password": db.get("PASSWORD"),
        }.items()
        if v
    }
    admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')

    def counts() -> dict[str, int]:
        with psycopg.connect(dbname=name, **params) as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                )
            ]
            sql = 'SELECT COUNT(*) FROM "{}"'
            return {n: conn.execute(sql.format(n)).fetchone()[0] for n in names}

    url = urlsplit(os.environ["DATABASE_URL"])
    try:
        yield Target(urlunsplit(url._replace(path="/" + name)), tmp_path / "restored-media", counts)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def backed_up(hall_with_files, tmp_path):
    if connection.vendor == "postgresql":
        pg_tools_or_skip()
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    return folder


def test_a_backup_restores_every_row_and_file_into_a_new_hall(
    hall_with_files, media_root, backed_up, target
):
    counts, files = table_counts_here(), checksums(media_root)
    assert counts["cases_case"] == 3 and counts["cases_casefile"] >= 3
    assert len(files) >= 4 and any(n.startswith("catalogue/") for n in files)
    manifest = json.loads((backed_up / "manifest.json").read_text())
    assert manifest["tables"] == counts
    assert {k: v["sha256"] for k, v in manifest["media"].items()} == files

    # The new hall was set up as the README says (migrate, createcachetable):
    # the rows those make by themselves do not count as data.
    target.manage("migrate", "--noinput", "--skip-checks")
    target.manage("createcachetable")
    assert target.counts()["django_migrations"] > 0
    done = target.restore(backed_up)
    assert done.returncode == 0, done.stderr
    assert target.counts() == counts
    assert checksums(target.media) == files

    # Now that hall holds data: a second restore is refused, unless forced.
    other_media = target.media.with_name("other-media")
    again = target.restore(backed_up, media=other_media)
    assert again.returncode != 0
    assert "目标数据库已有数据" in again.stderr and "--force" in again.stderr
    assert not other_media.exists()
    forced = target.restore(backed_up, "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.counts() == counts
    assert checksums(target.media) == files


def test_restore_refuses_media_root_that_has_files(backed_up, target):
    target.media.mkdir(parents=True)
    (target.media / "old.pdf").write_bytes(PDF_BYTES)
    refused = target.restore(backed_up)
    assert refused.returncode != 0 and "目标文件目录" in refused.stderr
    assert target.counts().get("cases_case") is None
    assert [p.name for p in target.media.rglob("*")] == ["old.pdf"]


def _damage_media_file(folder: Path):
    victim = next(p for p in sorted((folder / "media").rglob("*")) if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"x")
    return "校验和不符"


def _damage_database(folder: Path):
    db = next(folder.glob("database.*"))
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0xFF
    db.write_bytes(bytes(data))
    return "校验和不符：database."


def _add_stray_file(folder: Path):
    (folder / "media" / "cases" / "stray.pdf").write_bytes(PDF_BYTES)
    return "清单中没有此文件"


def _remove_media_file(folder: Path):
    next(p for p in sorted((folder / "media").rglob("*")) if p.is_file()).unlink()
    return "缺少文件"


def _path_outside_media(folder: Path):
    manifest = json.loads((folder / "manifest.json").read_text())
    name, entry = next(iter(manifest["media"].items()))
    manifest["media"]["../outside.pdf"] = entry
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return "路径须在 media 目录之内"


def _count_changed(folder: Path):
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"]["cases_case"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return "cases_case"


def _no_manifest(folder: Path):
    (folder / "manifest.json").unlink()
    return "没有 manifest.json"


def _broken_manifest(folder: Path):
    (folder / "manifest.json").write_text("{not json")
    return "不是有效的 JSON"


DAMAGES = [
    _damage_media_file,
    _damage_database,
    _add_stray_file,
    _remove_media_file,
    _path_outside_media,
    _count_changed,
    _no_manifest,
    _broken_manifest,
]


def test_a_backup_that_does_not_match_its_manifest_is_refused_and_nothing_is_restored(
    backed_up, target, tmp_path
):
    # One backup, one damaged copy of it per case (making a backup is the slow part).
    for damage in DAMAGES:
        folder = tmp_path / "damaged" / damage.__name__
        shutil.copytree(backed_up, folder)
        message = damage(folder)
        refused = target.restore(folder)
        assert refused.returncode != 0, damage.__name__
        assert message in refused.stderr, (damage.__name__, refused.stderr)
        assert "Traceback" not in refused.stderr, damage.__name__
        assert target.counts().get("cases_case") is None, damage.__name__
        assert not target.media.exists() or not any(target.media.rglob("*")), damage.__name__
        assert not (tmp_path / "outside.pdf").exists()
    # The same target, still empty, takes the undamaged backup.
    done = target.restore(backed_up)
    assert done.returncode == 0, done.stderr
    assert target.counts()["cases_case"] == 3


def test_a_backup_is_not_written_over_another(backed_up):
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", str(backed_up))


def test_the_backup_keeps_personal_data_to_its_owner(backed_up):
    assert (backed_up.stat().st_mode & 0o077) == 0
    for path in [backed_up / "manifest.json", *backed_up.glob("database.*")]:
        assert (path.stat().st_mode & 0o077) == 0, path
