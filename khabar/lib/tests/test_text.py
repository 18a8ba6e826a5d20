from django.test import SimpleTestCase

from khabar.lib.text import has_visible_characters, without_bidi_controls


class InvisibleTextTests(SimpleTestCase):
    def test_it_finds_no_visible_character_in_zero_width_and_bidi_only_text(self):
        for text in ["\u200b", "\u200b\u200c\u200d", " \u200e\u200f ", "\u2060\ufeff", "\u202e\u2066\u2069", ""]:
            with self.subTest(text=repr(text)):
                self.assertFalse(has_visible_characters(text))

    def test_real_names_in_any_script_are_visible(self):
        for text in ["Huda", "هدى", "\u200fهدى", "Zoë\u200d", "李"]:
            with self.subTest(text=text):
                self.assertTrue(has_visible_characters(text))

    def test_it_removes_overrides_embeddings_and_isolates_but_keeps_marks(self):
        self.assertEqual(without_bidi_controls("\u202eevil\u202c name\u2066x\u2069"), "evil namex")
        self.assertEqual(without_bidi_controls("\u200fهدى"), "\u200fهدى")
