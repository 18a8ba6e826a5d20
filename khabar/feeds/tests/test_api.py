from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar import testing
from khabar.news.models import ArticlePage, Correction


def clear_caches() -> None:
    """Every configured cache: Wagtail keeps renditions and site root paths there, shared on disk."""
    for alias in settings.CACHES:
        caches[alias].clear()


class ReadAPITests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.room = testing.newsroom(articles_per_section=2)
        cls.iraq = cls.room.sections["iraq"]
        cls.story = cls.room.articles[0]
        cls.story.topics.add("Water")
        testing.publish(cls.story)
        Correction.objects.create(page=cls.story, text="The vote was 140 to 90.")
        cls.old = testing.article(cls.iraq, "Last week's story", published=now - timedelta(days=7))
        cls.embargoed_image = testing.image("Secret")
        cls.embargoed = testing.article(
            cls.iraq, "Embargoed API story", embargo_until=now + timedelta(hours=2), lead_image=cls.embargoed_image
        )
        cls.draft = testing.article(cls.iraq, "Draft API story")
        ArticlePage.objects.filter(pk=cls.draft.pk).update(live=False)
        arabic = testing.section("العراق", language="ar", slug="iraq-ar")
        cls.arabic = testing.article(arabic, "خبر في الواجهة")

    def setUp(self):
        clear_caches()

    def get(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, response.content[:500])
        return response.json()

    def titles(self, url):
        return [item["title"] for item in self.get(url)["items"]]

    def test_api_root_names_the_endpoints(self):
        data = self.get("/api/")
        self.assertEqual(data["pages"], "http://testserver/api/v2/pages/")

    def test_pages_lists_published_articles_sections_and_authors_only(self):
        data = self.get("/api/v2/pages/?limit=100")
        types = {item["meta"]["type"] for item in data["items"]}
        self.assertEqual(types, {"news.ArticlePage", "news.SectionPage", "news.AuthorPage"})
        titles = [item["title"] for item in data["items"]]
        self.assertIn(self.story.title, titles)
        self.assertNotIn("Embargoed API story", titles)
        self.assertNotIn("Draft API story", titles)
        self.assertEqual(data["meta"]["total_count"], len(titles))

    def test_embargoed_and_draft_articles_are_not_found_by_id_or_type(self):
        self.get(f"/api/v2/pages/{self.embargoed.pk}/", status=404)
        self.get(f"/api/v2/pages/{self.draft.pk}/", status=404)
        self.assertNotIn("Embargoed API story", self.titles("/api/v2/pages/?type=news.ArticlePage&limit=100"))
        self.get("/api/v2/pages/?type=news.HomePage", status=200)
        self.assertEqual(self.titles("/api/v2/pages/?type=news.HomePage"), [])

    def test_embargoed_articles_image_is_not_in_the_images_endpoint(self):
        ids = [item["id"] for item in self.get("/api/v2/images/?limit=100")["items"]]
        self.assertNotIn(self.embargoed_image.pk, ids)
        self.assertIn(self.story.lead_image_id, ids)
        self.get(f"/api/v2/images/{self.embargoed_image.pk}/", status=404)

    def test_article_detail_has_bylines_topics_lead_image_renditions_and_corrections(self):
        data = self.get(f"/api/v2/pages/{self.story.pk}/")
        self.assertEqual(data["title"], self.story.title)
        self.assertEqual(data["standfirst"], self.story.standfirst)
        self.assertEqual([b["name"] for b in data["bylines"]], ["Layla Hassan", "Omar Khalil"])
        self.assertEqual(data["bylines"][0]["html_url"], "http://testserver" + self.room.authors[0].url)
        self.assertEqual(data["topics"], [{"name": "Water", "slug": "water"}])
        self.assertEqual(data["section"], {"id": self.iraq.pk, "title": "Iraq News"})
        renditions = data["lead_image"]["renditions"]
        self.assertEqual(set(renditions), {"16x9", "4x3", "1x1"})
        wide = renditions["16x9"]
        self.assertAlmostEqual(wide["width"] / wide["height"], 16 / 9, places=2)
        self.assertLessEqual(wide["width"], 1200)  # 1200 px, or the original's width: renditions never upscale
        self.assertTrue(renditions["4x3"]["url"].startswith("http://testserver/media/images/"))
        self.assertEqual(data["lead_image"]["credit"], self.story.lead_image.credit)
        self.assertEqual(data["corrections"][0]["text"], "The vote was 140 to 90.")
        self.assertEqual(data["body"][0]["type"], "paragraph")
        self.assertEqual(data["meta"]["locale"], "en")

    def test_listing_with_article_fields(self):
        data = self.get("/api/v2/pages/?type=news.ArticlePage&fields=bylines,topics,lead_image,section&limit=3")
        self.assertEqual(len(data["items"]), 3)
        first = data["items"][0]
        self.assertEqual(first["title"], self.arabic.title)  # newest first by default
        self.assertIn("bylines", first)
        self.assertIn("section", first)

    def test_filter_by_edition(self):
        self.assertEqual(self.titles("/api/v2/pages/?type=news.ArticlePage&locale=ar"), ["خبر في الواجهة"])
        english = self.titles("/api/v2/pages/?type=news.ArticlePage&locale=en&limit=100")
        self.assertNotIn("خبر في الواجهة", english)
        self.get("/api/v2/pages/?locale=xx", status=404)

    def test_filter_by_section_id_slug_or_child_of(self):
        by_id = self.titles(f"/api/v2/pages/?type=news.ArticlePage&section={self.iraq.pk}&limit=100")
        by_slug = self.titles("/api/v2/pages/?type=news.ArticlePage&section=iraq&locale=en&limit=100")
        child_of = self.titles(f"/api/v2/pages/?child_of={self.iraq.pk}&limit=100")
        self.assertEqual(by_id, by_slug)
        self.assertEqual(sorted(by_id), sorted(child_of))
        self.assertEqual(sorted(by_id), sorted(["Iraq News story 1", "Iraq News story 2", "Last week's story"]))
        response = self.client.get("/api/v2/pages/?section=nowhere")
        self.assertEqual(response.status_code, 400)
        self.assertIn("section", response.json()["message"])

    def test_filter_by_publication_date(self):
        since = (timezone.now() - timedelta(days=1)).date().isoformat()
        recent = self.titles(f"/api/v2/pages/?type=news.ArticlePage&published_after={since}&limit=100")
        self.assertNotIn("Last week's story", recent)
        self.assertIn(self.story.title, recent)
        before = (timezone.now() - timedelta(days=2)).isoformat().replace("+00:00", "Z")
        older = self.titles(f"/api/v2/pages/?type=news.ArticlePage&published_before={before}")
        self.assertEqual(older, ["Last week's story"])
        response = self.client.get("/api/v2/pages/?published_after=yesterday")
        self.assertEqual(response.status_code, 400)
        self.assertIn("published_after", response.json()["message"])

    def test_filter_by_author_and_topic(self):
        omar = self.room.authors[1]
        self.assertEqual(len(self.titles(f"/api/v2/pages/?type=news.ArticlePage&author={omar.pk}&limit=100")), 4)
        self.assertEqual(self.titles("/api/v2/pages/?type=news.ArticlePage&topic=water"), [self.story.title])
        self.get("/api/v2/pages/?author=abc", status=400)

    def test_pagination_with_limit_and_offset(self):
        first = self.get("/api/v2/pages/?type=news.ArticlePage&limit=2")
        second = self.get("/api/v2/pages/?type=news.ArticlePage&limit=2&offset=2")
        self.assertEqual(first["meta"]["total_count"], 6)
        self.assertEqual(len(first["items"]), 2)
        self.assertFalse({i["id"] for i in first["items"]} & {i["id"] for i in second["items"]})
        self.get("/api/v2/pages/?limit=1000", status=400)
        self.get("/api/v2/pages/?offset=-1", status=400)

    def test_it_is_read_only(self):
        for method in (self.client.post, self.client.put, self.client.delete):
            self.assertEqual(method("/api/v2/pages/").status_code, 405)

    def test_unknown_parameter_is_a_400(self):
        self.get("/api/v2/pages/?embargo_until=2020-01-01", status=400)

    def test_a_page_of_articles_costs_a_fixed_number_of_queries(self):
        url = "/api/v2/pages/?type=news.ArticlePage&fields=*&limit=50"

        def count():
            clear_caches()
            self.client.get(url)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(queries)

        before = count()
        for n in range(3):
            article = testing.article(self.iraq, f"Extra {n}", authors=self.room.authors, lead_image=testing.image())
            article.topics.add("Oil")
            testing.publish(article)
        clear_caches()
        self.client.get(url)
        with self.assertNumQueries(before):
            self.client.get(url)
