"""The signup form on every page: rendered once per edition and section list, never stale."""

from unittest import mock

from django.test import TestCase

from khabar import testing
from khabar.newsletters.templatetags import newsletters_tags


class SignupFormRenderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Water budget passes")

    def setUp(self):
        newsletters_tags._rendered.clear()

    def test_the_form_is_rendered_once_for_many_pages_of_an_edition(self):
        real = newsletters_tags.render_to_string
        with mock.patch.object(newsletters_tags, "render_to_string", side_effect=real) as rendered:
            for _ in range(3):
                self.assertContains(self.client.get(self.story.url), 'class="newsletter-signup"')
            self.assertContains(self.client.get("/en/"), 'class="newsletter-signup"')
        self.assertEqual(rendered.call_count, 1)

    def test_a_new_section_shows_in_the_form_on_the_next_render(self):
        self.assertNotContains(self.client.get(self.story.url), "Business")
        with self.captureOnCommitCallbacks(execute=True):
            testing.section("Business", slug="business")
        self.assertContains(self.client.get(self.story.url), "Business</label>")

    def test_each_edition_has_its_own_form(self):
        self.assertContains(self.client.get(self.story.url), "Get the news by email")
        testing.arabic_locale()
        self.assertNotContains(self.client.get("/ar/"), "Get the news by email")
