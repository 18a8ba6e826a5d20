from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from khabar import testing
from khabar.comments.models import BannedCommenter, Comment, Status
from khabar.comments.rules import resolve_mode
from khabar.comments.spam import Verdict
from khabar.comments.testing import OneArticleTestCase, comment, configure, form_data

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_SEC_FETCH_SITE": "same-origin"}


class RuleTestCase(OneArticleTestCase):
    headline = "Water budget"

    def setUp(self):
        super().setUp()
        # Post-moderation and no new-commenter hold, so each test sees only the rule it is about.
        configure(default_mode="post", new_commenter_hold=0, close_after_days=0)

    def submit(self, article=None, **fields):
        article = article or self.article
        response = self.client.post(reverse("comments:post", args=[article.pk]), form_data(**fields), **JSON)
        return response, Comment.objects.order_by("-pk").first()

    def fired(self, stored) -> dict:
        return {f["rule"]: f for f in stored.rules}


class RuleTests(RuleTestCase):
    def test_a_clean_comment_in_post_moderation_is_published(self):
        response, stored = self.submit()
        self.assertEqual(stored.status, Status.APPROVED)
        self.assertEqual(response.json()["status"], "approved")
        self.assertEqual(stored.rules, [])

    def test_it_rejects_a_comment_with_a_banned_word_and_records_why(self):
        configure(banned_words="scumbag\nحقير")
        response, stored = self.submit(body="You are a SCUMBAG, minister")
        self.assertEqual(stored.status, Status.REJECTED)
        self.assertEqual(
            self.fired(stored)["banned_word"], {"rule": "banned_word", "action": "reject", "detail": "scumbag"}
        )
        self.assertEqual(response.json()["status"], "rejected")
        self.assertIn("Comment Policy", response.json()["message"])

    def test_a_banned_arabic_word_is_found_as_a_whole_word(self):
        configure(banned_words="حقير")
        _response, stored = self.submit(body="هذا الوزير حقير جداً")
        self.assertEqual(stored.status, Status.REJECTED)

    def test_a_banned_word_inside_another_word_does_not_fire(self):
        configure(banned_words="ass")
        _response, stored = self.submit(body="The national assembly met today")
        self.assertEqual(stored.status, Status.APPROVED)

    def test_it_holds_a_comment_with_a_suspect_word(self):
        configure(suspect_words="bribe")
        _response, stored = self.submit(body="Everyone knows about the bribe")
        self.assertEqual(stored.status, Status.PENDING)
        self.assertEqual(self.fired(stored)["suspect_word"]["action"], "hold")

    def test_it_holds_a_comment_with_more_links_than_allowed(self):
        configure(max_links=1)
        _response, stored = self.submit(body="See https://a.example and www.b.example")
        self.assertEqual(stored.status, Status.PENDING)
        self.assertEqual(self.fired(stored)["links"]["detail"], "2")
        _response, stored = self.submit(body="Only https://a.example here", email="other@example.org")
        self.assertEqual(stored.status, Status.APPROVED)

    def test_it_holds_a_repeated_identical_post_from_someone_else(self):
        comment(self.article, "Buy   cheap GOLD now", email="first@example.org")
        _response, stored = self.submit(body="buy cheap gold now", email="second@example.org")
        self.assertEqual(stored.status, Status.PENDING)
        self.assertIn("repeated", self.fired(stored))

    def test_it_marks_a_filled_honeypot_as_spam_but_tells_the_reader_it_is_held(self):
        response, stored = self.submit(website="http://spam.example")
        self.assertEqual(stored.status, Status.SPAM)
        self.assertEqual(response.json()["status"], "pending")
        self.assertNotIn("spam", response.json()["message"].lower())

    def test_it_holds_a_disposable_email_domain(self):
        _response, stored = self.submit(email="throwaway@mailinator.com")
        self.assertEqual(stored.status, Status.PENDING)
        self.assertEqual(self.fired(stored)["disposable_email"]["detail"], "mailinator.com")

    def test_it_holds_the_first_k_comments_of_an_email(self):
        configure(new_commenter_hold=2)
        _response, stored = self.submit()
        self.assertEqual(stored.status, Status.PENDING)
        self.assertIn("new_commenter", self.fired(stored))
        comment(self.article, email="huda@example.org")
        comment(self.article, email="huda@example.org")
        _response, stored = self.submit(body="Now I am known")
        self.assertEqual(stored.status, Status.APPROVED)

    def test_it_holds_an_email_whose_rejection_rate_is_above_the_setting(self):
        configure(rejection_rate=50)
        for status in (Status.REJECTED, Status.REJECTED, Status.APPROVED):
            comment(self.article, email="huda@example.org", status=status)
        _response, stored = self.submit()
        self.assertEqual(stored.status, Status.PENDING)
        self.assertEqual(self.fired(stored)["history"]["detail"], "2/3")

    def test_a_rejection_rate_at_or_below_the_setting_does_not_hold(self):
        configure(rejection_rate=50)
        for status in (Status.REJECTED, Status.APPROVED):
            comment(self.article, email="huda@example.org", status=status)
        _response, stored = self.submit()
        self.assertEqual(stored.status, Status.APPROVED)

    def test_it_rejects_a_banned_commenter_until_the_ban_expires(self):
        ban = BannedCommenter.objects.create(email="huda@example.org", reason="Threats")
        _response, stored = self.submit()
        self.assertEqual(stored.status, Status.REJECTED)
        self.assertEqual(self.fired(stored)["banned_commenter"]["detail"], "Threats")
        ban.expires_at = timezone.now() - timedelta(minutes=1)
        ban.save()
        _response, stored = self.submit(body="Back again")
        self.assertEqual(stored.status, Status.APPROVED)

    def test_the_spam_backend_can_mark_spam(self):
        with mock.patch("khabar.comments.spam.NoSpamCheck.check", return_value=Verdict.SPAM):
            _response, stored = self.submit()
        self.assertEqual(stored.status, Status.SPAM)
        self.assertIn("spam_check", self.fired(stored))

    def test_an_unavailable_spam_backend_holds_instead_of_losing_the_comment(self):
        with mock.patch("khabar.comments.spam.NoSpamCheck.check", return_value=Verdict.UNKNOWN):
            _response, stored = self.submit()
        self.assertEqual(stored.status, Status.PENDING)

    def test_a_moderator_posting_skips_the_rules_and_is_badged_as_staff(self):
        from khabar.comments.testing import moderator

        configure(default_mode="pre", suspect_words="bribe")
        self.client.force_login(moderator())
        _response, stored = self.submit(body="On the bribe question: we are checking.")
        self.assertEqual(stored.status, Status.APPROVED)
        self.assertIsNotNone(stored.staff_author)
        self.client.logout()
        self.assertContains(self.client.get(self.article.url), "badge--staff")


