from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse

from khabar import testing
from khabar.comments.models import MAX_LENGTH, Comment, Status
from khabar.comments.testing import configure, form_data

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}
JSON = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}


class PostingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Bridge closed")

    def setUp(self):
        cache.clear()  # rate-limit counters live in the cache
        self.url = reverse("comments:post", args=[self.article.pk])

    def post(self, data, **extra):
        return self.client.post(self.url, data, **{**SAME_ORIGIN, **extra})

    def post_json(self, data):
        return self.client.post(self.url, data, **JSON)


class PostingTests(PostingTestCase):
    def test_a_comment_is_held_for_review_by_default(self):
        response = self.post_json(form_data())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "pending")
        self.assertIn("held for review", response.json()["message"])
        self.assertEqual(Comment.objects.get().status, Status.PENDING)

    def test_without_javascript_the_reader_gets_a_status_page_that_is_not_cached(self):
        response = self.post(form_data())
        self.assertContains(response, "held for review")
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_banned_reader_is_told_they_may_no_longer_comment_not_that_it_is_held(self):
        from khabar.comments import moderation

        moderation.ban("Huda@Example.org", "Repeated threats")
        response = self.post_json(form_data())
        self.assertEqual(response.json()["status"], "rejected")
        self.assertIn("may no longer comment here", response.json()["message"])
        self.assertNotIn("held for review", response.json()["message"])
        page = self.post(form_data(body="Another try."))
        self.assertContains(page, "may no longer comment here")
        self.assertEqual(set(Comment.objects.values_list("status", flat=True)), {Status.REJECTED})

    def test_an_ordinary_rejection_cites_the_policy(self):
        configure(banned_words="rubbish")
        response = self.post_json(form_data(body="What rubbish."))
        self.assertIn("Comment Policy", response.json()["message"])

    def test_the_email_is_never_shown_publicly(self):
        configure(default_mode="post", new_commenter_hold=0)
        self.post(form_data(email="secret.person@example.org"))
        self.assertEqual(Comment.objects.get().status, Status.APPROVED)
        page = self.client.get(self.article.url)
        self.assertContains(page, "The bridge has been closed")
        self.assertNotContains(page, "secret.person")

    def test_the_ip_is_stored_only_as_a_salted_hash(self):
        self.post(form_data(), REMOTE_ADDR="203.0.113.77")
        stored = Comment.objects.get()
        self.assertNotIn("203.0.113.77", str(Comment.objects.values().get()))
        self.assertEqual(len(stored.ip_hash), 32)

    def test_the_article_page_holds_no_csrf_token_and_marks_required_fields(self):
        page = self.client.get(self.article.url)
        self.assertNotContains(page, "csrfmiddlewaretoken")
        self.assertContains(page, "* Denotes Required Field")
        self.assertContains(page, "1500</span> / 1500")
        self.assertContains(page, "0 Comments")


