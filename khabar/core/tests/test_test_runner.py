"""The test runner owns the test-only settings and never waits at a prompt."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import SimpleTestCase

from khabar.core.test_runner import KhabarTestRunner


class TestRunnerTests(SimpleTestCase):
    def test_it_never_asks_at_a_terminal_about_an_old_test_database(self):
        self.assertFalse(KhabarTestRunner(interactive=True).interactive)

    def test_it_hashes_test_users_passwords_quickly(self):
        self.assertTrue(make_password("a-test-password").startswith("md5$"))

    def test_it_turns_the_page_cache_off_for_tests(self):
        self.assertFalse(settings.KHABAR_PAGE_CACHE)
