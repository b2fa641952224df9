"""Write a backup of the hall: manage.py backup <folder>

The folder (new or empty) gets a consistent copy of the database, every file
under MEDIA_ROOT and manifest.json with the row count of every table and the
SHA-256 of every file. See hall/core/backups.py and the README's "Backups".
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hall.core import backups


class Command(BaseCommand):
    help = "Back up the database and the media files, with a manifest of counts and checksums."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a new (or empty) folder for this backup")

    def handle(self, *args, folder, **options):
        try:
            manifest = backups.backup(Path(folder))
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        size = manifest["database"]["bytes"] + sum(f["bytes"] for f in manifest["media"].values())
        self.stdout.write(
            f"backup of {manifest['engine']} written to {folder}: {len(manifest['tables'])} "
            f"tables, {rows} rows, {len(manifest['media'])} files, {size / 1e6:.1f} MB"
        )
