"""Arabic normalisation rules (khabar.lib.arabic), applied identically to the index and the query."""

import unicodedata
from unittest import TestCase

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.lib import arabic
from khabar.lib.arabic import index_terms, normalise, query_words, strip_marks


def matches(query: str, document: str, language: str | None = None) -> bool:
    """The engine's rule in miniature: every query word shares a term with some document word."""
    terms = set(index_terms(document, language=language))
    return all(terms.intersection(group) for group in query_words(query, language=language))


ZWNJ = "\u200c"


class CharacterRulesTests(TestCase):
    def test_it_removes_harakat_shadda_and_sukun(self):
        self.assertEqual(normalise("مُحَمَّد"), "محمد")
        self.assertEqual(normalise("كَتَبْتُ"), "كتبت")
        self.assertEqual(normalise("كتابٌ وكتاباً وكتابٍ"), "كتاب وكتابا وكتاب")

    def test_it_removes_superscript_alef_and_quranic_marks(self):
        self.assertEqual(normalise("هٰذا"), "هذا")
        self.assertEqual(normalise("الرَّحِيمِ ۝"), "الرحيم ")  # the end-of-ayah sign (a format character) goes too
        self.assertEqual(normalise("قلۖ"), "قل")

    def test_it_removes_tatweel(self):
        self.assertEqual(normalise("بغـــداد"), "بغداد")

    def test_it_unifies_alef_forms(self):
        for written in ("أحمد", "إحمد", "آحمد", "ٱحمد", "احمد"):
            self.assertEqual(normalise(written), "احمد", written)
        self.assertEqual(normalise("إسلام"), "اسلام")

    def test_alef_with_a_combining_hamza_becomes_plain_alef(self):
        self.assertEqual(normalise("ا\u0654حمد"), "احمد")

    def test_alef_maksura_becomes_yeh(self):
        self.assertEqual(normalise("مستشفى"), "مستشفي")
        self.assertEqual(normalise("على"), normalise("علي"))

    def test_ta_marbuta_becomes_heh_by_default(self):
        self.assertEqual(normalise("مدرسة"), "مدرسه")

    def test_ta_marbuta_is_kept_when_the_setting_is_off(self):
        self.assertEqual(normalise("مدرسة", ta_marbuta=False), "مدرسة")
        self.assertEqual(query_words("مدرسة", ta_marbuta=False), [("مدرسة",)])

    def test_persian_keyboard_letters_match_arabic_ones(self):
        self.assertEqual(normalise("کتاب"), "كتاب")
        self.assertEqual(normalise("علی"), "علي")

    def test_arabic_indic_digits_become_western(self):
        self.assertEqual(normalise("٢٠٢٤"), "2024")
        self.assertEqual(normalise("۱۴۰۳"), "1403")

    def test_presentation_forms_are_unfolded_by_nfkc(self):
        self.assertEqual(normalise("ﻻ"), "لا")
        self.assertEqual(normalise("ﺑﻐﺪاد"), "بغداد")

    def test_latin_is_lowercased_and_accents_folded(self):
        self.assertEqual(normalise("PARLIAMENT Café Erdoğan"), "parliament cafe erdogan")
        self.assertEqual(normalise("Ｆｕｌｌ"), "full")

    def test_invisible_format_characters_are_removed(self):
        self.assertEqual(normalise("بر\u200cلمان"), "برلمان")
        self.assertEqual(normalise("\u202eabc\u202c"), "abc")

    def test_strip_marks_only_removes_marks(self):
        self.assertEqual(strip_marks("أَحْمَدُ!"), "أحمد!")


