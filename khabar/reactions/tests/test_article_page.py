from django.template import Context, Template
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse

from khabar.reactions import votes

from .helpers import FORM, ReactionFixtures


class ArticlePageTests(ReactionFixtures, TestCase):
    def test_every_article_asks_do_you_like_this_article_with_yes_and_no(self):
        response = self.client.get(self.article.url)
        self.assertContains(response, "Do you like this article?")
        self.assertContains(response, 'name="vote" value="yes"')
        self.assertContains(response, 'name="vote" value="no"')
        self.assertContains(response, f'action="{reverse("reaction", args=[self.article.pk])}"')
        self.assertContains(response, 'aria-live="polite"')

    def test_an_article_with_reactions_switched_off_shows_no_question(self):
        response = self.client.get(self.switched_off.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Do you like this article?")
        self.assertNotContains(response, "/reactions/")

    def test_the_block_carries_no_csrf_token_and_no_counts(self):
        self.vote(Client(), self.article, "yes")
        html = self.client.get(self.article.url).content.decode()
        self.assertNotIn("csrfmiddlewaretoken", html)
        self.assertNotIn("said yes", html)
        self.assertNotIn("You said", html)

    def test_the_article_html_is_identical_for_every_reader_before_and_after_voting(self):
        """Cached HTML must hold no per-reader data: voting changes nothing in the page itself."""
        before = self.client.get(self.article.url).content
        voted = self.client.post(reverse("reaction", args=[self.article.pk]), {"vote": "yes"}, **FORM)
        self.assertIn(votes.COOKIE_NAME, voted.cookies)
        self.assertEqual(self.client.get(self.article.url).content, before)  # the voter
        self.assertEqual(Client().get(self.article.url).content, before)  # somebody else
        self.vote(Client(), self.article, "no")
        self.assertEqual(self.client.get(self.article.url).content, before)  # counts moved, page did not

    def test_the_reaction_tag_runs_no_queries(self):
        template = Template("{% load reactions_tags %}{% article_reaction page %}")
        request = RequestFactory().get("/")
        with self.assertNumQueries(0):
            html = template.render(Context({"page": self.article, "request": request}))
        self.assertIn("Do you like this article?", html)


class ArabicTests(ReactionFixtures, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from khabar import testing

        cls.arabic = testing.article(
            testing.section("أخبار العراق", language="ar", slug="iraq-ar"), "البرلمان يقر الموازنة"
        )

    def test_the_arabic_article_asks_in_arabic(self):
        response = self.client.get(self.arabic.url)
        self.assertContains(response, "هل أعجبك هذا المقال؟")
        self.assertContains(response, ">نعم<")
        self.assertContains(response, ">لا<")

    def test_the_result_is_in_the_articles_language_with_arabic_plural_forms(self):
        data = self.vote(self.client, self.arabic, "yes").json()
        self.assertEqual(data["your_vote"], "قلت نعم.")
        self.assertEqual(data["summary"], "100٪ قالوا نعم · صوت واحد")

    def test_every_arabic_plural_form_is_used(self):
        from django.utils import translation

        from khabar.reactions.votes import Result

        expected = {
            1: "صوت واحد",
            2: "صوتان",
            3: "3 أصوات",
            11: "11 صوتًا",
            100: "100 صوت",
        }
        with translation.override("ar"):
            for count, words in expected.items():
                self.assertIn(words, Result(count, 0, count, 100, "yes").summary, count)