class BadInputTests(PostingTestCase):
    def assert_kept_with_error(self, response, text, message, status=400):
        self.assertEqual(response.status_code, status)
        self.assertContains(response, message, status_code=status)
        self.assertContains(response, text, status_code=status)  # the reader's text is in the form again
        self.assertIn("no-store", response["Cache-Control"])
        self.assertFalse(Comment.objects.exists())

    def test_an_over_long_comment_is_refused_with_a_clear_message_and_the_text_is_kept(self):
        body = "ب" * (MAX_LENGTH + 1)
        response = self.post(form_data(body=body))
        self.assert_kept_with_error(response, body, "A comment may hold 1500 characters; this one has 1501")

    def test_the_limit_counts_code_points_and_a_crlf_as_one_character(self):
        # 1,500 characters: emoji (two UTF-16 units each) and CRLF newlines, as the counter counts them.
        body = ("😀" * 749 + "\r\n") * 2
        self.assertEqual(len(body.replace("\r\n", "\n")), MAX_LENGTH)
        response = self.post_json(form_data(body=body))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Comment.objects.get().body, ("😀" * 749 + "\n") * 1 + "😀" * 749)

    def test_an_empty_comment_is_refused(self):
        response = self.post_json(form_data(body=""))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"]["body"], ["Please write a comment."])

    def test_a_whitespace_only_comment_is_refused(self):
        response = self.post(form_data(body="   \r\n\t  "))
        self.assertContains(response, "Please write a comment.", status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_control_characters_are_refused(self):
        response = self.post(form_data(body="Hello\x07 there\x1b[31m"))
        self.assertContains(response, "invisible control characters", status_code=400)
        response = self.post(form_data(name="Evil\x00Name"))
        self.assertContains(response, "invisible control characters", status_code=400)

    def test_an_invalid_email_is_refused_and_the_comment_kept(self):
        response = self.post(form_data(email="not-an-email", body="My careful words"))
        self.assert_kept_with_error(response, "My careful words", "Enter a valid email address.")

    def test_the_policy_must_be_agreed(self):
        data = form_data(body="Kept text")
        del data["agree"]
        self.assert_kept_with_error(self.post(data), "Kept text", "Please agree to the Comment Policy")

    def test_json_errors_come_inline(self):
        response = self.post_json(form_data(name="", email="bad"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["errors"]), {"name", "email"})

    def test_html_and_script_are_shown_as_text(self):
        configure(default_mode="post", new_commenter_hold=0)
        self.post(form_data(name="<b>Bold</b>", body="<script>alert('x')</script> <img src=x onerror=alert(1)>"))
        page = self.client.get(self.article.url)
        self.assertContains(page, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        self.assertContains(page, "&lt;b&gt;Bold&lt;/b&gt;")
        self.assertNotContains(page, "<script>alert")
        self.assertNotContains(page, "<img src=x")

    def test_a_large_post_body_gets_413(self):
        response = self.post(form_data(body="x" * 100_000))
        self.assertEqual(response.status_code, 413)
        self.assertFalse(Comment.objects.exists())

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_a_huge_body_is_a_4xx_never_a_500(self):
        response = self.client.post(
            self.url, data=b"a=" + b"x" * 300_000, content_type="application/x-www-form-urlencoded", **SAME_ORIGIN
        )
        self.assertIn(response.status_code, (400, 413))

    def test_a_cross_site_post_without_a_token_is_refused(self):
        client = self.client_class(enforce_csrf_checks=True)
        response = client.post(self.url, form_data(), HTTP_SEC_FETCH_SITE="cross-site")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Comment.objects.exists())

    def test_a_forged_token_is_refused(self):
        client = self.client_class(enforce_csrf_checks=True)
        response = client.post(self.url, {**form_data(), "csrfmiddlewaretoken": "forged" * 8})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Comment.objects.exists())

    def test_a_real_token_from_the_csrf_endpoint_is_accepted(self):
        client = self.client_class(enforce_csrf_checks=True)
        token = client.get("/csrf/").json()["token"]
        response = client.post(self.url, form_data(), HTTP_X_CSRFTOKEN=token, HTTP_ACCEPT="application/json")
        self.assertEqual(response.status_code, 200)

    def test_a_double_clicked_submit_stores_one_comment(self):
        first = self.post_json(form_data(key="5f0c7a0e-key"))
        second = self.post_json(form_data(key="5f0c7a0e-key"))
        self.assertEqual(first.json(), second.json())
        self.assertEqual(Comment.objects.count(), 1)

    def test_a_resubmission_without_a_key_stores_one_comment(self):
        self.post(form_data())
        self.post(form_data())
        self.assertEqual(Comment.objects.count(), 1)

    def test_a_comment_on_an_unpublished_article_is_refused(self):
        from khabar.news.models import ArticlePage

        draft = testing.article(self.section, "Draft story", live=False)
        ArticlePage.objects.filter(pk=draft.pk).update(live=False)  # add_child leaves a new page live
        response = self.client.post(reverse("comments:post", args=[draft.pk]), form_data(), **JSON)
        self.assertEqual(response.status_code, 404)
        self.assertIn("not available", response.json()["error"])
        self.assertFalse(Comment.objects.exists())

    def test_a_comment_on_a_closed_article_is_refused_and_the_text_kept(self):
        self.article.comment_mode = "closed"
        self.article.save()
        response = self.post(form_data(body="Words I typed"))
        self.assert_kept_with_error(response, "Words I typed", "Comments are closed on this article.", status=403)

    def test_posting_too_fast_is_refused_per_email_with_the_text_kept(self):
        configure(posts_per_ten_minutes=2)
        for n in range(2):
            self.post_json(form_data(body=f"Comment {n}", key=f"k{n}"))
        response = self.post(form_data(body="Third one", key="k3"), REMOTE_ADDR="198.51.100.9")
        self.assertContains(response, "posting too fast", status_code=429)
        self.assertContains(response, "Third one", status_code=429)
        self.assertEqual(Comment.objects.count(), 2)

    def test_posting_too_fast_is_refused_per_ip_hash(self):
        configure(posts_per_ten_minutes=2)
        for n in range(2):
            self.post_json(form_data(email=f"p{n}@example.org", body=f"Comment {n}"))
        response = self.post_json(form_data(email="p3@example.org", body="Another"))
        self.assertEqual(response.status_code, 429)
        self.assertIn("posting too fast", response.json()["message"])

    def test_a_reply_to_a_reply_joins_the_top_level_thread(self):
        from khabar.comments.testing import comment

        top = comment(self.article)
        reply = comment(self.article, parent=top)
        self.post_json(form_data(parent=str(reply.pk)))
        self.assertEqual(Comment.objects.latest("pk").parent_id, top.pk)

    def test_the_no_javascript_reply_form_carries_the_parent(self):
        from khabar.comments.testing import comment

        top = comment(self.article)
        response = self.client.get(reverse("comments:form", args=[self.article.pk]) + f"?parent={top.pk}")
        self.assertContains(response, f'name="parent" value="{top.pk}"')
        self.assertIn("no-store", response["Cache-Control"])


