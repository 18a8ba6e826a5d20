"""Highlighting marks matched words on the original text and escapes everything else."""

import re

from django.test import SimpleTestCase
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.lib.arabic import query_words
from khabar.search.highlight import highlight, snippet, wanted_terms

MARK_TAGS = re.compile(r"</?mark>")
pieces = list("البرلمانمُحَمَّد أحمد<>&\"' script ةىـ،.\u202e") + ["<script>", "</mark>", "<mark>", " mark "]
pieces += ["\u200c", "می", "خواهم", "کتاب", "ها", "گول", "\u065a", "هه", "ولێر"]
ZWNJ = "\u200c"
mixed_text = st.lists(st.sampled_from(pieces), max_size=40).map("".join)


class HighlightTests(SimpleTestCase):
    def wanted(self, q, language=None):
        return wanted_terms(query_words(q, language=language))

    def test_it_marks_every_form_of_the_word_and_keeps_the_original_spelling(self):
        html = highlight("قال مُحَمَّد إن البرلمان، والبرلمانيين", self.wanted("محمد برلمان"))
        self.assertEqual(html, "قال <mark>مُحَمَّد</mark> إن <mark>البرلمان</mark>، والبرلمانيين")

    def test_it_escapes_markup_around_and_inside_matches(self):
        html = highlight('<script>alert("x")</script> البرلمان', self.wanted("script برلمان"))
        self.assertEqual(
            html,
            "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; <mark>البرلمان</mark>",
        )

    def test_snippet_starts_near_the_first_match_on_a_word_boundary(self):
        text = " ".join(["كلمة"] * 200) + " البرلمان " + " ".join(["نص"] * 200)
        html = snippet(text, self.wanted("البرلمان"))
        self.assertTrue(html.startswith("… كلمة"))
        self.assertIn("<mark>البرلمان</mark>", html)
        self.assertTrue(html.endswith(" …"))
        self.assertLess(len(MARK_TAGS.sub("", html)), 300)

    def test_a_zwnj_word_is_marked_whole_whether_typed_joined_or_apart(self):
        text = f"من می{ZWNJ}خواهم بروم"
        expected = f"من <mark>می{ZWNJ}خواهم</mark> بروم"
        for query in ("میخواهم", f"می{ZWNJ}خواهم", "می خواهم"):
            self.assertEqual(highlight(text, self.wanted(query, "fa"), "fa"), expected, query)

    def test_only_the_matching_part_of_a_zwnj_word_is_marked(self):
        html = highlight(f"کتاب{ZWNJ}ها رسید", self.wanted("کتاب", "fa"), "fa")
        self.assertEqual(html, f"<mark>کتاب</mark>{ZWNJ}ها رسید")

    def test_a_kurdish_letter_typed_with_a_mark_marks_the_written_letter(self):
        self.assertEqual(highlight("گوڵ و گول", self.wanted("گول\u065a", "ckb"), "ckb"), "<mark>گوڵ</mark> و گول")
        html = highlight(f"شاری هه{ZWNJ}ولێر", self.wanted("هەولێر", "ckb"), "ckb")
        self.assertEqual(html, f"شاری <mark>هه{ZWNJ}ولێر</mark>")

    def test_snippet_starts_at_the_matching_part(self):
        text = " ".join(["کلمه"] * 200) + f" کتاب{ZWNJ}ها " + " ".join(["متن"] * 200)
        html = snippet(text, self.wanted("ها", "fa"), language="fa")
        self.assertIn(f"کتاب{ZWNJ}<mark>ها</mark>", html)

    def test_snippet_without_a_match_is_the_opening(self):
        self.assertEqual(snippet("نص قصير.", self.wanted("غائب")), "نص قصير.")

    @settings(max_examples=300, deadline=None)
    @given(mixed_text, mixed_text)
    def test_output_is_the_escaped_text_plus_mark_tags_only(self, text, query):
        html = highlight(text, self.wanted(query, "fa"), "fa")
        self.assertEqual(MARK_TAGS.sub("", html), escape(text))
        html = highlight(text, self.wanted(query))
        self.assertEqual(MARK_TAGS.sub("", html), escape(text))
        self.assertEqual(html.count("<mark>"), html.count("</mark>"))
        self.assertNotIn("<script", html)
        piece = snippet(text, self.wanted(query))
        self.assertNotIn("<script", piece)
        self.assertIn(MARK_TAGS.sub("", piece).strip("… "), escape(text))
