"""An article's related stories and head are kept rendered between renders, and are never stale:
each is rendered again once anything it shows changes (khabar/core/fragments.py)."""

from django.test import RequestFactory, TestCase
from wagtail.models import Site

from khabar import testing
from khabar.news.models import ArticlePage


class PageFragmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(articles_per_section=1)
        cls.section = cls.room.sections["iraq"]
        cls.story = testing.article(cls.section, "Dams run low on the Tigris")
        cls.story.topics.add("Water")
        testing.publish(cls.story)

    def html(self, page=None) -> str:
        return self.client.get((page or self.story).url).content.decode()

    def head(self) -> str:
        return self.html().split("</head>")[0]

    def test_a_story_published_on_the_same_topic_joins_the_related_stories(self):
        self.assertNotIn("Farmers dig new wells", self.html())
        with self.captureOnCommitCallbacks(execute=True):
            other = testing.article(self.section, "Farmers dig new wells")
            other.topics.add("Water")
            testing.publish(other)
        self.assertIn("Farmers dig new wells", self.html())

    def test_an_unpublished_related_story_leaves_at_once(self):
        other = testing.article(self.section, "Farmers dig new wells")
        other.topics.add("Water")
        testing.publish(other)
        self.assertIn("Farmers dig new wells", self.html())
        with self.captureOnCommitCallbacks(execute=True):
            other.unpublish()
        self.assertNotIn("Farmers dig new wells", self.html())

    def test_a_published_translation_shows_in_the_head_at_once(self):
        ar = testing.arabic_locale()
        section_ar = self.section.copy_for_translation(ar)
        section_ar.slug = self.section.slug
        testing.publish(section_ar)
        self.assertNotIn('hreflang="ar"', self.head())
        with self.captureOnCommitCallbacks(execute=True):
            story_ar = self.story.copy_for_translation(ar)
            story_ar.title = "السدود تنخفض على دجلة"
            testing.publish(story_ar)
        self.assertIn('hreflang="ar"', self.head())

    def test_a_staff_preview_of_a_draft_is_never_kept_for_readers(self):
        draft = ArticlePage.objects.get(pk=self.story.pk)
        draft.title = "DRAFT headline not for readers"
        draft.save_revision()
        # The admin's preview request names the site's host: make it the readers' host, so that
        # a fragment the preview stored would be read back by readers.
        Site.objects.update(hostname="testserver", port=80)
        preview = draft.make_preview_request(RequestFactory().get(self.story.url))
        self.assertIn("DRAFT headline not for readers", preview.content.decode())
        html = self.html()
        self.assertNotIn("DRAFT headline not for readers", html)
        self.assertIn("Dams run low on the Tigris", html)

    def test_the_head_and_related_stories_are_read_from_the_cache_on_a_second_render(self):
        other = testing.article(self.section, "Farmers dig new wells")
        other.topics.add("Water")
        testing.publish(other)
        first = self.html()
        # The page, its bylines, topics and corrections: neither the head, the related stories nor
        # the language switcher's translations read anything.
        with self.assertNumQueries(4):
            second = self.client.get(self.story.url).content.decode()
        self.assertEqual(first, second)
