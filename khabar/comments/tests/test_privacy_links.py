"""Privacy links die once used; an oversized comment body is read away before the 413."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from khabar.comments.testing import OneArticleTestCase, comment


class UsedPrivacyLinkTests(OneArticleTestCase):
    def test_it_refuses_a_delete_link_that_was_already_used(self):
        comment(self.article, "Mine", email="huda@example.org")
        self.client.post(reverse("comments:privacy"), {"email": "huda@example.org"})
        link = next(line for line in mail.outbox[-1].body.splitlines() if "/comments/privacy/" in line).strip()
        token = self.client.get(link).context["token"]
        self.assertContains(self.client.post(reverse("comments:privacy_delete", args=[token])), "has been deleted")
        self.assertEqual(self.client.get(link).status_code, 400)
        self.assertEqual(self.client.post(reverse("comments:privacy_delete", args=[token])).status_code, 400)
        self.assertEqual(self.client.get(reverse("comments:privacy_export", args=[token])).status_code, 400)


class OversizedCommentTests(TestCase):
    def test_it_reads_away_a_refused_body_so_the_connection_stays_consistent(self):
        from django.test import RequestFactory

        from khabar.comments.views import MAX_BODY_BYTES, post_comment

        body = b"x" * (MAX_BODY_BYTES + 10)
        request = RequestFactory().post("/comments/1/post/", data=body, content_type="text/plain")
        response = post_comment(request, 1)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(request.read(), b"")  # nothing left for the server to mistake for a next request
        self.assertNotIn("Connection", response)  # and it does not claim to close a connection it keeps
