from django.test import TestCase, override_settings

from khabar import testing
from khabar.mostread.tests.helpers import ViewFixtures


class BeaconTests(ViewFixtures, TestCase):
    def test_a_beacon_counts_one_view_and_answers_204_without_a_cookie(self):
        response = self.beacon(self.article.pk)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.cookies, {})
        self.assertNotIn("Set-Cookie", response)
        self.assertEqual(self.flushed(self.article), 1)

    def test_with_and_without_cookies_the_answer_and_the_count_are_the_same(self):
        plain = self.beacon(self.article.pk)
        self.client.cookies["khabar_reader"] = "anything"
        self.client.cookies["csrftoken"] = "x" * 32
        with_cookies = self.beacon(self.article.pk, REMOTE_ADDR="192.0.2.11")
        self.assertEqual((plain.status_code, plain.content), (with_cookies.status_code, with_cookies.content))
        self.assertEqual(with_cookies.cookies, {})
        self.assertNotIn("Set-Cookie", with_cookies)
        self.assertEqual(self.flushed(self.article), 2)

    def test_repeated_hits_from_one_address_count_once_and_another_address_counts(self):
        for _ in range(3):
            self.assertEqual(self.beacon(self.article.pk).status_code, 204)
        self.beacon(self.article.pk, REMOTE_ADDR="198.51.100.7")
        self.beacon(self.other.pk)  # the same address reading another article
        self.assertEqual(self.flushed(self.article), 2)
        self.assertEqual(self.flushed(self.other), 1)

    def test_bots_and_clients_without_a_user_agent_are_not_counted(self):
        for agent in ("Googlebot/2.1", "facebookexternalhit Preview", "HeadlessChrome/120", "my-crawler", ""):
            with self.subTest(agent=agent):
                self.assertEqual(self.beacon(self.article.pk, HTTP_USER_AGENT=agent).status_code, 204)
        self.assertEqual(self.flushed(self.article), 0)

    def test_unknown_unpublished_and_embargoed_articles_are_ignored(self):
        for article_id in (999999, self.draft.pk, self.embargoed.pk, self.section.pk):
            self.assertEqual(self.beacon(article_id).status_code, 204)
        self.assertEqual(self.flushed(self.draft) + self.flushed(self.embargoed), 0)
        from khabar.mostread.models import ArticleViewsHour

        self.assertFalse(ArticleViewsHour.objects.exists())

    def test_staff_are_not_counted(self):
        self.client.force_login(testing.user("editor", superuser=True))
        self.assertEqual(self.beacon(self.article.pk).status_code, 204)
        self.assertEqual(self.flushed(self.article), 0)

    def test_cross_site_wrong_type_big_or_malformed_requests_are_refused_and_not_counted(self):
        self.assertEqual(self.beacon(self.article.pk, HTTP_SEC_FETCH_SITE="cross-site").status_code, 403)
        self.assertEqual(
            self.beacon(self.article.pk, HTTP_SEC_FETCH_SITE="", HTTP_ORIGIN="https://evil.example").status_code, 403
        )
        response = self.client.post("/views/", {"article": "x"}, content_type="application/json", **_headers())
        self.assertEqual(response.status_code, 415)
        self.assertEqual(self.beacon("12abc").status_code, 400)
        self.assertEqual(self.beacon("1" * 300).status_code, 413)
        self.assertEqual(self.client.get("/views/", **_headers()).status_code, 405)
        self.assertEqual(self.flushed(self.article), 0)

    def test_a_plain_text_body_from_a_same_origin_page_counts(self):
        response = self.client.post(
            "/views/", str(self.article.pk), content_type="text/plain;charset=UTF-8", **_headers()
        )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(self.flushed(self.article), 1)

    @override_settings(KHABAR_MOSTREAD_BEACONS_PER_MINUTE=2)
    def test_beacons_are_rate_limited_per_address(self):
        self.beacon(self.article.pk)
        self.beacon(self.other.pk)
        response = self.beacon(self.match.pk)
        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response)
        self.assertEqual(self.flushed(self.match), 0)


def _headers():
    from khabar.mostread.tests.helpers import BEACON

    return BEACON