class PrefixTests(TestCase):
    def test_bare_word_finds_word_with_article(self):
        self.assertTrue(matches("برلمان", "صوّت البرلمان على الموازنة"))

    def test_word_with_conjunction_and_article_finds_bare_word(self):
        self.assertTrue(matches("والبرلمان", "برلمان جديد"))

    def test_word_with_article_finds_bare_word(self):
        self.assertTrue(matches("البرلمان", "برلمان جديد"))

    def test_prepositions_with_article_are_stripped(self):
        for written in ("بالبرلمان", "كالبرلمان", "للبرلمان", "وللبرلمان", "فالبرلمان", "وبالبرلمان"):
            self.assertTrue(matches("برلمان", written), written)
            self.assertTrue(matches(written, "برلمان"), written)

    def test_bare_preposition_is_stripped_on_the_index_side(self):
        self.assertTrue(matches("بغداد", "وصل الوفد ببغداد"))
        self.assertTrue(matches("بغداد", "ولبغداد تاريخ"))
        self.assertTrue(matches("حكومة", "وحكومة الإقليم"))

    def test_spelling_variants_match(self):
        self.assertTrue(matches("احمد", "قال أحمد"))
        self.assertTrue(matches("مُحَمَّد", "محمد"))
        self.assertTrue(matches("محمد", "مُحَمَّد"))
        self.assertTrue(matches("مدرسة", "مدرسه"))
        self.assertTrue(matches("2024", "عام ٢٠٢٤"))

    def test_short_stems_are_not_made(self):
        # "الله" would otherwise match every "له" ("to him").
        self.assertFalse(matches("له", "الله"))
        self.assertFalse(matches("الله", "قال له"))

    def test_ambiguous_bare_prefix_is_not_stripped_from_a_query(self):
        # "بلدية" (municipality) read as ب + "لديه" (he has) would be a false positive.
        self.assertFalse(matches("بلدية", "لديه خطة"))
        # "ورقة" (paper) is not و + "رقة" (Raqqa): four letters are needed after a bare prefix.
        self.assertFalse(matches("الرقة", "ورقة عمل"))
        self.assertFalse(matches("وزير", "زير"))

    def test_latin_words_are_not_stemmed(self):
        self.assertEqual(arabic.index_terms_of_word("band"), ["band"])

    def test_query_words_keep_order_and_drop_repeats(self):
        self.assertEqual(query_words("البرلمان و البرلمان vote"), [("البرلمان", "برلمان"), ("و",), ("vote",)])

    def test_punctuation_and_diacritics_alone_make_no_words(self):
        self.assertEqual(query_words("...!؟ ،"), [])
        self.assertEqual(query_words("ً ٌ ٍ َ ـ"), [])
        self.assertEqual(query_words('" * ^ : - ()'), [])

    def test_fts_operators_are_just_words(self):
        self.assertEqual(
            query_words('NEAR("a" b) AND c* OR -d ^e f:g'), [(w,) for w in "near a b and c or d e f g".split()]
        )

    def test_word_positions_point_into_the_original_text(self):
        text = "قال مُحَمَّد: البرلمان"
        found = arabic.words(text)
        self.assertEqual([text[w.start : w.end] for w in found], ["قال", "مُحَمَّد", "البرلمان"])
        self.assertEqual(found[2].terms, ("البرلمان", "برلمان"))


class PersianAndKurdishCharacterTests(TestCase):
    def test_persian_yeh_kaf_and_arabic_forms_are_one_letter(self):
        self.assertEqual(normalise("ایران"), normalise("ايران"))
        self.assertEqual(normalise("کتاب"), normalise("كتاب"))
        self.assertEqual(normalise("دی"), normalise("دى"))

    def test_heh_doachashmee_is_heh_and_ae_stays_apart(self):
        self.assertEqual(normalise("ھەولێر"), normalise("هەولێر"))
        self.assertNotEqual(normalise("بەهار"), normalise("بههار"))
        self.assertIn("\u06d5", normalise("هەولێر"))

    def test_persian_ezafe_heh_is_heh(self):
        self.assertEqual(normalise("خانۀ"), "خانه")
        self.assertEqual(normalise("خانهٔ"), "خانه")

    def test_kurdish_letters_are_kept_distinct_from_their_base_letters(self):
        for kurdish, plain in (("کوڕ", "کور"), ("گوڵ", "گول"), ("دێ", "دی"), ("کۆ", "کو")):
            self.assertNotEqual(normalise(kurdish), normalise(plain), kurdish)
            self.assertFalse(matches(plain, kurdish, "ckb"), kurdish)

    def test_a_base_letter_with_a_v_mark_is_the_kurdish_letter(self):
        self.assertEqual(normalise("کو\u065aڕ"), normalise("کۆڕ"))
        self.assertEqual(normalise("گول\u065a"), normalise("گوڵ"))
        self.assertEqual(normalise("دی\u065a"), normalise("دێ"))
        self.assertEqual(normalise("کور\u032c"), normalise("کوڕ"))
        self.assertEqual(normalise("کور\u030c"), normalise("کوڕ"))
        # A harakah typed between the letter and its mark does not stop the composition.
        self.assertEqual(normalise("گول\u064e\u065a"), normalise("گوڵ"))

    def test_a_v_mark_on_another_letter_is_stripped_like_any_harakah(self):
        self.assertEqual(normalise("ب\u065aاب"), "باب")

    def test_lam_followed_by_sad_is_two_letters_not_kurdish_lam(self):
        # U+0635 is the letter ص, not a mark: "لص" (thief) is not "ڵ".
        self.assertEqual(normalise("لص"), "لص")
        self.assertFalse(matches("لص", "ڵ", "ckb"))

    def test_every_kind_of_digit_is_the_same_number(self):
        for written in ("۱۴۰۳", "١٤٠٣", "1403"):
            self.assertEqual(normalise(written), "1403", written)


