"""`khabar restore FILE [--force]`: put a `khabar backup` archive back, after checking it whole."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khabar.ops.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `khabar backup`. Refuses to replace a site that has content without --force."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .tar.gz written by `khabar backup`")
        parser.add_argument("--force", action="store_true", help="replace the content of a site that has some")
        parser.add_argument("--check", action="store_true", help="only check the archive and its checksums")

    def handle(self, *args, file: str, force: bool, check: bool, **options):
        path = Path(file)
        try:
            if check:
                manifest = read_manifest(path)
                self.stdout.write(f"{path}: OK ({len(manifest['files'])} files, {manifest['database']['method']})")
                return
            manifest = restore_backup(path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{value} {name}" for name, value in manifest.get("counts", {}).items())
        self.stdout.write(f"restored {path} (made {manifest['created_at']}): {counts}")
        if manifest.get("previous_media"):
            self.stdout.write(f"the media files that were here are kept in {manifest['previous_media']}")
