from django.core import mail
from django.test import TestCase
from django.urls import reverse

from khabar import testing
from khabar.comments.models import BannedCommenter, Comment, CommentStats, ModerationDecision, Status
from khabar.comments.testing import comment, configure, form_data, moderator
from khabar.core.purge import page_content_changed

QUEUE = "comments_admin:queue"


class QueueTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Water budget")
        cls.mod = moderator()

    def setUp(self):
        configure(close_after_days=0)
        self.client.force_login(self.mod)
        self.purged = []
        handler = lambda sender, page, **kw: self.purged.append(page.pk)  # noqa: E731
        page_content_changed.connect(handler, weak=False, dispatch_uid="test-purge")
        self.addCleanup(page_content_changed.disconnect, dispatch_uid="test-purge")

    def act(self, action, *comments, reason="", tab="pending"):
        data = {"action": action, "ids": [c.pk for c in comments], "reason": reason, "tab": tab}
        with self.captureOnCommitCallbacks(execute=True):  # purges and emails run after commit
            return self.client.post(reverse("comments_admin:act"), data)


class QueueViewTests(QueueTestCase):
    def test_the_pending_tab_lists_a_comment_with_its_article_rules_and_history(self):
        comment(self.article, "Older approved", email="huda@example.org")
        comment(self.article, "Rejected before", email="huda@example.org", status=Status.REJECTED)
        comment(
            self.article,
            "Waiting words",
            email="huda@example.org",
            status=Status.PENDING,
            rules=[{"rule": "suspect_word", "action": "hold", "detail": "bribe"}],
        )
        response = self.client.get(reverse(QUEUE))
        self.assertContains(response, "Waiting words")
        self.assertContains(response, "Water budget")
        self.assertContains(response, "Suspect word")
        self.assertContains(response, "bribe")
        self.assertContains(response, "History: 1 approved, 1 rejected")
        self.assertNotContains(response, "Older approved")

    def test_a_new_commenter_hold_says_what_its_number_counts(self):
        rule = {"rule": "new_commenter", "action": "hold", "detail": "0"}
        comment(self.article, "First words", status=Status.PENDING, rules=[rule])
        response = self.client.get(reverse(QUEUE))
        self.assertContains(response, "New commenter: <bdi>0 approved comments so far</bdi>", html=False)

    def test_each_tab_shows_its_own_comments(self):
        for status in (Status.APPROVED, Status.REJECTED, Status.SPAM):
            comment(self.article, f"I am {status}", status=status)
        comment(self.article, "I was reported", status=Status.PENDING, is_reported=True)
        for tab, text in [
            ("approved", "I am approved"),
            ("rejected", "I am rejected"),
            ("spam", "I am spam"),
            ("reported", "I was reported"),
        ]:
            response = self.client.get(reverse(QUEUE), {"tab": tab})
            self.assertContains(response, text)
            self.assertEqual(response.content.decode().count('data-row="'), 1, tab)

    def test_the_queue_costs_the_same_queries_for_50_comments_as_for_5(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for n in range(5):
            comment(self.article, f"p{n}", status=Status.PENDING)
        self.client.get(reverse(QUEUE))  # the first visit fills the admin's caches
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse(QUEUE))
        for n in range(45):
            comment(self.article, f"q{n}", status=Status.PENDING)
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(reverse(QUEUE))

    def test_the_dashboard_shows_the_pending_count_to_moderators(self):
        comment(self.article, status=Status.PENDING)
        comment(self.article, status=Status.PENDING)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "2 comments are waiting for moderation.")

    def test_the_menu_links_to_the_queue(self):
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, reverse(QUEUE))


