"""A live byline never points at a 404: publishing a story publishes the author pages it needs,
and a byline to an author page that is not live shows the name without a link."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import caches
from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState

from khabar import testing
from khabar.news.models import AuthorIndexPage, AuthorPage
from khabar.newsroom import roles
from khabar.newsroom.testing import draft, person
from khabar.newsroom.tests.test_article_form import form_data


def clear_caches() -> None:
    for alias in settings.CACHES:
        caches[alias].clear()


def draft_author(name: str, owner) -> AuthorPage:
    """A new guest contributor's page, never published."""
    testing.author("Layla Hassan")  # makes sure the authors index exists
    index = AuthorIndexPage.objects.child_of(testing.home("en")).get()
    page = AuthorPage(title=name, kind=AuthorPage.CONTRIBUTOR, locale=index.locale, live=False, owner=owner)
    index.add_child(instance=page)
    page.save_revision(user=owner)
    page.refresh_from_db()
    return page


class PublishingPublishesTheBylinedAuthorsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.reporter = person(roles.REPORTER)
        cls.editor = person(roles.EDITOR)

    def setUp(self):
        clear_caches()
        self.guest = draft_author("Sara Jabbar", self.reporter)
        self.story = draft(self.section, "A letter from Mosul", self.reporter, authors=[self.guest])

    def test_approving_the_story_publishes_the_guest_authors_page_waiting_in_its_own_review(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.guest.get_workflow().start(self.guest, self.reporter)
            state = self.story.get_workflow().start(self.story, self.reporter)
        self.assertEqual(self.client.get(self.guest.url).status_code, 404)
        self.client.force_login(self.editor)
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=(self.story.pk, "approve", state.current_task_state.pk)
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.client.post(url, {"comment": ""}).status_code, 302)
        self.guest.refresh_from_db()
        self.assertTrue(self.guest.live)
        # Its own review is over (Wagtail cancels a workflow when the page is published).
        self.assertFalse(
            WorkflowState.objects.filter(object_id=str(self.guest.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()
        )
        self.assertEqual(PageLogEntry.objects.filter(page=self.guest, action="wagtail.publish").get().user, self.editor)
        clear_caches()
        self.assertEqual(self.client.get(self.guest.url).status_code, 200)
        story = self.client.get(self.story.url)
        self.assertContains(story, f'<a href="{self.guest.url}"><bdi>Sara Jabbar</bdi></a>', html=False)

    def test_an_editor_publishing_directly_publishes_the_draft_author_page(self):
        self.client.force_login(self.editor)
        url = reverse("wagtailadmin_pages:edit", args=(self.story.pk,))
        data = form_data(self.story, **{"action-publish": "1"})
        data["bylines-0-author"] = self.guest.pk
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.client.post(url, data).status_code, 302)
        self.story.refresh_from_db()
        self.assertTrue(self.story.live)
        self.guest.refresh_from_db()
        self.assertTrue(self.guest.live)

    def test_an_author_page_unpublished_on_purpose_stays_unpublished(self):
        testing.publish(self.guest)
        self.guest.unpublish()
        testing.publish(self.story)
        self.guest.refresh_from_db()
        self.assertFalse(self.guest.live)


class BylineToAPageReadersCannotOpenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.staff = testing.author("Layla Hassan")
        cls.gone = testing.author("Sara Jabbar", kind=AuthorPage.CONTRIBUTOR)
        cls.gone_url = cls.gone.url
        cls.story = testing.article(cls.section, "A letter from Mosul", authors=[cls.staff, cls.gone])
        cls.gone.unpublish()

    def setUp(self):
        clear_caches()

    def test_the_article_shows_the_name_unlinked(self):
        response = self.client.get(self.story.url)
        html = response.content.decode()
        self.assertNotIn(f'href="{self.gone_url}"', html)
        byline = BeautifulSoup(html, "html.parser").select_one(".story__meta .byline")
        self.assertIn("Sara Jabbar", byline.get_text())
        self.assertEqual([a.get_text() for a in byline.find_all("a")], ["Layla Hassan"])

    def test_the_section_listing_card_shows_the_name_unlinked(self):
        html = self.client.get(self.section.url).content.decode()
        self.assertIn("Sara Jabbar", html)
        self.assertNotIn(f'href="{self.gone_url}"', html)

    def test_json_ld_and_open_graph_leave_out_the_url_of_an_author_page_that_is_not_live(self):
        head = BeautifulSoup(self.client.get(self.story.url).content, "html.parser").head
        data = json.loads(head.find("script", type="application/ld+json").string)
        authors = {person["name"]: person for person in data["author"]}
        self.assertNotIn("url", authors["Sara Jabbar"])
        self.assertTrue(authors["Layla Hassan"]["url"].endswith(self.staff.url))
        og_authors = [m["content"] for m in head.find_all("meta", property="article:author")]
        self.assertEqual(len(og_authors), 1)
        self.assertTrue(og_authors[0].endswith(self.staff.url))

    def test_the_atom_feed_and_the_api_give_no_address_for_an_author_page_that_is_not_live(self):
        import feedparser

        entry = feedparser.parse(self.client.get("/en/feed/atom/").content).entries[0]
        authors = {author["name"]: author.get("href") for author in entry.authors}
        self.assertIsNone(authors["Sara Jabbar"])
        self.assertTrue(authors["Layla Hassan"].endswith(self.staff.url))
        data = self.client.get(f"/api/v2/pages/{self.story.pk}/").json()
        urls = {b["name"]: b["html_url"] for b in data["bylines"]}
        self.assertIsNone(urls["Sara Jabbar"])
        self.assertTrue(urls["Layla Hassan"].endswith(self.staff.url))


class GuestContributorFromTheBylineTests(TestCase):
    """A reporter adds a guest contributor by typing a name beside the bylines (no trip to Pages →
    Our writers → Add child page); publishing the story publishes the new author page."""

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.staff_writer = testing.author("Layla Hassan")
        cls.reporter = person(roles.REPORTER)
        cls.editor = person(roles.EDITOR)

    def setUp(self):
        clear_caches()

    def write(self, HTTP_ACCEPT="text/html", **changes):
        from wagtail.test.utils.form_data import inline_formset

        self.client.force_login(self.reporter)
        template = testing.article(self.section, "Template", authors=[self.staff_writer], live=False)
        fields = {"title": "A letter from Mosul", "slug": "a-letter-from-mosul", **changes}
        data = form_data(template, bylines=inline_formset([{"author": "", "role": ""}]), **fields)
        url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", self.section.pk))
        return self.client.post(url, data, HTTP_ACCEPT=HTTP_ACCEPT)

    def test_typing_a_name_adds_a_byline_and_a_draft_contributor_page_in_this_edition(self):
        response = self.write(new_contributor="  Sara   Jabbar ")
        if response.status_code != 302:
            form = response.context["form"]
            self.fail(
                f"{form.errors} {[fs.errors for fs in form.formsets.values()]} {[fs.non_form_errors() for fs in form.formsets.values()]}"
            )
        from khabar.news.models import ArticlePage

        story = ArticlePage.objects.get(title="A letter from Mosul")
        guest = AuthorPage.objects.get(title="Sara Jabbar")
        self.assertEqual(guest.kind, AuthorPage.CONTRIBUTOR)
        self.assertFalse(guest.live)
        self.assertEqual(guest.get_parent().specific_class, AuthorIndexPage)
        self.assertEqual(guest.locale, story.locale)
        self.assertEqual([b.author_id for b in story.get_latest_revision_as_object().bylines.all()], [guest.pk])

        self.client.force_login(self.editor)
        data = form_data(story, **{"action-publish": "1"})
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(
                self.client.post(reverse("wagtailadmin_pages:edit", args=(story.pk,)), data).status_code, 302
            )
        guest.refresh_from_db()
        self.assertTrue(guest.live)
        clear_caches()
        self.assertContains(self.client.get(story.url), f'<a href="{guest.url}"><bdi>Sara Jabbar</bdi></a>')
        self.assertEqual(self.client.get(guest.url).status_code, 200)

    def test_the_same_name_twice_reuses_the_contributor_page(self):
        self.write(new_contributor="Sara Jabbar")
        existing = AuthorPage.objects.get(title="Sara Jabbar")
        self.write(new_contributor="Sara Jabbar", title="A second letter", slug="a-second-letter")
        self.assertEqual(AuthorPage.objects.filter(title="Sara Jabbar").get(), existing)

    def test_an_autosave_while_the_name_is_typed_makes_no_author_page(self):
        response = self.write(new_contributor="Sara", HTTP_ACCEPT="application/json")
        self.assertFalse(AuthorPage.objects.filter(title="Sara").exists())
        self.assertNotEqual(response.status_code, 500)
        self.write(new_contributor="Sara Jabbar", title="A second letter", slug="a-second-letter")
        self.assertTrue(AuthorPage.objects.filter(title="Sara Jabbar").exists())

    def test_a_name_with_nothing_visible_is_refused_and_control_characters_are_dropped(self):
        response = self.write(new_contributor="\u200b\u200f ")
        self.assertContains(response, "Type the contributor&#x27;s name in letters a reader can see.")
        self.assertFalse(AuthorPage.objects.filter(kind=AuthorPage.CONTRIBUTOR).exists())
        self.write(new_contributor="Sara\x07 Jabbar\x1b")
        self.assertTrue(AuthorPage.objects.filter(title="Sara Jabbar").exists())

    def test_the_byline_says_what_to_choose(self):
        self.client.force_login(self.reporter)
        page = self.client.get(reverse("wagtailadmin_pages:add", args=("news", "articlepage", self.section.pk)))
        self.assertContains(page, "Choose an author")
        self.assertContains(page, "New guest contributor")
        self.assertNotContains(page, "Choose a page (Author)")

    def test_without_a_byline_or_a_new_contributor_the_story_is_not_saved(self):
        response = self.write()
        self.assertEqual(response.status_code, 200)
        from khabar.news.models import ArticlePage

        self.assertFalse(ArticlePage.objects.filter(title="A letter from Mosul").exists())
