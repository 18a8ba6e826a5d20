"""The language switcher: right after every publish and unpublish, and no query per render."""

from bs4 import BeautifulSoup
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from khabar import testing


def switcher_links(response) -> dict:
    nav = BeautifulSoup(response.content, "html.parser").select_one("nav.language-switcher")
    return {link["hreflang"]: link["href"] for link in nav.find_all("a")}


class LanguageSwitcherTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Water budget passes")
        ar = testing.arabic_locale()
        section_ar = cls.section.copy_for_translation(ar)
        testing.publish(section_ar)
        cls.story_ar = cls.story.copy_for_translation(ar)
        cls.story_ar.title = "البرلمان يقر الميزانية"

    def test_the_switcher_follows_publishing_and_unpublishing_the_translation(self):
        self.assertEqual(switcher_links(self.client.get(self.story.url)), {"ar": "/ar/"})
        with self.captureOnCommitCallbacks(execute=True):
            testing.publish(self.story_ar)
        self.story_ar.refresh_from_db()
        self.assertEqual(switcher_links(self.client.get(self.story.url)), {"ar": self.story_ar.url})
        with self.captureOnCommitCallbacks(execute=True):
            self.story_ar.unpublish()
        self.assertEqual(switcher_links(self.client.get(self.story.url)), {"ar": "/ar/"})

    def test_a_second_render_does_not_ask_for_the_translations_again(self):
        self.client.get(self.story.url)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.story.url)
        asked = [q["sql"] for q in queries.captured_queries if "translation_key" in q["sql"].split("WHERE", 1)[-1]]
        self.assertEqual(asked, [])
