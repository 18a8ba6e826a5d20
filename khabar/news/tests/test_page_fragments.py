"""An article's story, related stories and head are kept rendered between renders, and the article
itself is remembered by its address; none is ever stale: each is rendered (or looked up) again once
anything it shows changes (khabar/core/fragments.py)."""

from django.test import RequestFactory, TestCase
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

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
        # The article itself, the story, the head, the related stories and the language switcher's
        # translations are all kept: a second render reads nothing from the database.
        with self.assertNumQueries(0):
            second = self.client.get(self.story.url).content.decode()
        self.assertEqual(first, second)

    def test_a_story_published_again_shows_its_new_headline_and_body_at_once(self):
        self.assertIn("Dams run low on the Tigris", self.html())
        story = ArticlePage.objects.get(pk=self.story.pk)
        story.title = "Dams on the Tigris reach a record low"
        story.body = [testing.paragraph("The ministry measured the reservoirs on Monday.")]
        with self.captureOnCommitCallbacks(execute=True):
            testing.publish(story)
        html = self.html()
        self.assertIn("Dams on the Tigris reach a record low", html)
        self.assertIn("The ministry measured the reservoirs on Monday.", html)
        self.assertNotIn("The vote came after midnight.", html)

    def test_an_author_renamed_on_their_page_is_renamed_in_the_byline_at_once(self):
        writer = testing.author("Layla Hassan")
        story = testing.article(self.section, "Wells run dry in Anbar", authors=[writer])
        self.assertIn("Layla Hassan", self.html(story))
        writer.title = "Layla H. Hassan"
        with self.captureOnCommitCallbacks(execute=True):
            testing.publish(writer)
        self.assertIn("Layla H. Hassan", self.html(story))

    def test_a_lead_picture_given_new_alt_text_shows_it_at_once(self):
        picture = testing.image("Reservoir at noon")
        story = testing.article(self.section, "Reservoirs at noon", lead_image=picture)
        self.assertIn("Reservoir at noon", self.html(story))
        picture.alt_text = "The half-empty Mosul reservoir from the dam wall"
        with self.captureOnCommitCallbacks(execute=True):
            picture.save()
        self.assertIn("The half-empty Mosul reservoir from the dam wall", self.html(story))

    def test_an_unpublished_story_is_gone_at_once(self):
        self.assertEqual(self.client.get(self.story.url).status_code, 200)
        url = self.story.url
        with self.captureOnCommitCallbacks(execute=True):
            ArticlePage.objects.get(pk=self.story.pk).unpublish()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_deleted_story_is_gone_at_once(self):
        self.assertEqual(self.client.get(self.story.url).status_code, 200)
        url = self.story.url
        with self.captureOnCommitCallbacks(execute=True):
            ArticlePage.objects.get(pk=self.story.pk).delete()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_story_placed_under_embargo_is_gone_at_once(self):
        self.assertEqual(self.client.get(self.story.url).status_code, 200)
        story = ArticlePage.objects.get(pk=self.story.pk)
        story.embargo_until = timezone.now() + timezone.timedelta(hours=2)
        with self.captureOnCommitCallbacks(execute=True):
            testing.publish(story)
        self.assertEqual(self.client.get(self.story.url).status_code, 404)

    def test_a_story_restricted_to_signed_in_readers_asks_anonymous_readers_to_sign_in(self):
        self.assertEqual(self.client.get(self.story.url).status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            PageViewRestriction.objects.create(page=self.story, restriction_type=PageViewRestriction.LOGIN)
        response = self.client.get(self.story.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("Dams run low on the Tigris", response.content.decode())
