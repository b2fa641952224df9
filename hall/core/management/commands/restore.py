"""Bring a backup back into an empty hall: manage.py restore <folder> [--force]

Every checksum is checked against the manifest before anything is written; the
database named by DATABASE_URL and the folder MEDIA_ROOT must be empty unless
--force is given. Stop the hall's servers and workers first, and run
`manage.py migrate` afterwards when the code is newer than the backup.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hall.core import backups


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite a database and MEDIA_ROOT that already hold data",
        )

    def handle(self, *args, folder, force, **options):
        try:
            manifest = backups.restore(Path(folder), force=force)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"restored the backup of {manifest['created_at']}: {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {len(manifest['media'])} files; "
            "counts and checksums agree with the manifest"
        )