class ZeroWidthNonJoinerTests(TestCase):
    def test_a_word_joined_by_zwnj_is_one_word_matching_its_spelling_without_it(self):
        self.assertEqual(query_words(f"می{ZWNJ}خواهم", language="fa"), [("ميخواهم",)])
        self.assertTrue(matches("میخواهم", f"من می{ZWNJ}خواهم", "fa"))
        self.assertTrue(matches(f"می{ZWNJ}خواهم", "من میخواهم", "fa"))

    def test_the_parts_of_a_zwnj_word_are_found_too(self):
        self.assertTrue(matches("می خواهم", f"من می{ZWNJ}خواهم", "fa"))
        self.assertTrue(matches("کتاب", f"کتاب{ZWNJ}ها", "fa"))

    def test_the_spelling_with_a_space_is_not_found_by_the_joined_word(self):
        # Without a dictionary two words cannot be told to be one: documented in docs/search.md.
        self.assertFalse(matches("میخواهم", "من می خواهم", "fa"))

    def test_zwnj_word_positions_cover_the_whole_word_and_its_parts(self):
        text = f"من می{ZWNJ}خواهم"
        (_, word) = arabic.words(text, language="fa")
        self.assertEqual(text[word.start : word.end], f"می{ZWNJ}خواهم")
        self.assertEqual([text[p.start : p.end] for p in word.parts], ["می", "خواهم"])

    def test_a_stray_zwnj_at_the_edge_of_a_word_makes_no_parts(self):
        (word,) = arabic.words(f"کتاب{ZWNJ}", language="fa")
        self.assertEqual((word.terms, word.parts), (("كتاب",), ()))

    def test_sorani_heh_with_zwnj_is_the_legacy_spelling_of_ae(self):
        self.assertTrue(matches("هەولێر", f"هه{ZWNJ}ولێر", "ckb"))
        self.assertTrue(matches(f"هه{ZWNJ}ولێر", "هەولێر", "ckb"))
        (word,) = arabic.words(f"هه{ZWNJ}ولێر", language="ckb")
        self.assertEqual(word.parts, ())

    def test_persian_heh_with_zwnj_stays_heh(self):
        self.assertTrue(matches("خانه", f"خانه{ZWNJ}ها", "fa"))
        self.assertFalse(matches("خانە", f"خانه{ZWNJ}ها", "fa"))


class LanguageStemmingTests(TestCase):
    def test_arabic_prefixes_are_not_stripped_from_persian_or_sorani_words(self):
        self.assertEqual(arabic.index_terms_of_word("بازار", "fa"), ["بازار"])
        self.assertEqual(arabic.index_terms_of_word("كوردستان", "ckb"), ["كوردستان"])
        self.assertEqual(query_words("الماس", language="fa"), [("الماس",)])
        self.assertFalse(matches("آزار", "بازار تهران", "fa"))

    def test_arabic_keeps_its_prefixes(self):
        self.assertTrue(matches("بغداد", "وصل الوفد ببغداد", "ar"))
        self.assertTrue(matches("برلمان", "البرلمان", "ar"))
        self.assertEqual(query_words("البرلمان", language="ar"), query_words("البرلمان"))

    def test_a_regional_language_tag_counts_as_its_language(self):
        self.assertEqual(arabic.index_terms_of_word("بازار", "fa-IR"), ["بازار"])


arabic_chars = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
kurdish_text = st.text(
    st.sampled_from([*"ویىيلرهھەکک", "\u065a", "\u065b", "\u030c", "\u032c", "\u064e", "\u0640", ZWNJ, " "]),
    max_size=30,
)
any_text = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=60)


class NormalisationPropertiesTests(TestCase):
    @settings(max_examples=400, deadline=None)
    @given(any_text)
    def test_normalise_never_raises_and_is_idempotent(self, text):
        once = normalise(text)
        self.assertEqual(normalise(once), once)

    @settings(max_examples=300, deadline=None)
    @given(kurdish_text, st.sampled_from(["ar", "fa", "ckb"]))
    def test_kurdish_marks_and_zwnj_settle_and_a_text_finds_itself(self, text, language):
        once = normalise(text)
        self.assertEqual(normalise(once), once)
        self.assertFalse(set(once) & set(arabic.V_MARKS))
        if query_words(text, language=language):
            self.assertTrue(matches(text, text, language))

    @settings(max_examples=300, deadline=None)
    @given(st.text(arabic_chars, max_size=40))
    def test_arabic_only_shrinks_or_keeps_length(self, text):
        self.assertLessEqual(len(strip_marks(text)), len(text))
        nfkc = unicodedata.normalize("NFKC", text)
        self.assertLessEqual(len(normalise(nfkc)), len(nfkc))

    @settings(max_examples=300, deadline=None)
    @given(st.text(arabic_chars, max_size=40))
    def test_no_mark_or_tatweel_survives(self, text):
        self.assertFalse(set(normalise(text)) & arabic.ARABIC_MARKS)

    @settings(max_examples=300, deadline=None)
    @given(any_text)
    def test_terms_are_letters_and_digits_and_the_query_matches_its_own_text(self, text):
        for term in index_terms(text):
            self.assertTrue(term and any(c.isalnum() for c in term))
            self.assertNotIn(" ", term)
        if query_words(text):
            self.assertTrue(matches(text, text))

    @settings(max_examples=200, deadline=None)
    @given(st.text(arabic_chars, min_size=1, max_size=12))
    def test_diacritics_never_change_what_matches(self, word):
        voweled = "".join(c + "\u064e" for c in word)  # a fatha after every letter
        self.assertEqual(query_words(voweled), query_words(word))
