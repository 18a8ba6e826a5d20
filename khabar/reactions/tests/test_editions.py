""" "Do you like this article?" in each of four editions (en, ar, ckb, fa): the question on the article,
a vote, its answer and the no-JavaScript result frame, in the edition's language and direction."""

from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from khabar.core.templatetags.khabar_tags import digits
from khabar.news.tests.four_editions import EDITIONS, build, four_editions, interface
from khabar.reactions.models import ReactionTotals

from .helpers import FORM, JSON

SUMMARY = ("%(share)s%% said yes · %(count)s vote", "%(share)s%% said yes · %(count)s votes")


def summary(code: str, share: int, count: int) -> str:
    """ "75% said yes · 4 votes" as the edition shows it, in its words and its digits."""
    with translation.override(code):
        return digits(translation.ngettext(*SUMMARY, count) % {"share": share, "count": count})


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@four_editions
class ReactionsInEachEditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editions = build()

    def setUp(self):
        cache.clear()  # rate-limit counters

    def each_edition(self):
        return [self.editions[code] for code in EDITIONS]

    def url(self, edition, name="reaction") -> str:
        with translation.override(edition.code):
            return reverse(name, args=[edition.article.pk])

    def test_the_question_on_the_article_is_in_the_edition_s_language(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                block = soup(self.client.get(edition.article.url)).find("section", id="reaction")
                self.assertEqual(block["data-reaction"], self.url(edition))
                self.assertEqual(block.find("h2").get_text(), interface(edition.code, "Do you like this article?"))
                buttons = [button.get_text() for button in block.find_all("button")]
                self.assertEqual(buttons, [interface(edition.code, "Yes"), interface(edition.code, "No")])

    def test_a_vote_counts_for_its_own_article_and_answers_in_the_edition_s_language(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                reader = Client()
                response = reader.post(self.url(edition), {"vote": "yes"}, **JSON)
                self.assertEqual(response.status_code, 200, response.content)
                data = response.json()
                self.assertEqual(data["summary"], summary(edition.code, 100, 1))
                self.assertEqual(data["your_vote"], interface(edition.code, "You said yes."))
                self.assertEqual(ReactionTotals.objects.get(pk=edition.article.pk).yes, 1)
        self.assertEqual(ReactionTotals.objects.count(), len(EDITIONS))

    def test_the_answer_is_in_the_article_s_language_whatever_the_prefix(self):
        # An endpoint reached under another edition's prefix still speaks the article's language.
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                other = next(e for e in self.each_edition() if e is not edition)
                url = self.url(edition).replace(f"/{edition.code}/", f"/{other.code}/", 1)
                data = Client().post(url, {"vote": "no"}, **JSON).json()
                self.assertEqual(data["your_vote"], interface(edition.code, "You said no."))

    def test_without_javascript_a_vote_returns_to_the_edition_s_article(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                response = Client().post(self.url(edition), {"vote": "no"}, **FORM)
                self.assertEqual(response.status_code, 303)
                self.assertEqual(response["Location"], f"{edition.article.url}#reaction")

    def test_the_result_frame_is_in_the_edition_s_language_and_direction(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                reader = Client()
                reader.post(self.url(edition), {"vote": "yes"}, **JSON)
                page = soup(reader.get(self.url(edition, "reaction_result")))
                self.assertEqual((page.html["lang"], page.html["dir"]), (edition.code, edition.direction))
                self.assertEqual(page.find("strong").get_text(), interface(edition.code, "You said yes."))
                self.assertIn(summary(edition.code, 100, 1), page.find("p").get_text())

    def test_the_interface_strings_are_translated_in_every_edition_but_english(self):
        for code in EDITIONS[1:]:
            with self.subTest(edition=code):
                for message in ("Do you like this article?", "Yes", "No", "You said yes."):
                    self.assertNotEqual(interface(code, message), message)
                self.assertNotEqual(summary(code, 100, 1), summary("en", 100, 1))
