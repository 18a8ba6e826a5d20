"""Security headers on reader and admin pages, `check --deploy`, request body limits."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings
from django.test import TestCase, override_settings

from khabar import testing


class ReaderPageHeadersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Bridge reopens")

    def test_reader_pages_carry_strict_csp_without_unsafe_inline(self):
        for url in ["/en/", self.section.url, self.article.url, "/en/no-such-page/"]:
            with self.subTest(url=url):
                policy = self.client.get(url)["Content-Security-Policy"]
                script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
                # No nonce (a cached page would replay it to every reader), never 'unsafe-inline'.
                self.assertIn("'self'", script_src)
                self.assertNotIn("nonce-", script_src)
                self.assertNotIn("unsafe-inline", policy)
                self.assertIn("frame-ancestors 'none'", policy)
                self.assertIn("object-src 'none'", policy)

    def test_reader_pages_carry_permissions_policy_and_the_other_headers(self):
        response = self.client.get(self.article.url)
        self.assertIn("camera=()", response["Permissions-Policy"])
        self.assertIn("geolocation=()", response["Permissions-Policy"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")
        self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_every_response_gets_a_request_id_and_a_forged_one_is_replaced(self):
        response = self.client.get("/healthz", HTTP_X_REQUEST_ID="abc\r\nInjected: yes")
        self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")
        response = self.client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-12345678")
        self.assertEqual(response["X-Request-ID"], "proxy-id-12345678")


class AdminPolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = testing.user("chief", superuser=True)

    def test_admin_gets_its_own_policy_that_still_forbids_framing_by_other_sites(self):
        self.client.force_login(self.admin)
        response = self.client.get(f"/{settings.ADMIN_PATH}/")
        self.assertEqual(response.status_code, 200)
        policy = response["Content-Security-Policy"]
        self.assertIn("frame-ancestors 'self'", policy)
        self.assertIn("object-src 'none'", policy)
        self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
        self.assertIn("camera=()", response["Permissions-Policy"])

    def test_admin_login_page_renders_under_the_admin_policy(self):
        response = self.client.get(f"/{settings.ADMIN_PATH}/login/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("frame-ancestors 'self'", response["Content-Security-Policy"])


def _production_env(**extra: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "REDIS_", "DEBUG"))
    }
    environment.update(
        DEBUG="0",
        KHABAR_HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="news.example.org",
        DJANGO_SETTINGS_MODULE="khabar.settings",
    )
    environment.update(extra)
    return environment


class DeployCheckTests(TestCase):
    def test_check_deploy_is_clean_with_production_settings(self):
        result = subprocess.run(
            [sys.executable, "-m", "khabar", "check", "--deploy", "--fail-level", "WARNING"],
            env=_production_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_check_deploy_reports_a_short_secret_key(self):
        result = subprocess.run(
            [sys.executable, "-m", "khabar", "check", "--deploy", "--fail-level", "WARNING"],
            env=_production_env(SECRET_KEY="short"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W009", result.stderr)


class BodySizeLimitTests(TestCase):
    def test_a_huge_post_to_a_reader_endpoint_gets_413_with_a_reason(self):
        body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        response = self.client.post("/csrf/", data=body, content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status_code, 413)
        self.assertIn("too large", response.content.decode())
        self.assertIn(str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), response.content.decode())

    def test_a_huge_post_to_an_article_page_gets_413(self):
        section = testing.section("Iraq News", slug="iraq")
        article = testing.article(section, "Bridge reopens")
        body = "comment=" + "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
        response = self.client.post(article.url, data=body, content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status_code, 413)

    @override_settings(KHABAR_ADMIN_MAX_BODY_BYTES=50_000)
    def test_a_huge_post_to_the_admin_login_gets_413(self):
        body = "username=a&password=" + "p" * 60_000
        response = self.client.post(
            f"/{settings.ADMIN_PATH}/login/", data=body, content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 413)

    def test_an_admin_login_post_over_the_form_limit_but_under_the_upload_limit_gets_400_not_500(self):
        # Under the admin body limit (uploads) but over Django's form-field limit: Django refuses with 400.
        body = "username=a&password=" + "p" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
        response = self.client.post(
            f"/{settings.ADMIN_PATH}/login/", data=body, content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("could not be read", response.content.decode())

    def test_too_many_form_fields_gets_400_not_500(self):
        body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5))
        response = self.client.post(
            f"/{settings.ADMIN_PATH}/login/", data=body, content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 400)

    def test_a_malformed_content_length_gets_400(self):
        response = self.client.generic("POST", "/csrf/", b"", CONTENT_LENGTH="lots")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Content-Length", response.content.decode())
