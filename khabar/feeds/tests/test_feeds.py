from datetime import timedelta

import feedparser
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar import testing
from khabar.feeds.syndication import guid
from khabar.news.models import ArticlePage, Correction, StandardPage


def clear_caches() -> None:
    """Every configured cache: Wagtail keeps renditions and site root paths there, shared on disk."""
    for alias in settings.CACHES:
        caches[alias].clear()


def parse(response):
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(articles_per_section=2)
        cls.iraq = cls.room.sections["iraq"]
        cls.layla, cls.omar = cls.room.authors
        cls.story = cls.room.articles[0]
        cls.story.topics.add("Water")
        Correction.objects.create(
            page=cls.story, kind=Correction.CORRECTION, noted_at=timezone.now(), text="The vote was 140 to 90."
        )
        cls.story.body = [
            testing.paragraph('Hello <a href="/en/iraq/">desk</a>'),
            {"type": "subheading", "value": "Reaction <script>alert(1)</script>"},
            {
                "type": "image",
                "value": {"image": testing.image().pk, "caption": "Basra port", "credit": "Photo via AP"},
            },
        ]
        testing.publish(cls.story)
        cls.embargoed = testing.article(
            cls.iraq, "Embargoed budget leak", authors=[cls.layla], embargo_until=timezone.now() + timedelta(days=1)
        )
        cls.draft = testing.article(cls.iraq, "Unpublished draft story", authors=[cls.layla], live=False)
        # testing.article(live=False) leaves Wagtail's default live=True on the new page: make it a real draft.
        ArticlePage.objects.filter(pk=cls.draft.pk).update(live=False)
        cls.arabic_section = testing.section("العراق", language="ar", slug="iraq-ar")
        cls.arabic = testing.article(cls.arabic_section, "خبر عاجل", authors=[testing.author("ليلى", language="ar")])

    def setUp(self):
        # Wagtail caches renditions and site root paths in the shared on-disk cache: start clean.
        clear_caches()

    def test_edition_rss_parses_and_lists_the_editions_articles_newest_first(self):
        feed = parse(self.client.get("/en/feed/"))
        self.assertEqual(feed.version, "rss20")
        self.assertEqual(feed.feed.language, "en")
        titles = [entry.title for entry in feed.entries]
        self.assertEqual(titles[0], self.story.title)
        self.assertEqual(len(titles), 4)
        self.assertNotIn("خبر عاجل", titles)

    def test_arabic_edition_feed_carries_only_arabic_articles_and_language(self):
        feed = parse(self.client.get("/ar/feed/"))
        self.assertEqual(feed.feed.language, "ar")
        self.assertEqual([e.title for e in feed.entries], ["خبر عاجل"])

    def test_embargoed_and_unpublished_articles_are_absent_from_every_feed(self):
        for url in [
            "/en/feed/",
            "/en/feed/atom/",
            "/en/iraq/feed/",
            "/en/topics/water/feed/",
            self.layla.url + "feed/",
        ]:
            body = self.client.get(url).content.decode()
            self.assertNotIn("Embargoed budget leak", body, url)
            self.assertNotIn("Unpublished draft story", body, url)

    def test_guid_is_a_tag_uri_that_is_not_a_permalink_and_survives_a_move(self):
        response = self.client.get("/en/iraq/feed/")
        self.assertContains(response, f'<guid isPermaLink="false">{guid(self.story)}</guid>')
        entry = parse(response).entries[0]
        self.assertTrue(entry.id.startswith("tag:"))
        story = ArticlePage.objects.get(pk=self.story.pk)
        story.slug = "renamed"
        story.title = "Renamed story"
        testing.publish(story)
        story.move(self.room.sections["business"], pos="last-child")
        entry = next(e for e in parse(self.client.get("/en/feed/")).entries if e.title == "Renamed story")
        self.assertEqual(entry.id, guid(self.story))
        self.assertIn("/en/business/renamed/", entry.link)

    def test_pubdate_is_first_publication_and_updated_follows_the_correction(self):
        entry = parse(self.client.get("/en/iraq/feed/")).entries[0]
        published = self.story.first_published_at.replace(microsecond=0)
        self.assertEqual(entry.published_parsed[:6], published.utctimetuple()[:6])
        correction = self.story.corrections.get()
        self.assertEqual(entry.updated_parsed[:6], correction.noted_at.utctimetuple()[:6])

    def test_corrections_appear_in_the_item_description(self):
        entry = parse(self.client.get("/en/feed/")).entries[0]
        self.assertIn("Correction:", entry.summary)
        self.assertIn("The vote was 140 to 90.", entry.summary)

    def test_lead_image_is_enclosure_and_media_content_with_length_and_type(self):
        entry = parse(self.client.get("/en/feed/")).entries[0]
        enclosure = entry.enclosures[0]
        self.assertEqual(enclosure.type, "image/jpeg")
        self.assertGreater(int(enclosure.length), 100)
        self.assertTrue(enclosure.href.startswith("http://testserver/"))
        media = entry.media_content[0]
        self.assertEqual(media["url"], enclosure.href)
        self.assertAlmostEqual(int(media["width"]) / int(media["height"]), 16 / 9, places=2)
        self.assertLessEqual(int(media["width"]), 1200)
        self.assertEqual(media["filesize"], enclosure.length)
        self.assertEqual(entry.media_credit[0]["content"], self.story.lead_image.credit)

    def test_several_bylines_are_several_creators(self):
        response = self.client.get("/en/feed/")
        self.assertContains(response, "<dc:creator>Layla Hassan</dc:creator>")
        self.assertContains(response, "<dc:creator>Omar Khalil</dc:creator>")
        atom = parse(self.client.get("/en/feed/atom/"))
        self.assertEqual([a.name for a in atom.entries[0].authors], ["Layla Hassan", "Omar Khalil"])
        self.assertTrue(atom.entries[0].authors[0].href.endswith(self.layla.url))

    def test_summary_by_default_and_sanitised_full_text_on_request(self):
        response = self.client.get("/en/feed/")
        self.assertNotContains(response, "content:encoded")
        self.assertNotContains(response, "The vote came after midnight")
        response = self.client.get("/en/feed/?full=1")
        full = parse(response).entries[0]
        html = full.content[0].value
        self.assertIn('<a href="http://testserver/en/iraq/"', html)
        self.assertNotIn("<script", html)
        self.assertIn("Reaction", html)
        self.assertIn('src="http://testserver/media/images/', html)
        self.assertIn("[Photo via AP]", html)
        self.assertIn("The vote was 140 to 90.", html)
        atom = parse(self.client.get("/en/feed/atom/?full=1")).entries[0]
        self.assertIn("Basra port", atom.content[0].value)

    def test_bad_full_value_is_a_400_with_a_reason(self):
        response = self.client.get("/en/feed/?full=maybe")
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"full", response.content)

    def test_atom_feed_parses_with_published_updated_and_enclosure(self):
        feed = parse(self.client.get("/en/feed/atom/"))
        self.assertEqual(feed.version, "atom10")
        entry = feed.entries[0]
        self.assertTrue(entry.published)
        self.assertTrue(entry.updated)
        self.assertEqual([link.rel for link in entry.links if link.rel == "enclosure"], ["enclosure"])
        self.assertEqual(feed.feed.language, "en")

    def test_section_author_and_topic_feeds_list_their_own_articles(self):
        section = parse(self.client.get("/en/iraq/feed/"))
        self.assertTrue(all(e.title.startswith("Iraq News") for e in section.entries))
        self.assertEqual(len(section.entries), 2)
        business = parse(self.client.get("/en/business/feed/atom/"))
        self.assertTrue(all(e.title.startswith("Business") for e in business.entries))
        author = parse(self.client.get(self.omar.url + "feed/"))
        self.assertEqual(len(author.entries), 4)
        topic = parse(self.client.get("/en/topics/water/feed/"))
        self.assertEqual([e.title for e in topic.entries], [self.story.title])
        self.assertEqual(self.client.get("/ar/iraq-ar/feed/").status_code, 200)

    def test_item_categories_name_section_and_topics(self):
        entry = parse(self.client.get("/en/feed/")).entries[0]
        self.assertEqual([t.term for t in entry.tags], ["Iraq News", "Water"])

    def test_a_plain_page_called_feed_is_still_served(self):
        about = testing.plain_page("About us", slug="about")
        child = StandardPage(title="Our feed policy", slug="feed", locale=about.locale)
        about.add_child(instance=child)
        testing.publish(child)
        response = self.client.get("/en/about/feed/")
        self.assertContains(response, "Our feed policy")
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    def test_feed_of_a_page_without_one_is_a_404_and_unknown_topic_is_a_404(self):
        self.assertEqual(self.client.get(self.story.url + "feed/").status_code, 404)
        self.assertEqual(self.client.get("/en/no-such-section/feed/").status_code, 404)
        self.assertEqual(self.client.get("/en/topics/nothing/feed/").status_code, 404)

    def _queries_for(self, url):
        clear_caches()
        self.client.get(url)  # renditions are made, and caches filled, on first use
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_feed_costs_the_same_number_of_queries_whatever_its_length(self):
        for url in ["/en/feed/?full=1", "/en/feed/atom/"]:
            before = self._queries_for(url)
            self.assertLessEqual(before, 13)
            for n in range(3):
                testing.article(
                    self.iraq, f"More {n} {url}", authors=[self.layla, self.omar], lead_image=testing.image()
                )
            clear_caches()
            self.client.get(url)
            with self.assertNumQueries(before):
                self.client.get(url)

    @override_settings(KHABAR_FEED_SIZE=2)
    def test_feed_size_is_bounded_by_the_setting(self):
        self.assertEqual(len(parse(self.client.get("/en/feed/")).entries), 2)


class FeedDiscoveryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(articles_per_section=1)
        cls.room.articles[0].topics.add("Oil")
        testing.publish(cls.room.articles[0])

    def test_listing_pages_advertise_their_feeds(self):
        cases = {
            "/en/": "/en/feed/",
            "/en/iraq/": "/en/iraq/feed/",
            self.room.authors[0].url: self.room.authors[0].url + "feed/",
            "/en/topics/oil/": "/en/topics/oil/feed/",
        }
        for page, feed in cases.items():
            response = self.client.get(page)
            self.assertContains(response, '<link rel="alternate" type="application/rss+xml" title="', msg_prefix=page)
            self.assertContains(response, f'href="{feed}"', msg_prefix=page)
            atom = feed + "atom/" if feed != "/en/feed/" else "/en/feed/atom/"
            self.assertContains(response, 'type="application/atom+xml"', msg_prefix=page)
            self.assertContains(response, f'href="{atom}"', msg_prefix=page)
            self.assertEqual(self.client.get(feed).status_code, 200, feed)
