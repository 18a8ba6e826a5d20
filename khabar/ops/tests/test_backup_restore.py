"""`khabar backup` and `khabar restore`: a populated site survives the round trip; bad archives are refused."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import SimpleTestCase, TestCase

from khabar import testing
from khabar.ops.backup import site_counts


def site_fingerprint() -> dict:
    from wagtail.models import Page

    return {"counts": site_counts(), "pages": sorted(Page.objects.values_list("url_path", "title", "live"))}


def run(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def khabar(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "khabar", *args, env=env, check=check)


def scenario(step: str, env: dict[str, str]) -> dict:
    output = run(sys.executable, "-m", "khabar.ops.tests.backup_scenario", step, env=env).stdout
    return json.loads(output.strip().splitlines()[-1])


class BackupRoundTripTests(SimpleTestCase):
    """A populated site is backed up, wiped, restored and compared, in its own processes and database.

    SQLite always; PostgreSQL too when the suite runs with a PostgreSQL DATABASE_URL (it then uses a
    database of its own next to the test database, dropped at the end).
    """

    databases = {"default"}  # only to reach the PostgreSQL server for CREATE/DROP DATABASE

    def setUp(self):
        self.work = Path(tempfile.mkdtemp(prefix="khabar-roundtrip-"))
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "REDIS_", "KHABAR_VAR_DIR", "MEDIA_ROOT"))
        }
        self.env.update(
            SECRET_KEY="round-trip-test",
            ALLOWED_HOSTS="testserver,localhost",
            KHABAR_VAR_DIR=str(self.work / "var"),
            DJANGO_SETTINGS_MODULE="khabar.settings",
        )
        (self.work / "var").mkdir()

    def _postgres_env(self) -> dict[str, str] | None:
        if connection.vendor != "postgresql":
            return None
        db = connection.settings_dict
        name = f"{db['NAME']}_roundtrip"[:63]
        auth = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        return {**self.env, "DATABASE_URL": url, "KHABAR_TEST_PG_NAME": name}

    def _recreate_postgres(self, env: dict[str, str]) -> None:
        self._drop_postgres(env)
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{env["KHABAR_TEST_PG_NAME"]}"')

    def _drop_postgres(self, env: dict[str, str]) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{env["KHABAR_TEST_PG_NAME"]}" WITH (FORCE)')

    def _wipe(self, env: dict[str, str]) -> None:
        if "DATABASE_URL" in env:
            self._recreate_postgres(env)
        shutil.rmtree(self.work / "var")
        (self.work / "var").mkdir()

    def _round_trip(self, env: dict[str, str], *backup_options: str) -> dict:
        if "DATABASE_URL" in env:
            self._recreate_postgres(env)
            self.addCleanup(self._drop_postgres, env)
        khabar("migrate", "--noinput", "-v0", env=env)
        scenario("populate", env)
        before = scenario("fingerprint", env)
        self.assertGreater(before["counts"]["images"], 0)
        self.assertTrue(before["media"])
        archive = Path(khabar("backup", "--out", str(self.work / "backups"), *backup_options, env=env).stdout.strip())
        self._wipe(env)  # an empty database and no media, as on a new machine
        khabar("restore", str(archive), env=env)
        self.assertEqual(scenario("fingerprint", env), before)
        self.assertEqual(scenario("render", env), {"status": 200, "credit_shown": True})
        # Restoring again over the restored site is refused without --force.
        refused = khabar("restore", str(archive), env=env, check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("already has content", refused.stderr)
        with tarfile.open(archive) as tar:
            return json.loads(tar.extractfile("manifest.json").read())

    def test_a_populated_sqlite_site_survives_backup_wipe_and_restore_and_force_replaces_later_content(self):
        manifest = self._round_trip(self.env)
        self.assertEqual(manifest["database"]["method"], "sqlite-backup-api")
        expected = scenario("fingerprint", self.env)
        scenario("more", self.env)  # content added after the restore
        self.assertNotEqual(scenario("fingerprint", self.env), expected)
        archive = next((self.work / "backups").glob("*.tar.gz"))
        output = khabar("restore", str(archive), "--force", env=self.env).stdout
        self.assertEqual(scenario("fingerprint", self.env), expected)
        self.assertIn("kept in", output)  # the media that was there is moved aside, not deleted
        self.assertTrue(list((self.work / "var").glob("media.before-restore-*")))

    def test_the_portable_json_format_round_trips_on_sqlite(self):
        manifest = self._round_trip(self.env, "--database-format", "json")
        self.assertEqual(manifest["database"]["method"], "dumpdata")

    def test_a_populated_postgresql_site_survives_backup_wipe_and_restore(self):
        env = self._postgres_env()
        if env is None:
            self.skipTest("the suite runs on SQLite; the PostgreSQL run (DATABASE_URL) covers this")
        self.assertEqual(self._round_trip(env)["database"]["method"], "pg_dump")

    def test_the_portable_json_format_round_trips_on_postgresql(self):
        env = self._postgres_env()
        if env is None:
            self.skipTest("the suite runs on SQLite; the PostgreSQL run (DATABASE_URL) covers this")
        self.assertEqual(self._round_trip(env, "--database-format", "json")["database"]["method"], "dumpdata")


class BadArchiveTests(TestCase):
    """Every refusal happens before anything is changed."""

    def setUp(self):
        self.out = Path(tempfile.mkdtemp(prefix="khabar-backup-test-"))
        self.addCleanup(shutil.rmtree, self.out, ignore_errors=True)
        testing.newsroom(articles_per_section=1)
        stdout = io.StringIO()
        # JSON: this class runs inside a test transaction, which SQLite's backup API would wait on forever.
        call_command("backup", "--out", str(self.out), "--database-format", "json", stdout=stdout, stderr=io.StringIO())
        self.archive = Path(stdout.getvalue().strip())
        self.before = site_fingerprint()

    def _rewrite(self, change) -> Path:
        """Copy the archive, letting `change(name, data)` return new bytes (or None to drop the member)."""
        target = self.out / "tampered.tar.gz"
        with tarfile.open(self.archive) as source, tarfile.open(target, "w:gz") as result:
            for member in source.getmembers():
                data = change(member.name, source.extractfile(member).read())
                if data is None:
                    continue
                member.size = len(data)
                result.addfile(member, io.BytesIO(data))
        return target

    def assertRefused(self, archive: Path, message: str) -> None:
        with self.assertRaisesMessage(CommandError, message):
            call_command("restore", str(archive), "--force")
        self.assertEqual(site_fingerprint(), self.before)

    def test_a_damaged_file_is_refused_naming_it(self):
        def flip(name, data):
            return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("database") else data

        self.assertRefused(self._rewrite(flip), "does not match its checksum")

    def test_a_missing_manifest_is_refused(self):
        self.assertRefused(self._rewrite(lambda n, d: None if n == "manifest.json" else d), "manifest.json is missing")

    def test_a_missing_database_file_is_refused(self):
        self.assertRefused(
            self._rewrite(lambda n, d: None if n.startswith("database") else d), "missing from the archive"
        )

    def test_a_file_not_in_the_manifest_is_refused(self):
        target = self.out / "extra.tar.gz"
        shutil.copy(self.archive, target)
        with tarfile.open(self.archive) as source, tarfile.open(target, "w:gz") as result:
            for member in source.getmembers():
                result.addfile(member, source.extractfile(member))
            extra = tarfile.TarInfo("media/evil.html")
            extra.size = 4
            result.addfile(extra, io.BytesIO(b"<b/>"))
        self.assertRefused(target, "media/evil.html is in the archive but not in manifest.json")

    def test_a_path_escaping_the_target_is_refused(self):
        def escape(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            manifest["files"][0]["path"] = "../../etc/cron.d/evil"
            return json.dumps(manifest).encode()

        self.assertRefused(self._rewrite(escape), "unsafe path")

    def test_a_file_that_is_not_a_backup_is_refused(self):
        junk = self.out / "junk.tar.gz"
        junk.write_bytes(b"this is not gzip")
        self.assertRefused(junk, "not a readable Khabar backup")
        self.assertRefused(self.out / "missing.tar.gz", "no such file")

    def test_a_backup_from_a_newer_release_is_refused(self):
        def newer(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            manifest["migrations"]["news"] = "9999_from_the_future"
            return json.dumps(manifest).encode()

        self.assertRefused(self._rewrite(newer), "migration news.9999_from_the_future is unknown here")

    def test_check_only_reads_the_archive(self):
        stdout = io.StringIO()
        call_command("restore", str(self.archive), "--check", stdout=stdout)
        self.assertIn("OK", stdout.getvalue())
