"""Which way a passage reads, by the bulk of its letters (not the first one, as dir="auto" does)."""

from django.test import SimpleTestCase

from khabar.lib.direction import differing_direction, text_direction


class TextDirectionTests(SimpleTestCase):
    def test_a_passage_reads_the_way_most_of_its_letters_do(self):
        table = [
            ("The grouting will stop the sound.", "ltr"),
            ("<p>The grouting will <b>stop</b> the sound.</p>", "ltr"),
            ("قال المهندس إن الحقن سيوقف الصوت.", "rtl"),
            ("BBC قالت إن الحقن سيوقف الصوت في السد.", "rtl"),  # opens with a Latin name
            ("وقال «UNESCO World Heritage Committee»", "ltr"),  # mostly a Latin quotation
            ("گوتی ئەندازیار کە دەنگەکە ڕادەگیرێت.", "rtl"),  # Sorani
            ("2026 — 45%", ""),  # digits and punctuation only
            ("", ""),
        ]
        for text, expected in table:
            with self.subTest(text):
                self.assertEqual(text_direction(text), expected)

    def test_only_a_direction_that_differs_from_the_page_is_marked(self):
        self.assertEqual(differing_direction("The grouting will stop.", page_is_rtl=True), "ltr")
        self.assertEqual(differing_direction("The grouting will stop.", page_is_rtl=False), "")
        self.assertEqual(differing_direction("قال المهندس", page_is_rtl=False), "rtl")
        self.assertEqual(differing_direction("قال المهندس", page_is_rtl=True), "")
        self.assertEqual(differing_direction("2026", page_is_rtl=True), "")


class BlockDirectionFilterTests(SimpleTestCase):
    def test_a_fact_box_of_english_facts_in_an_arabic_story_is_marked_by_its_words_not_its_repr(self):
        from django.utils import translation

        from khabar.core.blocks import FactBoxBlock
        from khabar.core.templatetags.khabar_tags import own_direction

        english = FactBoxBlock().to_python({"title": "Key facts", "facts": ["Built in 1986", "Holds 11 billion m³"]})
        arabic = FactBoxBlock().to_python({"title": "حقائق", "facts": ["بني عام ١٩٨٦", "يتسع لأحد عشر مليار متر مكعب"]})
        with translation.override("ar"):
            self.assertEqual(own_direction(english), ' dir="ltr"')
            self.assertEqual(own_direction(arabic), "")
        with translation.override("en"):
            self.assertEqual(own_direction(arabic), ' dir="rtl"')
