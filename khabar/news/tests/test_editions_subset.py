"""A site of two editions, en and ckb, with ckb the default, set up by the environment alone.

The real site process: KHABAR_LANGUAGES and KHABAR_DEFAULT_LANGUAGE are read when the settings load,
so a child Python process gets them, creates a fresh SQLite database (tables from the models), makes the editions and
answers requests through Django's test client; it prints what it saw as JSON.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, tag

SITE = r"""
import json
import django

from django.conf import settings


class NoMigrations(dict):
    # Tables straight from the models: a full migrate takes most of a minute on a busy machine.

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


settings.MIGRATION_MODULES = NoMigrations()
django.setup()
from django.core.management import call_command
from django.test import Client

call_command("migrate", run_syncdb=True, verbosity=0)
from khabar.news.editions import ensure_editions
from khabar.news.models import HomePage
from khabar.testing import restore_wagtail_roots

restore_wagtail_roots()  # what Wagtail's migrations would have made
ensure_editions()


def get(path, accept=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept is not None else {}
    response = Client(HTTP_HOST="localhost").get(path, **headers)
    final = Client(HTTP_HOST="localhost").get(path, follow=True, **headers)
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "final": [final.status_code, final.request["PATH_INFO"]],
        "body": final.content.decode(),
    }


print(json.dumps({
    "homes": sorted(HomePage.objects.values_list("locale__language_code", flat=True)),
    "root": {accept: get("/", accept)["location"] for accept in
             ["ckb", "ckb-IQ", "ku", "ku, en;q=0.5", "en", "en-GB,en;q=0.9", "ar", "fr", ""]},
    "root_without_header": get("/")["location"],
    "pages": {path: get(path) for path in [
        "/ckb/", "/en/", "/ar/", "/ar/feed/", "/ckb/feed/", "/sitemap.xml", "/sitemap-ar.xml", "/sitemap-ckb.xml",
        "/ckb/corrections/", "/api/v2/pages/?type=news.SectionPage&locale=ar",
    ]},
}))
"""


@tag("slow")  # a child process migrates a database
class SubsetAndDefaultTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with tempfile.TemporaryDirectory() as var:
            # The collected static files (the manifest the templates read) are the test run's own.
            Path(var, "static").symlink_to(settings.STATIC_ROOT, target_is_directory=True)
            env = {
                key: value
                for key, value in os.environ.items()
                if key not in {"DATABASE_URL", "REDIS_URL", "DATABASE_TEST_NAME", "KHABAR_TASKS"}
            }
            env |= {
                "KHABAR_LANGUAGES": "en,ckb",
                "KHABAR_DEFAULT_LANGUAGE": "ckb",
                "KHABAR_VAR_DIR": var,
                "DJANGO_SETTINGS_MODULE": "khabar.settings",
                "SECRET_KEY": "subset-test",
                "DEBUG": "0",
            }
            result = subprocess.run(  # noqa: S603 - our own interpreter on our own script
                [sys.executable, "-c", SITE],
                cwd=settings.BASE_DIR,  # this checkout's khabar package, not an installed one
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
        if result.returncode != 0:
            raise AssertionError(result.stderr[-3000:])
        cls.seen = json.loads(result.stdout.strip().splitlines()[-1])

    def page(self, path) -> dict:
        return self.seen["pages"][path]

    def test_only_the_configured_editions_exist(self):
        self.assertEqual(self.seen["homes"], ["ckb", "en"])

    def test_the_root_sends_readers_to_their_language_and_everyone_else_to_ckb(self):
        self.assertEqual(
            self.seen["root"],
            {
                "ckb": "/ckb/",
                "ckb-IQ": "/ckb/",
                "ku": "/ckb/",
                "ku, en;q=0.5": self.seen["root"]["ku, en;q=0.5"],  # below
                "en": "/en/",
                "en-GB,en;q=0.9": "/en/",
                "ar": "/ckb/",  # not offered: the default edition
                "fr": "/ckb/",
                "": "/ckb/",
            },
        )
        self.assertEqual(self.seen["root_without_header"], "/ckb/")

    def test_a_reader_of_kurdish_gets_the_sorani_edition_before_their_second_choice(self):
        # "ku" (Kurdish) is no edition here; the Sorani one is the reader's first choice, not English.
        self.assertEqual(self.seen["root"]["ku, en;q=0.5"], "/ckb/")

    def test_the_default_edition_is_ckb_right_to_left(self):
        home = self.page("/ckb/")
        self.assertEqual(home["status"], 200)
        self.assertIn('<html lang="ckb" dir="rtl">', home["body"])
        self.assertIn('<html lang="en" dir="ltr">', self.page("/en/")["body"])

    def test_arabic_is_offered_nowhere(self):
        # /ar/… is no edition: like any unknown path it is tried in the default edition, and is not there.
        for path in ("/ar/", "/ar/feed/", "/sitemap-ar.xml", "/api/v2/pages/?type=news.SectionPage&locale=ar"):
            with self.subTest(path=path):
                self.assertEqual(self.page(path)["final"][0], 404)
        for path in ("/ckb/", "/en/", "/ckb/corrections/", "/sitemap.xml", "/ckb/feed/"):
            with self.subTest(path=path):
                body = self.page(path)["body"]
                self.assertTrue(body, path)
                for trace in ('hreflang="ar"', 'lang="ar"', "/ar/", "sitemap-ar", "العربية"):
                    self.assertNotIn(trace, body)

    def test_the_sitemap_index_names_only_en_and_ckb(self):
        index = self.page("/sitemap.xml")["body"]
        self.assertIn("sitemap-ckb.xml", index)
        self.assertIn("sitemap-en.xml", index)
        self.assertNotIn("sitemap-ar.xml", index)
        self.assertEqual(self.page("/sitemap-ckb.xml")["status"], 200)
