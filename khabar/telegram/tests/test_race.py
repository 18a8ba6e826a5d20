"""Two workers running the same story's task at the same moment, each on its own database
connection (PostgreSQL: the row lock of the claim; SQLite serialises the claim with an IMMEDIATE
transaction, but its in-memory test database cannot be shared by threads that write)."""

from __future__ import annotations

import threading
import unittest

from django.db import connection, connections
from django.test import TransactionTestCase, override_settings

from khabar import testing
from khabar.telegram import posting
from khabar.telegram.models import PostState, TelegramChannel, TelegramPost
from khabar.telegram.testing import TOKEN, FakeTelegram


@unittest.skipUnless(connection.vendor == "postgresql", "needs a database that separate connections can write")
class ConcurrentWorkersTests(TransactionTestCase):
    def setUp(self):
        testing.restore_wagtail_roots()
        self.telegram = FakeTelegram().start()
        self.addCleanup(self.telegram.stop)
        settings = override_settings(KHABAR_TELEGRAM_BOT_TOKEN=TOKEN, KHABAR_TELEGRAM_API_URL=self.telegram.url)
        settings.enable()
        self.addCleanup(settings.disable)

    def test_two_workers_at_once_post_a_new_story_once(self):
        self.race(earlier_failure=False)

    def test_two_workers_at_once_retry_a_failed_post_once(self):
        """The row exists already (the bot was not in the channel): only the row lock keeps them apart."""
        self.race(earlier_failure=True)

    def race(self, *, earlier_failure: bool):
        section = testing.section("Iraq News", slug="iraq")
        story = testing.article(section, "Parliament passes the water budget")  # before the channel: not posted
        TelegramChannel.objects.create(edition=testing.home("en"), chat="@khabar_en")
        self.assertEqual(self.telegram.calls, [])
        if earlier_failure:
            key = TelegramPost.story_key(story.pk, "@khabar_en")
            TelegramPost.objects.create(key=key, article=story, chat="@khabar_en", state=PostState.FAILED, attempts=1)
        self.telegram.delay = 0.3  # the first worker's send is still waiting when the second claims
        start = threading.Barrier(2)
        errors = []

        def worker():
            try:
                start.wait()
                posting.sync(story.pk, fresh=True)
            except Exception as error:  # shown by the assertion below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(errors, [])
        self.assertEqual(len(self.telegram.of("sendMessage")), 1)
        post = TelegramPost.objects.get(article=story)
        self.assertEqual((post.state, post.attempts), (PostState.SENT, 1 + earlier_failure))
