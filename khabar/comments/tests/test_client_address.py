"""Behind the documented proxy, a commenter cannot escape the limits by writing their own X-Forwarded-For."""

from django.test import override_settings
from django.urls import reverse

from khabar.comments.models import Comment, Status
from khabar.comments.testing import OneArticleTestCase, comment, configure, form_data

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ACCEPT": "application/json"}


def through_proxy(n: int) -> dict:
    # What nginx's $proxy_add_x_forwarded_for sends: the client's spoofed header, then the real address.
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}, 203.0.113.50", **SAME_ORIGIN}


# As settings.py sets them for KHABAR_BEHIND_PROXY=1.
@override_settings(
    KHABAR_BEHIND_PROXY=True,
    KHABAR_TRUSTED_PROXIES=["127.0.0.0/8", "::1"],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
class SpoofedForwardedForTests(OneArticleTestCase):
    def test_it_limits_comments_from_one_address_whatever_x_forwarded_for_claims(self):
        configure(posts_per_ten_minutes=5)
        url = reverse("comments:post", args=[self.article.pk])
        statuses = [
            self.client.post(
                url, form_data(email=f"reader{n}@example.org", body=f"Comment {n} on the bridge"), **through_proxy(n)
            ).status_code
            for n in range(6)
        ]
        self.assertEqual(statuses, [200] * 5 + [429])
        self.assertEqual(Comment.objects.count(), 5)

    def test_spoofed_reports_count_as_one_reader(self):
        configure(report_threshold=3)
        target = comment(self.article, "A fair comment")
        url = reverse("comments:report", args=[target.pk])
        for n in range(3):
            self.client.post(url, {"reason": "spam"}, **through_proxy(n))
        target.refresh_from_db()
        self.assertEqual(target.status, Status.APPROVED)
        self.assertEqual(target.reports.count(), 1)
