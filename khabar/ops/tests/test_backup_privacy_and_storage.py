"""Backups and the embedded database are readable by their owner only; a backup reads media
through the storage API (so object storage is backed up too); a restore never leaves the old
site in the page cache (issue 11, item 14 and "Also")."""

from __future__ import annotations

import os
import sqlite3
import stat
import tarfile
import tempfile
from pathlib import Path
from unittest import mock

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import TestCase, override_settings

from khabar import testing
from khabar.core.tests.test_page_cache import PageCacheTestCase
from khabar.ops import backup


def _tiny_dump(staging: Path, database_format: str) -> str:
    """Stands in for the database dump (tested in test_backup_restore.py): these tests are about
    the archive's mode and its media, and an in-memory test database cannot be snapshotted here."""
    (staging / backup.DB_FILES["sqlite-backup-api"]).write_bytes(b"SQLite format 3\x00")
    return "sqlite-backup-api"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class Umask022:
    """What most machines have: new files 0644 unless the code says otherwise."""

    def __enter__(self):
        self.previous = os.umask(0o022)

    def __exit__(self, *exc):
        os.umask(self.previous)


@mock.patch.object(backup, "_dump_database", _tiny_dump)
class BackupFilesArePrivate(TestCase):
    def test_a_backup_archive_and_its_folder_are_owner_only_whatever_the_umask(self):
        with tempfile.TemporaryDirectory() as folder, Umask022():
            result = backup.create_backup(Path(folder) / "backups")
            self.assertEqual(mode(result.path), 0o600)
            self.assertEqual(mode(Path(folder) / "backups"), 0o700)

    def test_the_sqlite_database_file_is_made_owner_only_when_opened(self):
        with tempfile.TemporaryDirectory() as folder, Umask022():
            name = Path(folder) / "db.sqlite3"
            sqlite3.connect(name).close()
            self.assertEqual(mode(name), 0o644)
            wrapper = DatabaseWrapper({**_sqlite_settings(), "NAME": str(name)}, alias="privacy-check")
            wrapper.ensure_connection()
            wrapper.close()
            self.assertEqual(mode(name), 0o600)


def _sqlite_settings() -> dict:
    from django.db import connections

    settings_dict = dict(connections["default"].settings_dict)
    settings_dict.update(ENGINE="django.db.backends.sqlite3", OPTIONS={}, TEST={})
    return settings_dict


@mock.patch.object(backup, "_dump_database", _tiny_dump)
class BackupReadsMediaThroughTheStorage(TestCase):
    def test_files_of_a_storage_outside_media_root_are_in_the_archive(self):
        with tempfile.TemporaryDirectory() as elsewhere, tempfile.TemporaryDirectory() as out:
            storages = {
                "default": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": elsewhere},
                },
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
            }
            with override_settings(STORAGES=storages):
                default_storage.save("documents/budget.pdf", ContentFile(b"%PDF budget"))
                default_storage.save("original_images/plant.png", ContentFile(b"png bytes"))
                result = backup.create_backup(Path(out))
            with tarfile.open(result.path) as archive:
                names = set(archive.getnames())
        self.assertIn("media/documents/budget.pdf", names)
        self.assertIn("media/original_images/plant.png", names)


class RestoreForgetsCachedPages(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        testing.article(testing.section("Iraq News", slug="iraq"), "Old site story")

    def test_after_a_restore_no_page_of_the_old_site_is_served_from_the_cache(self):
        caches["default"].clear()
        self.client.get("/en/")
        self.assertEqual(self.client.get("/en/")["X-Cache"], "HIT")
        with self.captureOnCommitCallbacks(execute=True):
            backup._forget_cached_pages()
        self.assertNotEqual(self.client.get("/en/")["X-Cache"], "HIT")
        self.assertNotEqual(self.client.get("/en/")["X-Cache"], "STALE")