class ActionTests(QueueTestCase):
    def test_approve_publishes_counts_records_and_purges_the_article(self):
        waiting = comment(self.article, "Please approve me", status=Status.PENDING)
        response = self.act("approve", waiting)
        self.assertRedirects(response, reverse(QUEUE) + "?tab=pending")
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Status.APPROVED)
        self.assertEqual(CommentStats.objects.get(article=self.article).approved, 1)
        decision = ModerationDecision.objects.get()
        self.assertEqual((decision.action, decision.user, decision.comment_ref), ("approve", self.mod, waiting.pk))
        self.assertEqual(self.purged, [self.article.pk])
        self.assertContains(self.client.get(self.article.url), "Please approve me")

    def test_reject_keeps_the_reason_and_takes_a_published_comment_down(self):
        shown = comment(self.article, "Now regretted")
        self.act("reject", shown, reason="Personal attack", tab="approved")
        shown.refresh_from_db()
        self.assertEqual(shown.status, Status.REJECTED)
        self.assertEqual(shown.rejection_reason, "Personal attack")
        self.assertEqual(ModerationDecision.objects.get().reason, "Personal attack")
        self.assertEqual(CommentStats.objects.get(article=self.article).approved, 0)
        self.assertIn(self.article.pk, self.purged)
        self.assertNotContains(self.client.get(self.article.url), "Now regretted")

    def test_spam_moves_a_comment_to_the_spam_tab(self):
        waiting = comment(self.article, status=Status.PENDING)
        self.act("spam", waiting)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Status.SPAM)
        self.assertContains(self.client.get(reverse(QUEUE), {"tab": "spam"}), waiting.body)

    def test_feature_and_unfeature(self):
        shown = comment(self.article, "Worth featuring")
        self.act("feature", shown, tab="approved")
        shown.refresh_from_db()
        self.assertTrue(shown.is_featured)
        self.assertContains(self.client.get(self.article.url), "badge--featured")
        self.act("unfeature", shown, tab="approved")
        shown.refresh_from_db()
        self.assertFalse(shown.is_featured)
        self.assertEqual(list(ModerationDecision.objects.values_list("action", flat=True)), ["unfeature", "feature"])

    def test_a_single_row_button_acts_on_that_comment_with_its_own_reason(self):
        one = comment(self.article, status=Status.PENDING)
        other = comment(self.article, status=Status.PENDING)
        self.client.post(
            reverse("comments_admin:act"), {"row_action": f"reject:{one.pk}", f"reason_{one.pk}": "Off topic"}
        )
        one.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual((one.status, one.rejection_reason), (Status.REJECTED, "Off topic"))
        self.assertEqual(other.status, Status.PENDING)

    def test_bulk_approve_acts_on_every_selected_comment(self):
        chosen = [comment(self.article, status=Status.PENDING) for _ in range(3)]
        left = comment(self.article, status=Status.PENDING)
        self.act("approve", *chosen)
        self.assertEqual(Comment.objects.filter(status=Status.APPROVED).count(), 3)
        left.refresh_from_db()
        self.assertEqual(left.status, Status.PENDING)
        self.assertEqual(ModerationDecision.objects.count(), 3)
        self.assertEqual(self.purged.count(self.article.pk), 1)  # one purge per article, not per comment

    def test_an_unknown_action_or_bad_id_is_a_400(self):
        waiting = comment(self.article, status=Status.PENDING)
        self.assertEqual(self.act("explode", waiting).status_code, 400)
        response = self.client.post(reverse("comments_admin:act"), {"action": "approve", "ids": ["x"]})
        self.assertEqual(response.status_code, 400)

    def test_ban_rejects_waiting_comments_and_future_ones_until_expiry(self):
        waiting = comment(self.article, "Abuse", email="troll@example.org", status=Status.PENDING)
        response = self.client.post(
            reverse("comments_admin:ban", args=[waiting.pk]), {"reason": "Repeated threats", "days": "30"}
        )
        self.assertRedirects(response, reverse(QUEUE))
        ban = BannedCommenter.objects.get()
        self.assertEqual(ban.email, "troll@example.org")
        self.assertIsNotNone(ban.expires_at)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Status.REJECTED)
        self.assertIn("ban", ModerationDecision.objects.values_list("action", flat=True))
        self.client.logout()
        from django.core.cache import cache

        cache.clear()
        self.client.post(
            reverse("comments:post", args=[self.article.pk]),
            form_data(email="troll@example.org", body="I am back"),
            HTTP_SEC_FETCH_SITE="same-origin",
        )
        self.assertEqual(Comment.objects.get(body="I am back").status, Status.REJECTED)

    def test_a_ban_needs_a_reason(self):
        waiting = comment(self.article, status=Status.PENDING)
        response = self.client.post(reverse("comments_admin:ban", args=[waiting.pk]), {"reason": ""})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(BannedCommenter.objects.exists())

    def test_the_audit_trail_lists_who_decided_what(self):
        waiting = comment(self.article, status=Status.PENDING)
        self.act("reject", waiting, reason="Spam link")
        response = self.client.get(reverse("comments_admin:audit"))
        self.assertContains(response, "mona")
        self.assertContains(response, "Spam link")
        self.assertContains(response, f"#{waiting.pk}")

    def test_approving_a_reply_emails_the_commenter_who_asked(self):
        parent = comment(self.article, "Question", email="asker@example.org", notify_replies=True)
        reply = comment(self.article, "Answer", parent=parent, status=Status.PENDING, email="answerer@example.org")
        self.act("approve", reply)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["asker@example.org"])
        self.assertIn("Answer", mail.outbox[0].body)

    def test_no_reply_email_without_the_request(self):
        parent = comment(self.article, "Question", email="quiet@example.org")
        reply = comment(self.article, "Answer", parent=parent, status=Status.PENDING)
        self.act("approve", reply)
        self.assertEqual(mail.outbox, [])