class PolicyAndSettingsTests(PostingTestCase):
    def test_the_policy_page_chosen_in_settings_is_linked_from_the_block_and_the_form(self):
        policy = testing.plain_page("Comment Policy", slug="comment-policy", footer=False)
        configure(policy_page=policy)
        page = self.client.get(self.article.url)
        self.assertContains(page, f'<a href="{policy.url}">Comment Policy</a>', count=2)
        agree = BeautifulSoup(page.content, "html.parser").find("input", attrs={"name": "agree"}).parent
        self.assertEqual(agree.find("a")["href"], policy.url)

    def test_an_arabic_story_links_to_the_arabic_policy(self):
        policy = testing.plain_page("Comment Policy", slug="comment-policy", footer=False)
        arabic_section = testing.section("أخبار العراق", language="ar", slug="iraq-ar")
        story = testing.article(arabic_section, "إغلاق الجسر")
        configure(policy_page=policy)
        no_translation = self.client.get(story.url)
        self.assertContains(no_translation, f'<a href="{policy.url}">', count=2)  # the chosen page, until translated
        arabic = policy.copy_for_translation(testing.arabic_locale())
        arabic.title = "سياسة التعليقات"
        testing.publish(arabic)
        configure(policy_page=policy)  # saving the settings forgets the cached addresses
        page = self.client.get(story.url)
        self.assertContains(page, f'<a href="{arabic.url}">', count=2)
        self.assertNotContains(page, f'href="{policy.url}"')
        form = self.client.get(reverse("comments:form", args=[story.pk]))
        self.assertContains(form, f'<a href="{arabic.url}">')

    def test_without_a_policy_page_the_agreement_is_plain_text(self):
        configure(policy_page=None)
        page = self.client.get(self.article.url)
        self.assertContains(page, "I agree to the Comment Policy")
        agree = BeautifulSoup(page.content, "html.parser").find("input", attrs={"name": "agree"}).parent
        self.assertIsNone(agree.find("a"))

    def test_the_settings_are_editable_in_the_admin(self):
        from django.urls import reverse as admin_reverse

        admin = testing.user("root", superuser=True)
        self.client.force_login(admin)
        url = admin_reverse("wagtailsettings:edit", args=["comments", "commentsettings"])
        response = self.client.get(url, follow=True)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode().casefold()
        self.assertIn("banned words (reject)", html)
        self.assertIn("hold the first k comments of an email", html)

    def test_the_arabic_edition_shows_the_block_in_arabic(self):
        from khabar.comments.testing import comment

        arabic_section = testing.section("أخبار العراق", language="ar", slug="iraq-ar")
        arabic = testing.article(arabic_section, "إغلاق الجسر")
        comment(arabic, "تعليق أول")
        comment(arabic, "تعليق ثان")
        page = self.client.get(arabic.url)
        self.assertContains(page, "تعليقان")
        self.assertContains(page, "* تشير إلى حقل مطلوب")
        self.assertContains(page, 'dir="rtl"')
