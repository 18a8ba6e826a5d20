"""The ninjs mapping is pure: it reads an item into Khabar's terms without touching the database."""

from django.test import SimpleTestCase

from khabar.ninjs.mapping import ItemFailed, ItemSkipped, read_item

ITEM = {
    "uri": "urn:example:wire:1",
    "type": "text",
    "language": "ar-IQ",
    "headlines": [{"role": "main", "value": "البرلمان يقرّ موازنة المياه"}],
    "descriptions": [{"role": "summary", "value": "أقرّ النواب خطة الإنفاق."}],
    "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>جاء التصويت بعد منتصف الليل.</p>"}],
    "by": "Laila Hassan",
    "located": "Baghdad",
    "subjects": [{"name": "Water", "uri": "http://cv.iptc.org/newscodes/subjectcode/06000000"}],
    "firstcreated": "2026-03-15T09:30:00Z",
}


class NinjsMappingTests(SimpleTestCase):  # any query would fail the test
    def test_an_item_reads_into_an_article_of_its_edition(self):
        article = read_item(ITEM, {"en", "ar"})
        self.assertEqual(article.language, "ar")
        self.assertEqual(article.headline, "البرلمان يقرّ موازنة المياه")
        self.assertEqual(article.standfirst, "أقرّ النواب خطة الإنفاق.")
        self.assertEqual(article.dateline, "Baghdad")
        self.assertEqual(article.authors, ["Laila Hassan"])
        self.assertEqual([block_type for block_type, _value in article.body.blocks], ["paragraph"])
        self.assertEqual(article.first_published.isoformat(), "2026-03-15T09:30:00+00:00")

    def test_an_item_in_a_language_with_no_edition_is_skipped_with_the_editions_named(self):
        with self.assertRaisesMessage(ItemSkipped, "editions: en"):
            read_item(ITEM, {"en"})

    def test_an_item_without_a_headline_fails_with_the_reason(self):
        with self.assertRaisesMessage(ItemFailed, "no headline"):
            read_item({**ITEM, "headlines": [{"role": "main", "value": "  "}]}, {"ar"})
