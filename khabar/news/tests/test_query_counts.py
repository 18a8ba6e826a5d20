"""Reader pages cost a fixed number of queries, whatever the number of bylines, images, topics or stories."""

from django.core.cache import caches
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from khabar import testing
from khabar.news.models import RelatedArticle

ARTICLE_QUERY_BUDGET = 10  # the comments and reactions blocks add theirs to reach the 12 of issue 7


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.authors = [testing.author(f"Writer {n}") for n in range(4)]
        cls.small = cls._article("Small story", bylines=1, images=1, topics=1)
        cls.big = cls._article("Big story", bylines=4, images=4, topics=5)
        for n in range(3):
            cls._article(f"Related story {n}", bylines=1, images=1, topics=5)

    @classmethod
    def _article(cls, title, *, bylines, images, topics):
        body = [testing.paragraph("Text.")]
        body += [
            {"type": "image", "value": {"image": testing.image().pk, "caption": "", "credit": ""}}
            for _ in range(images)
        ]
        body += [
            {"type": "subheading", "value": "More"},
            {
                "type": "pull_quote",
                "value": {"quote": "We will see.", "speaker": "Huda Kareem", "role": "council member"},
            },
        ]
        article = testing.article(
            cls.section, title, authors=cls.authors[:bylines], body=body, lead_image=testing.image()
        )
        article.topics.add(*[f"Topic {n}" for n in range(topics)])
        testing.publish(article)
        return article

    def count(self, url: str) -> int:
        self.client.get(url)  # warm: renditions are created once, then found in the renditions cache
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def setUp(self):
        caches["default"].clear()
        caches["renditions"].clear()

    def test_article_queries_do_not_grow_with_bylines_images_or_topics(self):
        small, big = self.count(self.small.url), self.count(self.big.url)
        self.assertEqual(small, big)
        self.assertLessEqual(big, ARTICLE_QUERY_BUDGET)

    def test_article_queries_do_not_grow_with_chosen_related_articles(self):
        before = self.count(self.big.url)
        for position, other in enumerate([self.small] + list(type(self.small).objects.exclude(pk=self.big.pk)[:3])):
            RelatedArticle.objects.create(page=self.big, article=other, sort_order=position)
        self.assertLessEqual(self.count(self.big.url), before)

    def test_section_and_home_queries_do_not_grow_with_the_number_of_stories(self):
        section_before, home_before = self.count(self.section.url), self.count("/en/")
        for n in range(6):
            self._article(f"Extra {n}", bylines=2, images=0, topics=2)
        self.assertEqual(self.count(self.section.url), section_before)
        self.assertEqual(self.count("/en/"), home_before)

    def test_author_and_topic_pages_do_not_grow_with_the_number_of_stories(self):
        author_url, topic_url = self.authors[0].url, "/en/topics/topic-0/"
        author_before, topic_before = self.count(author_url), self.count(topic_url)
        for n in range(4):
            self._article(f"Extra {n}", bylines=2, images=0, topics=2)
        self.assertEqual(self.count(author_url), author_before)
        self.assertEqual(self.count(topic_url), topic_before)
