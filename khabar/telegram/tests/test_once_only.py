"""Each story is posted once, whatever retries, duplicated tasks, rate limits and crashes happen;
errors Telegram gives are recorded with a reason and retried only as far as is safe."""

from __future__ import annotations

import socket
from datetime import timedelta
from unittest import mock

from django.tasks import default_task_backend
from django.test import override_settings
from django.utils import timezone

from khabar import testing
from khabar.telegram import client, posting, tasks
from khabar.telegram.models import PostState, Problem, TelegramChannel, TelegramPost
from khabar.telegram.testing import TelegramTestCase


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OnceOnlyTests(TelegramTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        TelegramChannel.objects.create(edition=testing.home("en"), chat="@khabar_en")
        cls.story = testing.article(cls.section, "Parliament passes the water budget")  # no commit: not posted

    def sends(self) -> int:
        return len(self.telegram.of("sendMessage"))

    def post(self) -> TelegramPost:
        return TelegramPost.objects.get(article=self.story, kind=TelegramPost.STORY)

    def test_the_same_task_run_twice_posts_once(self):
        tasks.sync_article.call(self.story.pk, True)
        tasks.sync_article.call(self.story.pk, True)
        self.assertEqual(self.sends(), 1)
        self.assertEqual(self.post().attempts, 1)

    def test_a_duplicate_task_running_while_the_first_is_sending_sends_nothing(self):
        real_call = client.call
        inner = []

        def call_while_another_worker_runs(method, params, upload=None):
            if not inner:
                inner.append(method)
                posting.sync(self.story.pk, fresh=True)  # the duplicate, at the worst moment
                self.assertEqual(self.sends(), 0, "the duplicate found the row taken")
            return real_call(method, params, upload)

        with mock.patch.object(client, "call", call_while_another_worker_runs):
            posting.sync(self.story.pk, fresh=True)
        self.assertEqual(self.sends(), 1)
        self.assertEqual(self.post().state, PostState.SENT)

    def test_a_worker_dying_after_telegram_accepted_never_leads_to_a_second_post(self):
        real_mark = posting._mark

        def die_before_recording(post, state, *args, **fields):
            if state == PostState.SENT:
                raise SystemExit("worker killed")
            return real_mark(post, state, *args, **fields)

        with mock.patch.object(posting, "_mark", die_before_recording), self.assertRaises(SystemExit):
            posting.sync(self.story.pk, fresh=True)
        self.assertEqual(self.post().state, PostState.SENDING)
        posting.sync(self.story.pk, fresh=True)  # the task's retry, soon after
        later = timezone.now() + posting.stale_after() + timedelta(seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            posting.sync(self.story.pk, fresh=False)  # a move, long after
        self.assertEqual(self.sends(), 1)
        post = self.post()
        self.assertEqual((post.state, post.problem), (PostState.FAILED, Problem.UNKNOWN))

    def test_a_429_waits_as_told_then_posts_once(self):
        self.telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
        posting.sync(self.story.pk, fresh=True)
        self.assertEqual(self.waits, [3])
        self.assertEqual(self.sends(), 2, "the refused call and the accepted one")
        post = self.post()
        self.assertEqual((post.state, post.message_id), (PostState.SENT, 101))
        posting.sync(self.story.pk, fresh=True)
        self.assertEqual(self.sends(), 2)

    def test_a_429_longer_than_a_worker_waits_is_queued_for_then(self):
        self.telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 300", retry_after=300)
        dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        with override_settings(TASKS=dummy):
            with self.committed():
                posting.sync(self.story.pk, fresh=True)
            (queued,) = default_task_backend.results
        self.assertEqual(self.waits, [])
        self.assertEqual(self.post().state, PostState.WAITING)
        self.assertEqual(queued.task.func, tasks.sync_article.func)
        self.assertEqual(queued.args, [self.story.pk, False])
        self.assertGreater(queued.task.run_after, timezone.now() + timedelta(seconds=290))
        posting.sync(self.story.pk, fresh=False)  # what the queued task does when its time comes
        self.assertEqual(self.post().state, PostState.SENT)
        self.assertEqual(self.sends(), 2)

    def test_a_429_longer_than_a_worker_waits_without_a_queue_fails_with_a_reason(self):
        self.telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 300", retry_after=300)
        posting.sync(self.story.pk, fresh=True)
        self.assertEqual(self.waits, [])
        post = self.post()
        self.assertEqual((post.state, post.problem), (PostState.FAILED, Problem.RATE))

    def test_a_bot_not_in_the_channel_fails_at_once_with_a_reason_and_a_new_publish_tries_again(self):
        self.telegram.fail_next("sendMessage", 403, "Forbidden: bot is not a member of the channel chat")
        posting.sync(self.story.pk, fresh=True)
        self.assertEqual((self.sends(), self.waits), (1, []))
        post = self.post()
        self.assertEqual((post.state, post.problem), (PostState.FAILED, Problem.FORBIDDEN))
        self.assertIn("bot is not a member", post.last_error)
        self.assertIn("not an administrator of the channel", post.get_problem_display())
        posting.sync(self.story.pk, fresh=False)  # a move: no new attempt
        self.assertEqual(self.sends(), 1)
        posting.sync(self.story.pk, fresh=True)  # the editor added the bot and published again
        self.assertEqual((self.sends(), self.post().state), (2, PostState.SENT))

    def test_an_unknown_channel_says_so(self):
        self.telegram.fail_next("sendMessage", 400, "Bad Request: chat not found")
        posting.sync(self.story.pk, fresh=True)
        self.assertEqual(self.post().problem, Problem.CHAT)

    def test_telegram_unreachable_is_retried_a_few_times_then_failed(self):
        with override_settings(KHABAR_TELEGRAM_API_URL=f"http://127.0.0.1:{closed_port()}"):
            posting.sync(self.story.pk, fresh=True)
        self.assertEqual(self.waits, [2, 4])
        post = self.post()
        self.assertEqual((post.state, post.problem, post.attempts), (PostState.FAILED, Problem.NETWORK, 1))

    def test_a_telegram_server_error_is_retried(self):
        self.telegram.fail_next("sendMessage", 502, "Bad Gateway")
        posting.sync(self.story.pk, fresh=True)
        self.assertEqual((self.sends(), self.waits, self.post().state), (2, [2], PostState.SENT))

    def test_a_lost_answer_to_a_send_is_not_sent_again(self):
        self.telegram.drop_next("sendMessage")
        posting.sync(self.story.pk, fresh=True)
        self.assertEqual((self.sends(), self.waits), (1, []))
        self.assertEqual(self.post().problem, Problem.UNKNOWN)

    def test_a_lost_answer_to_a_delete_is_asked_again(self):
        posting.sync(self.story.pk, fresh=True)
        self.telegram.drop_next("deleteMessage")
        self.telegram.fail_next("deleteMessage", 400, "Bad Request: message to delete not found")
        self.story.unpublish()
        posting.sync(self.story.pk, fresh=False)
        self.assertEqual(len(self.telegram.of("deleteMessage")), 2)
        self.assertEqual(self.post().state, PostState.DELETED)

    def test_a_story_unpublished_while_it_was_being_sent_is_deleted_by_the_sender(self):
        real_call = client.call

        def unpublished_meanwhile(method, params, upload=None):
            if method == "sendMessage":
                self.story.unpublish()
                posting.sync(self.story.pk, fresh=False)  # the takedown's task: the row is still "sending"
                self.assertEqual(self.telegram.of("deleteMessage"), [])
            return real_call(method, params, upload)

        with mock.patch.object(client, "call", unpublished_meanwhile):
            posting.sync(self.story.pk, fresh=True)
        self.assertEqual([c.method for c in self.telegram.calls], ["sendMessage", "deleteMessage"])
        self.assertEqual(self.post().state, PostState.DELETED)
