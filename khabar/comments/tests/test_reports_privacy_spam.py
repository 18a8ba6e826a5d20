import http.server
import threading
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core import mail, signing
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from khabar import testing
from khabar.comments import demo
from khabar.comments.models import Comment, CommentReport, CommentStats, ModerationDecision, Status
from khabar.comments.spam import AkismetSpamCheck, NoSpamCheck, Submission, Verdict, get_backend
from khabar.comments.testing import OneArticleTestCase, comment, configure

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}
JSON = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}


class ArticleTestCase(OneArticleTestCase):
    headline = "Water budget"

    def setUp(self):
        super().setUp()
        configure(close_after_days=0)


class ReportTests(ArticleTestCase):
    def report(self, target, ip, reason="abuse", **extra):
        url = reverse("comments:report", args=[target.pk])
        return self.client.post(url, {"reason": reason, "note": "Nasty"}, REMOTE_ADDR=ip, **{**JSON, **extra})

    def test_a_report_is_recorded_with_its_reason(self):
        target = comment(self.article)
        response = self.report(target, "192.0.2.1", reason="privacy")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(CommentReport.objects.get().reason, "privacy")
        target.refresh_from_db()
        self.assertEqual((target.report_count, target.status), (1, Status.APPROVED))

    def test_n_reports_send_a_comment_back_for_review_and_off_the_page(self):
        configure(report_threshold=2)
        target = comment(self.article, "Contested words")
        self.report(target, "192.0.2.1")
        self.report(target, "192.0.2.2")
        target.refresh_from_db()
        self.assertEqual(target.status, Status.PENDING)
        self.assertTrue(target.is_reported)
        self.assertEqual(CommentStats.objects.get(article=self.article).approved, 0)
        self.assertEqual(ModerationDecision.objects.get().action, "reported")
        self.assertNotContains(self.client.get(self.article.url), "Contested words")

    def test_the_same_reader_reporting_twice_counts_once(self):
        configure(report_threshold=2)
        target = comment(self.article)
        self.report(target, "192.0.2.1")
        self.report(target, "192.0.2.1")
        target.refresh_from_db()
        self.assertEqual((target.report_count, target.status), (1, Status.APPROVED))

    def test_a_bad_reason_is_a_400(self):
        target = comment(self.article)
        response = self.report(target, "192.0.2.1", reason="because")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(CommentReport.objects.exists())

    def test_a_pending_comment_cannot_be_reported(self):
        target = comment(self.article, status=Status.PENDING)
        self.assertEqual(self.report(target, "192.0.2.1").status_code, 404)

    def test_reporting_without_javascript_has_its_own_page(self):
        target = comment(self.article, "Reported words")
        response = self.client.get(reverse("comments:report", args=[target.pk]))
        self.assertContains(response, "Report a comment")
        self.assertContains(response, "Reported words")
        response = self.client.post(reverse("comments:report", args=[target.pk]), {"reason": "spam"}, **SAME_ORIGIN)
        self.assertContains(response, "Our moderators will look at this comment.")


class PrivacyTests(ArticleTestCase):
    def link_from_email(self) -> str:
        body = mail.outbox[-1].body
        return next(line for line in body.splitlines() if "/comments/privacy/" in line).strip()

    def test_a_commenter_gets_a_link_that_exports_their_comments(self):
        comment(self.article, "Mine", email="huda@example.org")
        comment(self.article, "Theirs", email="other@example.org")
        self.client.post(reverse("comments:privacy"), {"email": "Huda@Example.org"})
        self.assertEqual(mail.outbox[0].to, ["Huda@Example.org"])
        manage = self.client.get(self.link_from_email())
        self.assertContains(manage, "We hold 1 comment from")
        token = manage.context["token"]
        export = self.client.get(reverse("comments:privacy_export", args=[token]))
        data = export.json()["comments"]
        self.assertEqual([row["comment"] for row in data], ["Mine"])
        self.assertIn("attachment", export["Content-Disposition"])

    def test_the_link_deletes_every_comment_and_keeps_an_anonymous_audit_line(self):
        mine = comment(self.article, "Mine", email="huda@example.org")
        comment(self.article, "Theirs", email="other@example.org")
        self.client.post(reverse("comments:privacy"), {"email": "huda@example.org"})
        token = self.client.get(self.link_from_email()).context["token"]
        response = self.client.post(reverse("comments:privacy_delete", args=[token]))
        self.assertContains(response, "Your 1 comment has been deleted.")
        self.assertEqual(list(Comment.objects.values_list("body", flat=True)), ["Theirs"])
        decision = ModerationDecision.objects.get()
        self.assertEqual((decision.action, decision.comment_ref), ("delete", mine.pk))
        self.assertEqual(CommentStats.objects.get(article=self.article).approved, 1)

    def test_an_unknown_email_gets_the_same_answer_and_no_mail(self):
        response = self.client.post(reverse("comments:privacy"), {"email": "nobody@example.org"})
        self.assertContains(response, "If we hold comments from that address")
        self.assertEqual(mail.outbox, [])

    def test_a_forged_or_expired_link_is_refused(self):
        comment(self.article, email="huda@example.org")
        forged = reverse("comments:privacy_manage", args=["huda@example.org:forged:sig"])
        self.assertEqual(self.client.get(forged).status_code, 400)
        old = signing.TimestampSigner(salt="khabar.comments.privacy")
        with mock.patch("time.time", return_value=timezone.now().timestamp() - 3 * 86400):
            token = old.sign("huda@example.org")
        self.assertEqual(self.client.get(reverse("comments:privacy_manage", args=[token])).status_code, 400)
        self.assertEqual(self.client.post(reverse("comments:privacy_delete", args=[token])).status_code, 400)
        self.assertEqual(Comment.objects.count(), 1)


