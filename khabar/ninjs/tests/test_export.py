"""Published articles as ninjs 2.2: valid against IPTC's schema, by command and by API, and they import back
as the same article."""

from __future__ import annotations

import io
import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from khabar import testing
from khabar.news.models import ArticlePage
from khabar.ninjs.exporter import to_ninjs
from khabar.ninjs.importer import body_snapshot, snapshot
from khabar.ninjs.tests.helpers import PictureServer, run_import, write
from khabar.ninjs.uris import article_uri

SCHEMAS = Path(__file__).resolve().parent / "schemas"  # verbatim IPTC files, see SOURCES.md there


def official_validator() -> Draft202012Validator:
    schema = json.loads((SCHEMAS / "ninjs-schema_2.2.json").read_text())
    geojson = json.loads((SCHEMAS / "GeoJSON.json").read_text())
    registry = Registry().with_resource("https://geojson.org/schema/GeoJSON.json", Resource.from_contents(geojson))
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def rich_article(section, authors, **fields) -> ArticlePage:
    figure = testing.image("Desalination plant", credit="Photo courtesy of the Basra Water Office", caption="The plant")
    body = [
        {
            "type": "paragraph",
            "value": '<p>The plant opened on <b>Friday</b> with <a href="https://example.org/x">a report</a>.</p><ul><li>One</li><li>Two</li></ul>',
        },
        {"type": "subheading", "value": "What changes"},
        {"type": "image", "value": {"image": figure.pk, "caption": "Pipes at dawn", "credit": ""}},
        {"type": "pull_quote", "value": {"quote": "Water is life.", "speaker": "Ali Hussein", "role": "Governor"}},
        {"type": "fact_box", "value": {"title": "In numbers", "facts": ["200,000 homes", "3 years"]}},
        {"type": "paragraph", "value": "<p>Cleaner water &amp; more of it.</p>"},
    ]
    return testing.article(
        section, "Basra opens a water plant", authors=authors, body=body, dateline="Basra",
        lead_image=testing.image("Plant at dawn", credit="Photo via Reuters", caption="The plant at dawn"),
        published=datetime(2026, 11, 20, 8, tzinfo=UTC), **fields,
    )  # fmt: skip


class ExportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.iraq = testing.section("Iraq News", slug="iraq")
        cls.authors = [testing.author("Layla Hassan"), testing.author("Omar Khalil")]
        cls.article = rich_article(cls.iraq, cls.authors)
        cls.article.topics.add("Water", "Basra")
        cls.article.lead_credit = "Photo via Reuters/Essam al-Sudani"
        cls.article.updated_at = datetime(2026, 11, 21, 9, tzinfo=UTC)
        cls.article.save_revision().publish()
        cls.article.refresh_from_db()
        cls.draft = testing.article(cls.iraq, "Not yet", live=False)
        ArticlePage.objects.filter(pk=cls.draft.pk).update(live=False)  # the builder's page starts live
        cls.embargoed = testing.article(cls.iraq, "Later", embargo_until=timezone.now() + timedelta(days=1))
        cls.arabic = testing.article(testing.section("العراق", language="ar", slug="iraq"), "خبر عاجل")


