"""`khabar backup [--out DIR]`: a consistent snapshot of the database and media while the site runs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khabar.ops.backup import BackupError, create_backup

METHODS = {
    "sqlite-backup-api": "SQLite online backup API",
    "pg_dump": "pg_dump (custom format)",
    "dumpdata": "Django dumpdata (JSON)",
}


class Command(BaseCommand):
    help = "Write the database and media files into one timestamped .tar.gz with a manifest and checksums."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "backups"), help="folder for the archive")
        parser.add_argument(
            "--database-format",
            choices=["native", "json"],
            default="native",
            help="native: SQLite backup API or pg_dump (default); json: Django dumpdata, portable across engines",
        )

    def handle(self, *args, out: str, database_format: str, **options):
        try:
            result = create_backup(Path(out), database_format=database_format)
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from None
        self.stdout.write(f"{result.path}\n")
        self.stderr.write(f"database: {METHODS[result.method]}; {result.files} files; checksums in manifest.json")