class ModeTests(RuleTestCase):
    def test_pre_moderation_is_the_default_and_holds_a_clean_comment(self):
        configure(default_mode="pre")
        _response, stored = self.submit()
        self.assertEqual(stored.status, Status.PENDING)
        self.assertNotContains(self.client.get(self.article.url), "The bridge has been closed")

    def test_post_moderation_shows_a_clean_comment_at_once(self):
        _response, stored = self.submit()
        self.assertEqual(stored.status, Status.APPROVED)
        self.assertContains(self.client.get(self.article.url), "The bridge has been closed")

    def test_a_site_wide_closed_mode_hides_the_form_and_refuses_posts(self):
        configure(default_mode="closed")
        page = self.client.get(self.article.url)
        self.assertContains(page, "Comments are closed on this article.")
        self.assertNotContains(page, "comment-form")
        response, stored = self.submit()
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(stored)

    def test_a_section_mode_overrides_the_site(self):
        section = testing.section("Sport", slug="sport", comment_mode="pre")
        article = testing.article(section, "Match report")
        _response, stored = self.submit(article=article)
        self.assertEqual(stored.status, Status.PENDING)

    def test_an_article_mode_overrides_its_section(self):
        section = testing.section("Opinion", slug="opinion", comment_mode="closed")
        article = testing.article(section, "Column", comment_mode="post")
        _response, stored = self.submit(article=article)
        self.assertEqual(stored.status, Status.APPROVED)

    def test_an_article_can_be_closed_in_an_open_section(self):
        article = testing.article(self.section, "Sensitive", comment_mode="closed")
        response, _stored = self.submit(article=article)
        self.assertEqual(response.status_code, 403)

    def test_comments_close_automatically_n_days_after_publication(self):
        configure(close_after_days=7)
        old = testing.article(self.section, "Old story", published=timezone.now() - timedelta(days=8))
        response, stored = self.submit(article=old)
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(stored)
        self.assertContains(self.client.get(old.url), "Comments are closed")
        fresh = testing.article(self.section, "Fresh story", published=timezone.now() - timedelta(days=6))
        response, _stored = self.submit(article=fresh)
        self.assertEqual(response.status_code, 200)

    def test_resolve_mode_falls_back_article_then_section_then_site(self):
        config = configure(default_mode="pre")
        self.article.comment_mode = ""
        self.assertEqual(resolve_mode(self.article, config, section_mode=""), "pre")
        self.assertEqual(resolve_mode(self.article, config, section_mode="post"), "post")
        self.article.comment_mode = "closed"
        self.assertEqual(resolve_mode(self.article, config, section_mode="post"), "closed")