class ExportedItems(ExportTestCase):
    def test_an_export_is_valid_ninjs_2_2(self):
        errors = [
            f"{list(e.absolute_path)}: {e.message}"
            for e in official_validator().iter_errors(to_ninjs(self.article, "https://news.example"))
        ]
        self.assertEqual(errors, [])

    def test_it_carries_the_articles_fields(self):
        item = to_ninjs(self.article, "https://news.example")
        self.assertEqual(item["uri"], f"tag:{settings.KHABAR_NINJS_TAG_AUTHORITY},2026:article:{self.article.pk}")
        self.assertEqual(item["type"], "text")
        self.assertEqual(item["language"], "en")
        self.assertEqual(item["headlines"], [{"role": "main", "value": "Basra opens a water plant"}])
        self.assertEqual(item["descriptions"][0]["value"], self.article.standfirst)
        self.assertEqual(item["firstcreated"], "2026-11-20T08:00:00Z")
        self.assertEqual(item["versioncreated"], "2026-11-21T09:00:00Z")
        self.assertEqual(item["by"], "Layla Hassan and Omar Khalil")
        self.assertEqual([p["name"] for p in item["people"]], ["Layla Hassan", "Omar Khalil"])
        self.assertEqual(item["located"], "Basra")
        self.assertIn({"name": "Iraq News", "rel": "section", "literal": "iraq"}, item["subjects"])
        self.assertEqual({s["name"] for s in item["subjects"] if s["rel"] == "topic"}, {"Water", "Basra"})
        picture = item["associations"][0]
        self.assertEqual(picture["type"], "picture")
        self.assertEqual(picture["copyrightnotice"], "Photo via Reuters/Essam al-Sudani")  # the article's own credit
        self.assertEqual(picture["descriptions"][0], {"role": "caption", "value": "The plant at dawn"})
        # The largest published rendition, never the uploaded original (which /media/ does not serve).
        self.assertTrue(picture["renditions"][0]["href"].startswith("https://news.example/media/images/"))
        html = item["bodies"][0]["value"]
        self.assertIn("<h2>What changes</h2>", html)
        self.assertIn(
            "<figcaption>Pipes at dawn <small>Photo courtesy of the Basra Water Office</small></figcaption>", html
        )
        self.assertIn(
            "<blockquote><p>Water is life.</p><footer><cite>Ali Hussein</cite>, Governor</footer></blockquote>", html
        )
        self.assertIn("<aside><h3>In numbers</h3><ul><li>200,000 homes</li><li>3 years</li></ul></aside>", html)
        self.assertNotIn("data-block-key", html)

    def test_an_imported_article_keeps_its_source_uri(self):
        self.article.source_uri = "urn:newsml:wire.example:1"
        self.assertEqual(to_ninjs(self.article, "https://x")["uri"], "urn:newsml:wire.example:1")


class ExportCommand(ExportTestCase):
    def export(self, *args) -> str:
        out = io.StringIO()
        call_command("export", "--format", "ninjs", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_json_lines_on_stdout_hold_only_published_articles(self):
        lines = [json.loads(line) for line in self.export().splitlines()]
        headlines = {line["headlines"][0]["value"] for line in lines}
        self.assertEqual(headlines, {"Basra opens a water plant", "خبر عاجل"})
        validator = official_validator()
        for line in lines:
            self.assertEqual(list(validator.iter_errors(line)), [])

    def test_language_limits_it_to_one_edition(self):
        lines = [json.loads(line) for line in self.export("--language", "ar").splitlines()]
        self.assertEqual([line["language"] for line in lines], ["ar"])

    def test_out_writes_one_file_per_article(self):
        with tempfile.TemporaryDirectory() as folder:
            out = self.export("--out", folder)
            names = sorted(p.name for p in Path(folder).glob("*.json"))
            self.assertEqual(len(names), 2)
            self.assertIn(f"{self.article.pk}-{self.article.slug}.json", names)
            self.assertIn("2 articles written to", out)

    def test_an_unknown_language_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "No fr edition"):
            self.export("--language", "fr")


