from unittest import mock

from django.core import signing
from django.http import HttpResponse
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import reverse

from khabar.reactions import votes
from khabar.reactions.models import Reaction, ReactionTotals

from .helpers import FORM, JSON, ReactionFixtures


def totals(article) -> tuple[int, int]:
    row = ReactionTotals.objects.filter(pk=article.pk).first()
    return (row.yes, row.no) if row else (0, 0)


class OneVotePerReaderTests(ReactionFixtures, TestCase):
    def test_a_first_vote_is_counted_and_gives_the_reader_a_signed_cookie(self):
        response = self.vote(self.client, self.article, "yes")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(totals(self.article), (1, 0))
        cookie = response.cookies[votes.COOKIE_NAME]
        self.assertTrue(cookie["httponly"])
        request = RequestFactory().get("/", HTTP_COOKIE=f"{votes.COOKIE_NAME}={cookie.value}")
        reader = votes.reader_from_request(request)
        self.assertEqual(Reaction.objects.get(article=self.article).reader, reader)

    def test_voting_again_the_same_way_counts_once(self):
        for _ in range(3):
            self.vote(self.client, self.article, "yes")
        self.assertEqual(totals(self.article), (1, 0))
        self.assertEqual(Reaction.objects.filter(article=self.article).count(), 1)

    def test_changing_the_vote_moves_the_count_and_never_double_counts(self):
        self.vote(self.client, self.article, "yes")
        response = self.vote(self.client, self.article, "no")
        self.assertEqual(totals(self.article), (0, 1))
        self.assertEqual(response.json()["vote"], "no")
        self.vote(self.client, self.article, "yes")
        self.assertEqual(totals(self.article), (1, 0))
        self.assertEqual(Reaction.objects.get(article=self.article).vote, "yes")

    def test_each_reader_counts_and_the_share_of_yes_is_rounded(self):
        for value in ["yes", "yes", "no"]:
            self.vote(Client(), self.article, value)
        data = self.vote(self.client, self.article, "yes").json()
        self.assertEqual((data["yes"], data["no"], data["total"], data["share_yes"]), (3, 1, 4, 75))
        self.assertEqual(data["summary"], "75% said yes · 4 votes")
        self.assertEqual(data["your_vote"], "You said yes.")
        self.assertEqual(totals(self.other), (0, 0))

    def test_a_vote_on_one_article_does_not_touch_another(self):
        self.vote(self.client, self.article, "no")
        self.assertEqual(self.state(self.client, self.other).json()["vote"], None)

    def test_the_reader_reads_back_their_vote_and_the_counts(self):
        self.vote(Client(), self.article, "no")
        self.vote(self.client, self.article, "yes")
        response = self.state(self.client, self.article)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual((data["vote"], data["total"], data["share_yes"]), ("yes", 2, 50))
        self.assertEqual(data["summary"], "50% said yes · 2 votes")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])

    def test_a_reader_who_has_not_voted_has_no_vote(self):
        self.vote(Client(), self.article, "yes")
        data = self.state(self.client, self.article).json()
        self.assertIsNone(data["vote"])
        self.assertEqual(data["your_vote"], "")
        self.assertEqual(data["summary"], "100% said yes · 1 vote")


class RecordVoteTests(ReactionFixtures, TestCase):
    def test_the_same_reader_recording_twice_stores_one_vote(self):
        votes.record_vote(self.article, "a" * 32, "yes")
        totals_row = votes.record_vote(self.article, "a" * 32, "yes")
        self.assertEqual((totals_row.yes, totals_row.no), (1, 0))
        self.assertEqual(Reaction.objects.count(), 1)

    def test_a_vote_racing_its_double_click_is_treated_as_a_change_not_a_second_vote(self):
        article = votes.published_article(self.article.pk)
        real = Reaction.objects.select_for_update
        calls = []

        def other_request_wins_the_race():
            calls.append(1)
            if len(calls) == 1:
                # The double click's twin stores its "yes" just after this request looked and found nothing.
                votes.record_vote(article, "b" * 32, "yes")
                return real().none()
            return real()

        with mock.patch.object(Reaction.objects, "select_for_update", side_effect=other_request_wins_the_race):
            totals_row = votes.record_vote(article, "b" * 32, "no")
        self.assertEqual((totals_row.yes, totals_row.no), (0, 1))
        self.assertEqual(Reaction.objects.get(reader="b" * 32).vote, "no")


