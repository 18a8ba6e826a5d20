"""What leaves the site in comment emails: links to the real site, no bidi tricks; names a reader can see."""

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Site

from khabar.comments.models import Comment, Status
from khabar.comments.tasks import send_reply_notice
from khabar.comments.testing import OneArticleTestCase, comment, form_data

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_SEC_FETCH_SITE": "same-origin"}


@override_settings(BASE_URL="https://news.example.org")
class ReplyNoticeTests(OneArticleTestCase):  # its setUp also clears the site root paths Wagtail caches
    def notice(self, **reply_fields) -> str:
        parent = comment(self.article, "Question", email="asker@example.org", notify_replies=True)
        reply = comment(self.article, reply_fields.pop("body", "Answer"), parent=parent, **reply_fields)
        mail.outbox.clear()
        self.assertTrue(send_reply_notice.call(reply.pk))
        self.assertEqual(len(mail.outbox), 1)
        return mail.outbox[0].body

    def test_the_link_goes_to_the_public_site_not_wagtails_placeholder_localhost(self):
        self.assertEqual(Site.objects.get(is_default_site=True).hostname, "localhost")
        body = self.notice()
        self.assertNotIn("localhost", body)
        self.assertIn(f"https://news.example.org{self.article.url}#comment-", body)

    def test_a_site_with_a_real_host_links_there(self):
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = "iraq.example.net", 443
        site.save()  # save(), not update(): Wagtail's cached site root paths are cleared
        self.assertIn(f"https://iraq.example.net{self.article.url}#comment-", self.notice())

    def test_a_bidi_override_in_the_name_or_text_does_not_reach_the_email(self):
        body = self.notice(name="\u202eHuda", body="\u202eevil text\u2066")
        self.assertNotIn("\u202e", body)
        self.assertNotIn("\u2066", body)
        self.assertIn("Huda replied", body)
        self.assertIn("evil text", body)


class InvisibleNameTests(OneArticleTestCase):
    def test_it_refuses_a_name_made_only_of_invisible_characters(self):
        url = reverse("comments:post", args=[self.article.pk])
        for name in ["\u200b", "\u200b\u200c\u200d\u200e\u200f", "\u2060\ufeff", "\u202e\u2066"]:
            with self.subTest(name=repr(name)):
                response = self.client.post(url, form_data(name=name), **JSON)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(list(response.json()["errors"]), ["name"])
        self.assertFalse(Comment.objects.exists())

    def test_a_name_in_arabic_with_a_direction_mark_is_accepted(self):
        url = reverse("comments:post", args=[self.article.pk])
        self.assertEqual(self.client.post(url, form_data(name="\u200fهدى"), **JSON).status_code, 200)
        self.assertEqual(Comment.objects.get().status, Status.PENDING)