class QueueAlertTests(QueueTestCase):
    def test_moderators_are_emailed_when_the_queue_reaches_the_threshold(self):
        from django.core.cache import cache

        configure(queue_alert_threshold=2, posts_per_ten_minutes=10)
        self.client.logout()
        url = reverse("comments:post", args=[self.article.pk])
        for n in range(3):
            cache.clear()
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(
                    url, form_data(email=f"r{n}@example.org", body=f"Comment {n}"), HTTP_SEC_FETCH_SITE="same-origin"
                )
        self.assertEqual(len(mail.outbox), 1)  # at the crossing, not for every comment after it
        self.assertIn(self.mod.email, mail.outbox[0].to)
        self.assertIn("2 comments are waiting", mail.outbox[0].body)


class PermissionTests(QueueTestCase):
    def test_a_reader_cannot_reach_the_queue(self):
        self.client.logout()
        response = self.client.get(reverse(QUEUE))
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
        reader = testing.user("reader")
        self.client.force_login(reader)
        self.assertNotEqual(self.client.get(reverse(QUEUE)).status_code, 200)

    def test_staff_without_the_moderation_permission_get_403_and_cannot_act(self):
        editor = testing.user("eddie", groups=["Editors"])
        from django.contrib.auth.models import Group, Permission

        Group.objects.get(name="Editors").permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        waiting = comment(self.article, status=Status.PENDING)
        self.client.force_login(editor)
        # Wagtail turns PermissionDenied in its admin into a redirect to the dashboard with a message.
        response = self.client.get(reverse(QUEUE))
        self.assertIn(response.status_code, (302, 403))
        self.assertNotIn("comments", response.get("Location", ""))
        self.assertIn(self.act("approve", waiting).status_code, (302, 403))
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Status.PENDING)
        self.assertNotContains(self.client.get(reverse("wagtailadmin_home")), reverse(QUEUE))

    def test_a_moderator_without_page_permissions_cannot_edit_articles(self):
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.article.pk]))
        self.assertNotEqual(response.status_code, 200)
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[self.article.pk]), {"title": "Hacked"})
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Water budget")

    def test_the_permission_is_named_as_the_workflow_expects(self):
        self.assertTrue(self.mod.has_perm("comments.moderate_comment"))
        from django.contrib.auth.models import Permission

        self.assertEqual(Permission.objects.get(codename="moderate_comment").name, "Can moderate comments")


class BanListAndReReviewTests(QueueTestCase):
    def test_a_moderator_lists_and_lifts_a_ban_with_an_audit_line(self):
        BannedCommenter.objects.create(email="troll@example.org", reason="Threats")
        self.assertContains(self.client.get(reverse("comments_admin:bans")), "troll@example.org")
        ban = BannedCommenter.objects.get()
        response = self.client.post(reverse("comments_admin:bans"), {"lift": ban.pk})
        self.assertRedirects(response, reverse("comments_admin:bans"))
        self.assertFalse(BannedCommenter.objects.exists())
        decision = ModerationDecision.objects.get()
        self.assertEqual((decision.action, decision.reason, decision.user), ("unban", "troll@example.org", self.mod))

    def test_approving_a_reported_comment_clears_its_reports(self):
        from khabar.comments import moderation

        configure(report_threshold=2)
        target = comment(self.article, "Fine after all")
        moderation.report(target, "abuse", "", "hash-1")
        target.refresh_from_db()
        moderation.report(target, "abuse", "", "hash-2")
        target.refresh_from_db()
        self.assertEqual(target.status, Status.PENDING)
        self.act("approve", target, tab="reported")
        target.refresh_from_db()
        self.assertEqual((target.status, target.report_count, target.is_reported), (Status.APPROVED, 0, False))
        moderation.report(target, "abuse", "", "hash-3")  # one new report is not enough to send it back
        target.refresh_from_db()
        self.assertEqual(target.status, Status.APPROVED)
