"""Sign-out only by POST, and password resets that are throttled and link to the site that was asked."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import TestCase, override_settings

from khabar import testing

ADMIN = f"/{settings.ADMIN_PATH}"
PASSWORD = "a-long-test-passphrase"


class SignOutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = testing.user("nadia", superuser=True)

    def setUp(self):
        self.client.post(f"{ADMIN}/login/", {"username": "nadia", "password": PASSWORD})

    def test_a_get_of_the_sign_out_address_leaves_the_session_alone(self):
        response = self.client.get(f"{ADMIN}/logout/")
        self.assertEqual(response.status_code, 405)
        self.assertNotIn(settings.SESSION_COOKIE_NAME, response.cookies)
        self.assertEqual(self.client.get(f"{ADMIN}/").status_code, 200)

    def test_a_post_signs_out(self):
        response = self.client.post(f"{ADMIN}/logout/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(f"{ADMIN}/").status_code, 302)


@override_settings(ALLOWED_HOSTS=["news.example.org", "testserver"], BASE_URL="http://127.0.0.1:8000")
class PasswordResetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = testing.user("nadia", groups=["Editors"])

    def setUp(self):
        cache.clear()

    def ask(self, email: str = "nadia@example.org", **extra):
        return self.client.post(f"{ADMIN}/password_reset/", {"email": email}, **extra)

    def test_the_link_points_at_the_site_that_was_asked_not_a_default_address(self):
        self.assertEqual(self.ask(HTTP_HOST="news.example.org").status_code, 302)
        self.assertEqual(len(mail.outbox), 1)
        links = re.findall(r"https?://\S+", mail.outbox[0].body)
        self.assertEqual(len(links), 1)
        self.assertTrue(links[0].startswith(f"http://news.example.org{ADMIN}/password_reset/confirm/"), links)

    def test_a_host_outside_allowed_hosts_gets_no_email(self):
        response = self.ask(HTTP_HOST="evil.example")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(mail.outbox, [])

    def test_it_throttles_resets_for_one_account(self):
        statuses = [self.ask(REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(4)]
        self.assertEqual(statuses, [302, 302, 302, 429])
        self.assertEqual(len(mail.outbox), 3)

    def test_it_throttles_resets_from_one_address(self):
        statuses = [self.ask(f"someone{n}@example.org").status_code for n in range(6)]
        self.assertEqual(statuses, [302] * 5 + [429])