class RetentionTests(ArticleTestCase):
    def test_purge_comments_deletes_old_unpublished_comments_and_clears_old_ip_hashes(self):
        long_ago = timezone.now() - timedelta(days=400)
        old_rejected = comment(self.article, status=Status.REJECTED, ip_hash="abc")
        old_approved = comment(self.article, ip_hash="def")
        fresh_pending = comment(self.article, status=Status.PENDING, ip_hash="ghi")
        Comment.objects.filter(pk__in=[old_rejected.pk, old_approved.pk]).update(created_at=long_ago)
        out = StringIO()
        with override_settings(KHABAR_COMMENT_RETENTION_DAYS=365):
            call_command("purge_comments", stdout=out)
        self.assertFalse(Comment.objects.filter(pk=old_rejected.pk).exists())
        old_approved.refresh_from_db()
        self.assertEqual(old_approved.ip_hash, "")
        fresh_pending.refresh_from_db()
        self.assertEqual(fresh_pending.ip_hash, "ghi")
        self.assertIn("Deleted 1 unpublished comments", out.getvalue())

    def test_a_dry_run_changes_nothing(self):
        old = comment(self.article, status=Status.SPAM)
        Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
        out = StringIO()
        call_command("purge_comments", "--days", "7", "--dry-run", stdout=out)
        self.assertTrue(Comment.objects.filter(pk=old.pk).exists())
        self.assertIn("Would delete 1", out.getvalue())


class DemoTests(ArticleTestCase):
    def test_demo_comments_are_spread_over_published_articles_and_counted(self):
        other = testing.article(self.section, "Another story")
        out = StringIO()
        made = demo.run({"comments": 300}, out)
        self.assertEqual(made, 300)
        self.assertEqual(Comment.objects.filter(status=Status.APPROVED).count(), 300)
        counts = dict(CommentStats.objects.values_list("article_id", "approved"))
        self.assertEqual(counts[self.article.pk] + counts[other.pk], 300)
        self.assertGreater(counts[other.pk], 0)
        self.assertIn("Added 300 demo comments", out.getvalue())

    def test_demo_adds_the_comments_option(self):
        import argparse

        parser = argparse.ArgumentParser()
        demo.add_arguments(parser)
        self.assertEqual(parser.parse_args(["--comments", "5"]).comments, 5)


class _FakeAkismet(http.server.BaseHTTPRequestHandler):
    answer = b"false"
    seen: list = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).seen.append(self.rfile.read(length).decode())
        self.send_response(200)
        self.end_headers()
        self.wfile.write(type(self).answer)

    def log_message(self, *args):
        pass


class AkismetBackendTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = http.server.HTTPServer(("127.0.0.1", 0), _FakeAkismet)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.url = f"http://127.0.0.1:{cls.server.server_port}/1.1/comment-check"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    def backend(self, url=None, timeout=2):
        return AkismetSpamCheck(
            {"KEY": "k3y", "BLOG": "https://news.example", "URL": url or self.url, "TIMEOUT": timeout}
        )

    submission = Submission("Buy gold", "Bot", "bot@example.org", "https://news.example/a/", "UA", "", "hash", "en")

    def test_true_means_spam_and_the_comment_is_sent(self):
        _FakeAkismet.answer = b"true"
        self.assertIs(self.backend().check(self.submission), Verdict.SPAM)
        self.assertIn("comment_content=Buy+gold", _FakeAkismet.seen[-1])
        self.assertIn("api_key=k3y", _FakeAkismet.seen[-1])

    def test_false_means_ham(self):
        _FakeAkismet.answer = b"false"
        self.assertIs(self.backend().check(self.submission), Verdict.HAM)

    def test_a_strange_answer_or_an_unreachable_service_is_unknown(self):
        _FakeAkismet.answer = b"invalid"
        self.assertIs(self.backend().check(self.submission), Verdict.UNKNOWN)
        self.assertIs(self.backend(url="http://127.0.0.1:9/", timeout=1).check(self.submission), Verdict.UNKNOWN)

    def test_the_backend_setting_chooses_the_class(self):
        self.assertIsInstance(get_backend(), NoSpamCheck)
        config = {"BACKEND": "khabar.comments.spam.AkismetSpamCheck", "OPTIONS": {"URL": self.url}}
        with override_settings(KHABAR_COMMENTS_SPAM=config):
            self.assertIsInstance(get_backend(), AkismetSpamCheck)

    def test_a_non_http_url_is_a_configuration_error(self):
        from django.core.exceptions import ImproperlyConfigured

        with self.assertRaises(ImproperlyConfigured):
            self.backend(url="file:///etc/passwd")
