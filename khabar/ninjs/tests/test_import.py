"""`khabar import`: ninjs files become draft articles with their headline, body, bylines, topics and pictures."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.test import TestCase, override_settings

from khabar import testing
from khabar.core.models import NewsImage
from khabar.news.models import ArticlePage, AuthorPage, SectionPage
from khabar.ninjs.tests.helpers import item, picture_file, run_import, write


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.iraq = testing.section("Iraq News", slug="iraq")
        cls.layla = testing.author("Layla Hassan", role="Baghdad correspondent")

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)
        self.dir = Path(self._tmp.name)

    def imported(self, uri: str = "urn:newsml:wire.example:20261128:iraq-water-1") -> ArticlePage:
        return ArticlePage.objects.get(source_uri=uri)


class ImportingAStory(ImportTestCase):
    def test_it_creates_a_draft_article_with_the_items_fields(self):
        out, _err, code = run_import(write(self.dir, "a.json", item()))
        self.assertEqual(code, 0, out)
        page = self.imported()
        self.assertFalse(page.live)
        self.assertEqual(page.title, "Basra opens a new water plant")
        self.assertEqual(page.standfirst, "The plant will serve 200,000 homes.")
        self.assertEqual(page.dateline, "Basra")
        self.assertEqual(page.locale.language_code, "en")
        self.assertEqual(page.first_published_at, datetime(2026, 11, 27, 8, tzinfo=UTC))
        self.assertEqual(page.updated_at, datetime(2026, 11, 27, 9, 30, tzinfo=UTC))
        self.assertEqual(sorted(t.name for t in page.topics.all()), ["Infrastructure", "Water"])
        self.assertEqual([b.author.title for b in page.bylines.all()], ["Sara Ahmed"])
        self.assertEqual([c.block_type for c in page.body], ["paragraph", "subheading", "paragraph"])
        self.assertIn("<b>Friday</b>", page.body[0].value.source)
        self.assertEqual(page.body[1].value, "What changes")
        self.assertIn(f"created {self.dir / 'a.json'}: page {page.pk}, draft", out)

    def test_publish_makes_it_live(self):
        run_import(write(self.dir, "a.json", item()), "--publish")
        page = self.imported()
        self.assertTrue(page.live)
        self.assertIn(page, ArticlePage.objects.published())
        self.assertEqual(page.first_published_at, datetime(2026, 11, 27, 8, tzinfo=UTC))

    def test_an_arabic_item_goes_to_the_arabic_edition(self):
        doc = item(language="ar", headlines=[{"value": "افتتاح محطة مياه في البصرة"}], uri="urn:ar:1")
        run_import(write(self.dir, "ar.json", doc))
        page = self.imported("urn:ar:1")
        self.assertEqual(page.locale.language_code, "ar")
        self.assertEqual(page.get_parent().specific.locale.language_code, "ar")

    def test_a_regional_language_tag_finds_its_edition(self):
        run_import(write(self.dir, "a.json", item(language="en-GB")))
        self.assertEqual(self.imported().locale.language_code, "en")

    def test_an_unknown_language_is_skipped_with_the_reason(self):
        out, _err, code = run_import(write(self.dir, "fr.json", item(language="fr")))
        self.assertEqual(code, 0)
        self.assertIn("skipped", out)
        self.assertIn("language fr has no edition here (editions: ar, en)", out)
        self.assertFalse(ArticlePage.objects.filter(source_uri=item()["uri"]).exists())

    def test_a_picture_item_is_skipped_not_made_an_article(self):
        out, _err, _code = run_import(write(self.dir, "p.json", item(type="picture")))
        self.assertIn("a picture item, not a text story", out)

    def test_a_canceled_item_is_skipped(self):
        out, _err, _code = run_import(write(self.dir, "c.json", item(pubstatus="canceled")))
        self.assertIn("pubstatus is canceled", out)


class ChoosingTheSection(ImportTestCase):
    def test_a_subject_naming_a_section_places_it_there(self):
        run_import(write(self.dir, "a.json", item(subjects=[{"name": "Iraq News"}, {"name": "Water"}])))
        self.assertEqual(self.imported().get_parent().pk, self.iraq.pk)

    def test_a_section_subject_by_slug_places_it_and_is_not_a_topic(self):
        run_import(write(self.dir, "a.json", item(subjects=[{"name": "Iraq", "rel": "section", "literal": "iraq"}])))
        page = self.imported()
        self.assertEqual(page.get_parent().pk, self.iraq.pk)
        self.assertEqual(list(page.topics.all()), [])

    def test_a_genre_naming_a_section_places_it_there(self):
        run_import(write(self.dir, "a.json", item(subjects=None, genres=[{"name": "iraq"}])))
        self.assertEqual(self.imported().get_parent().pk, self.iraq.pk)

    def test_the_section_option_wins(self):
        business = testing.section("Business", slug="business")
        run_import(write(self.dir, "a.json", item(subjects=[{"name": "Iraq News"}])), "--section", "business")
        self.assertEqual(self.imported().get_parent().pk, business.pk)

    def test_an_unknown_section_option_stops_before_importing(self):
        _out, err, code = run_import(write(self.dir, "a.json", item()), "--section", "nope")
        self.assertEqual(code, 1)
        self.assertIn("No section with the slug nope", err)

    def test_without_a_match_it_goes_to_a_wire_section_made_on_demand(self):
        run_import(write(self.dir, "a.json", item()))
        run_import(write(self.dir, "b.json", item(uri="urn:two")))
        wire = SectionPage.objects.get(slug="wire", locale__language_code="en")
        self.assertEqual(wire.title, "Wire")
        self.assertEqual(self.imported().get_parent().pk, wire.pk)
        self.assertEqual(self.imported("urn:two").get_parent().pk, wire.pk)

    def test_the_arabic_wire_section_has_an_arabic_title(self):
        run_import(write(self.dir, "ar.json", item(language="ar", uri="urn:ar:wire")))
        self.assertEqual(SectionPage.objects.get(slug="wire", locale__language_code="ar").title, "وكالات")


class Bylines(ImportTestCase):
    def test_people_with_an_author_rel_are_the_byline_in_order(self):
        doc = item(
            by=None,
            people=[
                {"name": "Omar Khalil", "rel": "author"},
                {"name": "Mayor of Basra", "rel": "subject"},
                {"name": "layla hassan", "rel": "http://cv.example.org/rel/author"},
            ],
        )
        run_import(write(self.dir, "a.json", doc))
        names = [b.author.title for b in self.imported().bylines.all()]
        self.assertEqual(names, ["Omar Khalil", "Layla Hassan"])

    def test_an_existing_author_is_reused_and_a_new_one_is_a_contributor(self):
        run_import(write(self.dir, "a.json", item(by="By Layla Hassan and Omar Khalil")))
        authors = [b.author for b in self.imported().bylines.all()]
        self.assertEqual(authors[0].pk, self.layla.pk)
        self.assertEqual(authors[1].title, "Omar Khalil")
        self.assertEqual(authors[1].kind, AuthorPage.CONTRIBUTOR)
        self.assertEqual(AuthorPage.objects.filter(title="Layla Hassan").count(), 1)


class BodyHtml(ImportTestCase):
    def body(self, html: str, **changes) -> ArticlePage:
        doc = item(bodies=[{"contenttype": "text/html", "value": html}], **changes)
        out, _err, code = run_import(write(self.dir, "a.json", doc))
        self.assertEqual(code, 0, out)
        self.out = out
        return self.imported()

    def test_scripts_handlers_styles_and_javascript_links_are_stripped(self):
        page = self.body(
            '<p onclick="steal()" style="color:red">Hi <a href="javascript:alert(1)">x</a>'
            '<a href="https://example.org/">ok</a></p><script>alert("x")</script><style>p{}</style>'
            "<iframe src='https://evil.example'></iframe>"
        )
        stored = str(page.body.get_prep_value())
        for bad in ("script", "alert", "onclick", "style", "javascript", "iframe", "evil"):
            self.assertNotIn(bad, stored)
        self.assertIn('href="https://example.org/"', stored)
        self.assertIn("unsafe HTML removed", self.out)

    def test_broken_html_still_gives_the_text(self):
        page = self.body("<p>Unclosed <b>bold<p>Second <i>para</div></span>")
        text = " ".join(c.value.source for c in page.body if c.block_type == "paragraph")
        self.assertIn("Unclosed", text)
        self.assertIn("Second", text)

    def test_lists_stay_in_the_paragraph(self):
        page = self.body("<p>Facts:</p><ul><li>One</li><li>Two</li></ul><ol><li>First</li></ol>")
        self.assertEqual([c.block_type for c in page.body], ["paragraph"])
        self.assertIn("<ul>", page.body[0].value.source)
        self.assertIn("<ol>", page.body[0].value.source)

    def test_h2_to_h4_become_subheadings(self):
        page = self.body("<h2>Two</h2><h3>Three</h3><h4>Four</h4>")
        self.assertEqual(
            [(c.block_type, c.value) for c in page.body],
            [("subheading", "Two"), ("subheading", "Three"), ("subheading", "Four")],
        )

    def test_a_blockquote_with_a_cite_becomes_a_pull_quote(self):
        page = self.body(
            "<blockquote><p>Water is life.</p><footer><cite>Ali Hussein</cite>, Basra governor</footer></blockquote>"
        )
        quote = page.body[0]
        self.assertEqual(quote.block_type, "pull_quote")
        self.assertEqual(quote.value["quote"], "Water is life.")
        self.assertEqual(quote.value["speaker"], "Ali Hussein")
        self.assertEqual(quote.value["role"], "Basra governor")

    def test_an_unattributed_blockquote_stays_quoted_text(self):
        page = self.body("<blockquote>Nobody said this.</blockquote>")
        self.assertEqual(page.body[0].block_type, "paragraph")
        self.assertIn("“Nobody said this.”", page.body[0].value.source)

    def test_a_figure_becomes_an_image_block_with_caption_and_credit_from_small(self):
        picture_file(self.dir, "pics/plant.jpg")
        page = self.body(
            '<figure><img src="pics/plant.jpg" alt="Pipes at the plant">'
            "<figcaption>The new plant <small>Photo courtesy of the Basra Water Office</small></figcaption></figure>"
        )
        block = page.body[0]
        self.assertEqual(block.block_type, "image")
        image = block.value["image"]
        self.assertEqual(image.alt_text, "Pipes at the plant")
        self.assertEqual(image.caption, "The new plant")
        self.assertEqual(image.credit, "Photo courtesy of the Basra Water Office")

    def test_a_credit_in_trailing_brackets_is_split_from_the_caption(self):
        picture_file(self.dir, "plant.jpg")
        page = self.body(
            '<figure><img src="plant.jpg"><figcaption>Workers at the plant [Photo via Reuters]</figcaption></figure>'
        )
        image = page.body[0].value["image"]
        self.assertEqual((image.caption, image.credit), ("Workers at the plant", "Photo via Reuters"))
        self.assertEqual(image.alt_text, "Workers at the plant")  # never empty

    def test_a_figure_without_any_credit_fails_the_item(self):
        picture_file(self.dir, "plant.jpg")
        doc = item(bodies=[{"contenttype": "text/html", "value": '<figure><img src="plant.jpg"></figure>'}])
        out, _err, code = run_import(write(self.dir, "a.json", doc))
        self.assertEqual(code, 1)
        self.assertIn("picture plant.jpg has no credit", out)
        self.assertFalse(ArticlePage.objects.filter(source_uri=doc["uri"]).exists())

    def test_the_items_copyright_holder_credits_an_uncredited_figure(self):
        picture_file(self.dir, "plant.jpg")
        page = self.body('<figure><img src="plant.jpg" alt="Pipes"></figure>', copyrightholder="Wire Agency")
        self.assertEqual(page.body[0].value["image"].credit, "Wire Agency")

    def test_a_plain_text_body_becomes_paragraphs(self):
        doc = item(bodies=[{"contenttype": "text/plain", "value": "First <para>.\n\nSecond para."}])
        run_import(write(self.dir, "a.json", doc))
        source = self.imported().body[0].value.source
        self.assertIn("First &lt;para&gt;.", source)
        self.assertIn("Second para.", source)


class AssociatedPictures(ImportTestCase):
    def picture(self, href: str, **extra) -> dict:
        return {
            "name": "featureimage",
            "uri": "urn:pic:1",
            "type": "picture",
            "descriptions": [{"role": "caption", "value": "The plant at dawn"}],
            "copyrightnotice": "Photo via Wire Agency",
            "renditions": [{"name": "original", "href": href}],
            **extra,
        }

    def test_a_relative_path_becomes_the_lead_image_with_caption_and_credit(self):
        picture_file(self.dir, "plant.jpg")
        run_import(write(self.dir, "a.json", item(associations=[self.picture("plant.jpg")])))
        page = self.imported()
        self.assertEqual(page.lead_image.credit, "Photo via Wire Agency")
        self.assertEqual(page.caption, "The plant at dawn")
        self.assertEqual(page.lead_image.alt_text, "The plant at dawn")
        self.assertEqual((page.lead_image.width, page.lead_image.height), (320, 180))

    def test_a_file_uri_and_a_data_uri_are_read(self):
        import base64

        from khabar.news.images import picture_bytes

        path = picture_file(self.dir, "other/plant.jpg")
        data = "data:image/jpeg;base64," + base64.b64encode(picture_bytes(3, 240, 200)).decode()
        doc = item(associations=[self.picture(path.as_uri()), self.picture(data, name="second", uri="urn:pic:2")])
        out, _err, code = run_import(write(self.dir, "a.json", doc))
        self.assertEqual(code, 0, out)
        page = self.imported()
        self.assertEqual(page.lead_image.width, 320)
        self.assertEqual(page.body[-1].block_type, "image")  # the second picture follows the body
        self.assertEqual(page.body[-1].value["image"].width, 240)

    def test_alt_text_comes_from_an_alt_description_first(self):
        picture_file(self.dir, "plant.jpg")
        pic = self.picture("plant.jpg", descriptions=[{"role": "alt", "value": "Steel pipes in morning light"}])
        run_import(write(self.dir, "a.json", item(associations=[pic])))
        self.assertEqual(self.imported().lead_image.alt_text, "Steel pipes in morning light")

    def test_a_picture_without_any_text_still_gets_alt_text(self):
        picture_file(self.dir, "plant.jpg")
        pic = self.picture("plant.jpg", descriptions=None)
        del pic["descriptions"]
        run_import(write(self.dir, "a.json", item(associations=[pic])))
        self.assertEqual(self.imported().lead_image.alt_text, "Picture accompanying “Basra opens a new water plant”")

    def test_the_same_picture_is_stored_once(self):
        picture_file(self.dir, "plant.jpg")
        run_import(write(self.dir, "a.json", item(associations=[self.picture("plant.jpg")])))
        run_import(write(self.dir, "b.json", item(uri="urn:other", associations=[self.picture("plant.jpg")])))
        self.assertEqual(NewsImage.objects.filter(alt_text="The plant at dawn").count(), 1)

    def test_a_missing_picture_fails_the_item_and_names_it(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[self.picture("gone.jpg")])))
        self.assertEqual(code, 1)
        self.assertIn("failed", out)
        self.assertIn("picture gone.jpg cannot be read: no such file in the item's folder", out)
        self.assertFalse(ArticlePage.objects.filter(source_uri=item()["uri"]).exists())

    def test_a_path_outside_the_items_folder_is_refused(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[self.picture("../../etc/passwd")])))
        self.assertIn(
            "picture ../../etc/passwd cannot be read: no such file in the item's folder", out
        )  # as if missing

    def test_a_file_that_is_not_an_image_is_refused(self):
        write(self.dir, "fake.jpg", b"<html>not a picture</html>")
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[self.picture("fake.jpg")])))
        self.assertEqual(code, 1)
        self.assertIn("is not an image Khabar can read", out)

    @override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=10_000)
    def test_a_picture_with_too_many_pixels_is_refused(self):
        picture_file(self.dir, "wide.jpg")
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[self.picture("wide.jpg")])))
        self.assertEqual(code, 1)
        self.assertIn("picture wide.jpg is 320×180 pixels, over the 10000-pixel limit", out)

    @override_settings(KHABAR_NINJS_MAX_PICTURE_BYTES=2048)
    def test_a_picture_over_the_size_limit_is_refused(self):
        picture_file(self.dir, "big.jpg", size=(800, 600))
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[self.picture("big.jpg")])))
        self.assertEqual(code, 1)
        self.assertIn("over the 0.0 MB limit", out)