class CookieTamperingTests(ReactionFixtures, TestCase):
    def setUp(self):
        super().setUp()
        self.victim = Client()
        self.vote(self.victim, self.article, "yes")
        self.victim_id = Reaction.objects.get(article=self.article).reader

    def test_an_unsigned_cookie_naming_another_reader_is_refused_and_changes_nothing(self):
        self.client.cookies[votes.COOKIE_NAME] = self.victim_id
        response = self.vote(self.client, self.article, "no")
        self.assertEqual(response.status_code, 400)
        self.assertIn("cookie", response.json()["error"])
        self.assertEqual(totals(self.article), (1, 0))
        self.assertEqual(Reaction.objects.get(reader=self.victim_id).vote, "yes")
        self.assertEqual(response.cookies[votes.COOKIE_NAME].value, "")  # the bad cookie is removed

    def test_a_cookie_signed_with_another_key_is_refused(self):
        forged = signing.get_cookie_signer(salt="something-else").sign(self.victim_id)
        self.client.cookies[votes.COOKIE_NAME] = forged
        self.assertEqual(self.vote(self.client, self.article, "no").status_code, 400)
        self.client.cookies[votes.COOKIE_NAME] = forged
        self.assertEqual(self.state(self.client, self.article).status_code, 400)
        self.assertEqual(totals(self.article), (1, 0))

    def test_an_edited_signed_cookie_is_refused(self):
        value = self.victim.cookies[votes.COOKIE_NAME].value
        self.client.cookies[votes.COOKIE_NAME] = "0" + value[1:] if value[0] != "0" else "1" + value[1:]
        self.assertEqual(self.vote(self.client, self.article, "no").status_code, 400)
        self.assertEqual(totals(self.article), (1, 0))

    def test_a_validly_signed_but_malformed_reader_id_is_refused(self):
        signed = HttpResponse()
        signed.set_signed_cookie(votes.COOKIE_NAME, "../../not-an-id", salt=votes.COOKIE_SALT)
        self.client.cookies[votes.COOKIE_NAME] = signed.cookies[votes.COOKIE_NAME].value
        self.assertEqual(self.vote(self.client, self.article, "no").status_code, 400)

    def test_after_a_refusal_the_reader_can_vote_afresh(self):
        self.client.cookies[votes.COOKIE_NAME] = "garbage"
        self.vote(self.client, self.article, "no")  # refused; the response deletes the cookie
        self.assertEqual(self.vote(self.client, self.article, "no").status_code, 200)
        self.assertEqual(totals(self.article), (1, 1))


class RateLimitTests(ReactionFixtures, TestCase):
    @override_settings(KHABAR_REACTION_VOTES_PER_ARTICLE=2)
    def test_clearing_cookies_to_vote_again_is_stopped_by_the_ip_limit(self):
        for _ in range(2):
            self.assertEqual(self.vote(Client(), self.article, "yes").status_code, 200)
        response = self.vote(Client(), self.article, "yes")
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertIn("Too many votes", response.json()["error"])
        self.assertEqual(totals(self.article), (2, 0))

    @override_settings(KHABAR_REACTION_VOTES_PER_ARTICLE=1)
    def test_the_limit_is_per_address(self):
        self.vote(Client(), self.article, "yes", REMOTE_ADDR="10.0.0.1")
        self.assertEqual(self.vote(Client(), self.article, "yes", REMOTE_ADDR="10.0.0.2").status_code, 200)
        self.assertEqual(self.vote(Client(), self.article, "yes", REMOTE_ADDR="10.0.0.1").status_code, 429)

    @override_settings(KHABAR_REACTION_VOTES_PER_HOUR=2)
    def test_votes_across_articles_have_an_overall_limit(self):
        self.vote(self.client, self.article, "yes")
        self.vote(self.client, self.other, "yes")
        response = self.client.post(self.url(self.article), {"vote": "no"}, **FORM)
        self.assertEqual(response.status_code, 429)  # the page for readers without JavaScript
        self.assertIn("Retry-After", response)
        self.assertEqual(totals(self.article), (1, 0))