class NinjsApi(ExportTestCase):
    def test_the_item_url_returns_the_ninjs_item(self):
        response = self.client.get(f"/api/ninjs/{self.article.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        item = response.json()
        self.assertEqual(item["uri"], article_uri(self.article))
        self.assertTrue(item["associations"][0]["renditions"][0]["href"].startswith("http://testserver/media/"))
        self.assertEqual(list(official_validator().iter_errors(item)), [])

    def test_drafts_embargoed_and_missing_articles_are_404(self):
        for pk in (self.draft.pk, self.embargoed.pk, 999999):
            with self.subTest(pk):
                response = self.client.get(f"/en/ninjs/{pk}/")
                self.assertEqual(response.status_code, 404)
                self.assertIn("No published article", response.json()["error"])
                # At the site root Django's LocaleMiddleware first tries /en/…; it still ends in a 404.
                self.assertEqual(self.client.get(f"/api/ninjs/{pk}/", follow=True).status_code, 404)

    def test_the_edition_item_url_serves_only_that_editions_articles(self):
        self.assertEqual(self.client.get(f"/en/ninjs/{self.article.pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"/ar/ninjs/{self.article.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/ar/ninjs/{self.arabic.pk}/").json()["language"], "ar")

    def test_the_listing_leads_to_each_published_item(self):
        items = self.client.get("/api/ninjs/").json()["items"]
        self.assertEqual({i["headline"] for i in items}, {"Basra opens a water plant", "خبر عاجل"})
        self.assertIn(f"http://testserver/api/ninjs/{self.article.pk}/", [i["href"] for i in items])

    def test_the_edition_listing_has_only_that_edition(self):
        response = self.client.get("/ar/ninjs/")
        self.assertEqual([i["language"] for i in response.json()["items"]], ["ar"])

    def test_bad_listing_parameters_are_4xx_with_a_reason(self):
        self.assertEqual(self.client.get("/api/ninjs/?language=xx").status_code, 400)
        self.assertEqual(self.client.get("/en/ninjs/?page=9").status_code, 404)
        self.assertEqual(
            self.client.get("/en/ninjs/?page=abc").json()["error"], "There is no such page of this listing."
        )

    def test_the_article_page_advertises_its_ninjs_item(self):
        response = self.client.get(self.article.url)
        self.assertContains(
            response,
            f'<link rel="alternate" type="application/json" title="IPTC ninjs" href="/api/ninjs/{self.article.pk}/">',
            html=False,
        )


class RoundTrip(ExportTestCase):
    """Export, then import as another newsroom would (a new uri): the same article comes back."""

    def test_export_then_import_gives_back_the_same_article(self):
        media = Path(settings.MEDIA_ROOT)
        with PictureServer(media.parent) as server:
            base = server.url + "/" + media.name  # the server's /<media dir>/ is MEDIA_URL's stand-in
            item = to_ninjs(self.article, "https://news.example")
            text = json.dumps(item).replace("https://news.example/media", base)
            item = json.loads(text)
            item["uri"] = "urn:partner:copy-1"
            with tempfile.TemporaryDirectory() as folder:
                out, _err, code = run_import(write(Path(folder), "a.json", item), "--publish")
        self.assertEqual(code, 0, out)
        copy = ArticlePage.objects.get(source_uri="urn:partner:copy-1")
        original = ArticlePage.objects.get(pk=self.article.pk)
        self.assertEqual(copy.title, original.title)
        self.assertEqual(copy.standfirst, original.standfirst)
        self.assertEqual(copy.dateline, original.dateline)
        self.assertEqual(copy.locale_id, original.locale_id)
        self.assertEqual(copy.get_parent().pk, original.get_parent().pk)
        self.assertEqual(copy.first_published_at, original.first_published_at)
        self.assertEqual(copy.updated_at, original.updated_at)
        self.assertEqual([b.author_id for b in copy.bylines.all()], [b.author_id for b in original.bylines.all()])
        self.assertEqual(sorted(t.name for t in copy.topics.all()), sorted(t.name for t in original.topics.all()))
        # The same picture file, alt text and credit: the very same NewsImage is reused.
        self.assertEqual(copy.lead_image_id, original.lead_image_id)
        self.assertEqual(copy.caption, original.caption)
        self.assertEqual(copy.credit, original.credit)
        self.assertEqual(blocks(copy), blocks(original))
        self.assertEqual(snapshot(copy), snapshot(original))

    def test_one_paragraph_per_block_articles_round_trip_too(self):
        body = [testing.paragraph("First."), testing.paragraph("Second."), {"type": "subheading", "value": "More"}]
        original = testing.article(self.iraq, "Short story", authors=self.authors[:1], body=body)
        item = to_ninjs(original, "https://news.example")
        item["uri"] = "urn:partner:copy-2"
        with tempfile.TemporaryDirectory() as folder:
            out, _err, code = run_import(write(Path(folder), "a.json", item))
        self.assertEqual(code, 0, out)
        copy = ArticlePage.objects.get(source_uri="urn:partner:copy-2").get_latest_revision_as_object()
        self.assertEqual(snapshot(copy), snapshot(original))

    def test_reimporting_its_own_export_finds_the_article_not_a_copy(self):
        media = Path(settings.MEDIA_ROOT)
        with PictureServer(media.parent) as server:
            text = json.dumps(to_ninjs(self.article, "https://news.example"))
            text = text.replace("https://news.example/media", server.url + "/" + media.name)
            with tempfile.TemporaryDirectory() as folder:
                out, _err, code = run_import(write(Path(folder), "a.json", text))
        self.assertEqual(code, 0, out)
        self.assertIn(f"skipped {folder}/a.json: unchanged since the last import (page {self.article.pk})", out)
        self.assertEqual(ArticlePage.objects.filter(title=self.article.title).count(), 1)


def blocks(page: ArticlePage) -> list:
    """The body as a reader sees it (see importer.body_snapshot)."""
    return body_snapshot(page)