class BadInputTests(ReactionFixtures, TestCase):
    def assertRefused(self, response, status: int, words: str) -> None:
        self.assertEqual(response.status_code, status)
        self.assertIn(words, response.json()["error"])
        self.assertFalse(Reaction.objects.exists())
        self.assertFalse(ReactionTotals.objects.filter(yes__gt=0).exists())

    def test_a_vote_other_than_yes_or_no_is_refused(self):
        for value in ["maybe", "YES", "", "yes ", "<script>"]:
            self.assertRefused(self.vote(self.client, self.article, value), 400, "yes or no")
        self.assertRefused(self.client.post(self.url(self.article), {}, **JSON), 400, "yes or no")

    def test_an_unknown_article_is_404(self):
        self.assertRefused(self.client.post("/en/reactions/999999/", {"vote": "yes"}, **JSON), 404, "no such article")

    def test_an_unpublished_or_embargoed_article_is_404(self):
        self.assertRefused(self.vote(self.client, self.draft, "yes"), 404, "no such article")
        self.assertRefused(self.vote(self.client, self.embargoed, "yes"), 404, "no such article")
        self.assertEqual(self.state(self.client, self.embargoed).status_code, 404)

    def test_an_article_with_reactions_switched_off_refuses_votes(self):
        self.assertRefused(self.vote(self.client, self.switched_off, "yes"), 403, "switched off")
        self.assertEqual(self.state(self.client, self.switched_off).status_code, 403)

    def test_a_huge_body_is_413(self):
        response = self.client.post(self.url(self.article), {"vote": "yes", "pad": "x" * 100_000}, **JSON)
        self.assertRefused(response, 413, "too large")

    def test_a_post_without_csrf_token_or_same_origin_proof_is_403(self):
        response = self.client.post(self.url(self.article), {"vote": "yes"}, HTTP_ACCEPT="application/json")
        self.assertRefused(response, 403, "from this site")

    def test_a_post_from_another_site_is_403(self):
        response = self.client.post(
            self.url(self.article), {"vote": "yes"}, HTTP_ACCEPT="application/json", HTTP_ORIGIN="https://evil.example"
        )
        self.assertRefused(response, 403, "from this site")

    def test_a_forged_csrf_token_is_403(self):
        client = Client(enforce_csrf_checks=True)
        client.get("/csrf/")
        response = client.post(self.url(self.article), {"vote": "yes"}, **JSON, HTTP_X_CSRFTOKEN="forged" * 8)
        self.assertRefused(response, 403, "expired")

    def test_a_real_csrf_token_from_the_csrf_endpoint_is_accepted(self):
        client = Client(enforce_csrf_checks=True)
        token = client.get("/csrf/").json()["token"]
        response = client.post(
            self.url(self.article), {"vote": "yes"}, HTTP_ACCEPT="application/json", HTTP_X_CSRFTOKEN=token
        )
        self.assertEqual(response.status_code, 200)

    def test_other_methods_are_405(self):
        response = self.client.delete(self.url(self.article), **JSON)
        self.assertEqual(response.status_code, 405)
        self.assertFalse(Reaction.objects.exists())

    def test_refusals_without_javascript_are_readable_pages_with_a_way_back(self):
        response = self.client.post(self.url(self.switched_off), {"vote": "yes"}, **FORM)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Reactions are switched off for this article.", status_code=403)
        self.assertContains(response, f'href="{self.switched_off.url}"', status_code=403)
        self.assertIn("no-store", response["Cache-Control"])

    def test_an_unknown_article_without_javascript_is_a_readable_404_page(self):
        response = self.client.post("/en/reactions/999999/", {"vote": "yes"}, **FORM)
        self.assertContains(response, "There is no such article.", status_code=404)
        self.assertContains(response, "Your answer was not saved", status_code=404)


class WithoutJavaScriptTests(ReactionFixtures, TestCase):
    def test_the_form_post_redirects_back_to_the_article_at_the_reaction(self):
        response = self.client.post(self.url(self.article), {"vote": "no"}, **FORM)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response["Location"], f"{self.article.url}#reaction")
        self.assertIn(votes.COOKIE_NAME, response.cookies)
        self.assertEqual(totals(self.article), (0, 1))

    def test_the_result_frame_shows_the_readers_answer_and_the_counts(self):
        self.client.post(self.url(self.article), {"vote": "no"}, **FORM)
        self.vote(Client(), self.article, "yes")
        response = self.client.get(reverse("reaction_result", args=[self.article.pk]))
        self.assertContains(response, "You said no.")
        self.assertContains(response, "50% said yes · 2 votes")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
        self.assertIn("frame-ancestors 'self'", response["Content-Security-Policy"])

    def test_the_result_frame_for_a_reader_who_has_not_voted_says_so(self):
        self.vote(Client(), self.article, "yes")
        response = self.client.get(reverse("reaction_result", args=[self.article.pk]))
        self.assertContains(response, "You have not answered yet.")
        self.assertNotContains(response, "said yes")


class QueryCountTests(ReactionFixtures, TestCase):
    def test_reading_a_result_is_two_queries_however_many_voted(self):
        for value in ["yes", "no", "yes"]:
            self.vote(Client(), self.article, value)
        self.vote(self.client, self.article, "yes")
        with self.assertNumQueries(2):  # the article with its totals; this reader's vote
            self.assertEqual(self.state(self.client, self.article).json()["total"], 4)

    def test_a_vote_takes_a_bounded_number_of_queries(self):
        for value in ["yes", "no", "yes"]:
            self.vote(Client(), self.article, value)
        with self.assertNumQueries(9):  # a new vote, savepoints included
            self.vote(self.client, self.article, "yes")
        with self.assertNumQueries(7):  # a changed vote
            self.vote(self.client, self.article, "no")
