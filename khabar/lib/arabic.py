"""Arabic-script text normalisation for search (Arabic, Persian, Sorani): the same rules for index and query.

Pure functions, no Django. The search app (``khabar.search``) calls them for
every article it indexes and for every query a reader types, so that the two
sides always agree. docs/search.md explains the rules and why they are so.

Vocabulary:
- a *word* is a maximal run of letters, digits and combining marks in the
  original text (punctuation, spaces and symbols separate words);
- ``normalise`` turns text into its matching form: NFKC, case folded, Latin
  accents folded, Arabic diacritics (tashkeel) and tatweel removed, alef forms
  unified, ى ی → ي, ک → ك, ھ ۀ → ه, ة → ه (optional), Kurdish letters typed as
  base letter + v-mark composed (و + ٚ → ۆ), Arabic-Indic and Persian digits → 0-9,
  invisible format characters (ZWNJ, ZWJ, bidi controls…) removed;
- a *term* is one normalised word; a word also yields *light stems*: the word
  without the attached prefixes و ف ب ك ل and the article ال (Arabic only, see
  ``ARABIC_PREFIX_FREE_LANGUAGES``), and a word joined by zero-width non-joiners
  (Persian "می‌خواهم") is also indexed under each of its parts.

The character rules are the same in every edition (a reader may type with any
keyboard); what differs by language (the article's locale when indexing, the
reader's edition when querying; search never crosses editions, so both sides
always use the same language) is the light stemming and, in Sorani, the legacy
spelling of ە as ه + ZWNJ.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# --- Character rules ---------------------------------------------------------

# Tashkeel and Quranic marks: removed from both sides, so "مُحَمَّد" matches "محمد".
_MARK_RANGES = [
    (0x0610, 0x061A),  # honorifics and small high marks (ARABIC SIGN SALLALLAHOU … SMALL KASRA)
    (0x064B, 0x065F),  # harakat: fathatan … wavy hamza below (includes shadda, sukun, hamza above/below)
    (0x0670, 0x0670),  # superscript (dagger) alef
    (0x06D6, 0x06DC),  # Quranic small high ligatures
    (0x06DF, 0x06E4),  # Quranic small high/low marks
    (0x06E7, 0x06E8),  # small high yeh, small high noon
    (0x06EA, 0x06ED),  # Quranic empty centre stops, small low meem
    (0x08D3, 0x08E1),  # Arabic Extended-A marks
    (0x08E3, 0x08FF),  # Arabic Extended-A marks
]
TATWEEL = "\u0640"
ARABIC_MARKS = frozenset(chr(c) for start, end in _MARK_RANGES for c in range(start, end + 1)) | {TATWEEL}

ALEF = "\u0627"
# أ إ آ ٱ (and the rarer wavy-hamza alefs) are written interchangeably by readers.
ALEF_FORMS = "\u0623\u0625\u0622\u0671\u0672\u0673"
YEH = "\u064a"
ALEF_MAKSURA = "\u0649"  # ى, often typed for final ي and vice versa
FARSI_YEH = "\u06cc"  # ی from Persian/Kurdish keyboards
KAF = "\u0643"
KEHEH = "\u06a9"  # ک from Persian/Kurdish keyboards
TEH_MARBUTA = "\u0629"  # ة
HEH = "\u0647"  # ه
HEH_DOACHASHMEE = "\u06be"  # ھ: Sorani's initial/medial consonant h, the same letter as ه
HEH_WITH_YEH = "\u06c0"  # ۀ: Persian ه carrying the ezafe hamza, typed as plain ه by most readers
AE = "\u06d5"  # ە: Sorani's vowel "e", a letter of its own (never folded into ه)
ZWNJ = "\u200c"  # zero-width non-joiner: joins the parts of one Persian/Sorani word

_LETTER_MAP: dict[int, str | None] = {ord(c): ALEF for c in ALEF_FORMS}
_LETTER_MAP.update({ord(ALEF_MAKSURA): YEH, ord(FARSI_YEH): YEH, ord(KEHEH): KAF})
_LETTER_MAP.update({ord(HEH_DOACHASHMEE): HEH, ord(HEH_WITH_YEH): HEH})
_LETTER_MAP.update({0x0660 + d: str(d) for d in range(10)})  # ٠١٢… Arabic-Indic digits
_LETTER_MAP.update({0x06F0 + d: str(d) for d in range(10)})  # ۰۱۲… Extended Arabic-Indic (Persian, Urdu)
_LETTER_MAP.update({ord(c): None for c in ARABIC_MARKS})


class _FoldTable(dict):
    """A str.translate table computed on first sight of each character, then cached.

    Beyond the fixed letter map it drops invisible format characters (ZWJ, ZWNJ,
    bidi controls, soft hyphen: category Cf) and folds precomposed Latin letters
    to their base ("é" → "e", "ğ" → "g"). Marks of other scripts (Indic vowel
    signs…) carry meaning and stay.
    """

    def __init__(self, fixed: dict[int, str | None]) -> None:
        super().__init__(fixed)

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        value: str | None = char
        if unicodedata.category(char) == "Cf":
            value = None
        elif code > 0x7F and "LATIN" in unicodedata.name(char, ""):
            decomposed = unicodedata.normalize("NFD", char)
            value = "".join(c for c in decomposed if not unicodedata.combining(c))
            value = unicodedata.normalize("NFC", value) or char
        self[code] = value
        return value


# Sorani letters with a v-shaped mark have no Unicode decomposition, so NFKC leaves a reader's
# و + U+065A as two characters, and the tashkeel rule would then strip the mark and turn ۆ into و
# (کوڕ "boy" into کور "blind"). They are composed first. Any v-like mark, above or below, counts:
# readers cannot tell U+065A from a caron on screen. Other marks typed between them are kept for
# the tashkeel rule to remove.
V_MARKS = "\u065a\u065b\u030c\u032c"  # Arabic small v / inverted v above, combining caron above / below
_V_COMPOSED = {
    "\u0648": "\u06c6",  # و → ۆ
    YEH: "\u06ce",  # ي → ێ
    FARSI_YEH: "\u06ce",  # ی → ێ
    ALEF_MAKSURA: "\u06ce",  # ى → ێ
    "\u0644": "\u06b5",  # ل → ڵ
    "\u0631": "\u0695",  # ر → ڕ
}
_V_SEQUENCE = re.compile(
    "([" + "".join(_V_COMPOSED) + "])([\u064b-\u0659\u065c-\u065f\u0670\u0640\u200d]*)[" + V_MARKS + "]"
)


def compose_kurdish_letters(text: str) -> str:
    """و ی ل ر followed by a v-shaped mark → ۆ ێ ڵ ڕ (the letters Sorani readers meant)."""
    return _V_SEQUENCE.sub(lambda m: _V_COMPOSED[m.group(1)] + m.group(2), text)


# A caron (above or below) left on any other letter goes, as the Arabic v-marks do: on a Latin
# letter it is an accent, folded anyway; on an Arabic-script letter it is a stray keystroke.
_LETTER_MAP.update({0x030C: None, 0x032C: None})
_FOLD = _FoldTable(_LETTER_MAP)
_FOLD_TA_MARBUTA = _FoldTable({**_LETTER_MAP, ord(TEH_MARBUTA): HEH})
# Combining accents left after a Latin letter with no precomposed form ("q̃").
_LATIN_ACCENTS = re.compile(r"(?<=[a-z\u00df-\u024f\u1e00-\u1eff])[\u0300-\u036f]+")


def strip_marks(text: str) -> str:
    """Remove tashkeel, Quranic marks and tatweel (and nothing else)."""
    return "".join(c for c in text if c not in ARABIC_MARKS)


def _normalise_once(text: str, table: _FoldTable) -> str:
    # NFKC first: Arabic presentation forms (ﻻ, ﺍ…) and full-width Latin become plain letters,
    # and alef + hamza-above compose to أ before the alef rule sees them.
    text = unicodedata.normalize("NFKC", text)
    text = compose_kurdish_letters(unicodedata.normalize("NFKC", text.casefold()))
    return _LATIN_ACCENTS.sub("", text.translate(table))


def normalise(text: str, *, ta_marbuta: bool = True) -> str:
    """The matching form of ``text``; idempotent, never raises on any str.

    Word separators (spaces, punctuation) are kept, so the result can still
    be split into words; only characters inside words change or disappear.
    """
    table = _FOLD_TA_MARBUTA if ta_marbuta else _FOLD
    result = _normalise_once(text, table)
    # Removing a character can, rarely, let neighbours compose differently; settle (bounded).
    for _ in range(3):
        settled = unicodedata.is_normalized("NFKC", result) and result.casefold() == result
        if settled and not _V_SEQUENCE.search(result):
            break
        result = _normalise_once(result, table)
    return result


def _word_pattern() -> re.Pattern[str]:
    """A word: letters and digits, plus combining marks and invisible joiners inside it."""
    extra = [
        code
        for block in (range(0x80, 0x10000), range(0x10000, 0x20000), range(0xE0000, 0xE01F0))
        for code in block
        if unicodedata.category(chr(code))[0] == "M" or unicodedata.category(chr(code)) == "Cf"
    ]
    ranges: list[str] = []
    start = previous = extra[0]
    for code in [*extra[1:], -1]:
        if code != previous + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous != start else ""))
            start = code
        previous = code
    return re.compile(r"(?:[^\W_]|[" + "".join(ranges) + "])+")


_WORD = _word_pattern()


# --- Languages ---------------------------------------------------------------

# Which languages strip Arabic's attached prefixes and read ه + ZWNJ as ە: facts of each language,
# kept with the others in settings.KHABAR_LANGUAGE_INFO ("search_arabic_prefixes",
# "search_legacy_ae") and handed over by the search app when it starts (``configure``), so this
# module stays free of Django. Persian and Sorani write و "and", به/بە "to" and لە "in" as words of
# their own and have no article ال: stripping Arabic prefixes from their words only mangles them
# (Persian فردا "tomorrow" would be indexed under ردا "cloak"). Before keyboards had ە, Sorani was
# typed with ه + ZWNJ ("هه‌ولێر" for "هەولێر"); in Persian ه + ZWNJ is a real ه ("خانه‌ها").
ARABIC_PREFIX_FREE_LANGUAGES: frozenset[str] = frozenset()
LEGACY_AE_LANGUAGES: frozenset[str] = frozenset()


def configure(*, prefix_free: set[str], legacy_ae: set[str]) -> None:
    global ARABIC_PREFIX_FREE_LANGUAGES, LEGACY_AE_LANGUAGES
    ARABIC_PREFIX_FREE_LANGUAGES, LEGACY_AE_LANGUAGES = frozenset(prefix_free), frozenset(legacy_ae)


_LEGACY_AE = re.compile(HEH + ZWNJ)


def _language(language: str | None) -> str:
    """The primary subtag, lowercased ("" when unknown)."""
    return (language or "").split("-")[0].lower()


def _uses_arabic_prefixes(language: str | None) -> bool:
    return _language(language) not in ARABIC_PREFIX_FREE_LANGUAGES


# --- Words and light stems ---------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word of the original text: where it is, and the terms it is indexed under."""

    start: int
    end: int
    terms: tuple[str, ...]  # normalised forms (usually one) followed by their light stems
    # The pieces of a word joined by ZWNJ ("می‌خواهم": "می", "خواهم"), each a Word of its own;
    # empty for an ordinary word.
    parts: tuple[Word, ...] = ()

    @property
    def all_terms(self) -> tuple[str, ...]:
        """What the index holds for this word: its own terms, then its parts' terms."""
        return self.terms + tuple(term for part in self.parts for term in part.terms)


def split_words(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word in ``text``: runs of letters, digits and marks."""
    for match in _WORD.finditer(text):
        yield match.span()


def _normalised_words(text: str, ta_marbuta: bool, language: str | None = None) -> list[str]:
    """Normalise, then split again: NFKC may turn one sign (ﷺ, ½) into several words."""
    if _language(language) in LEGACY_AE_LANGUAGES:
        text = _LEGACY_AE.sub(AE, text)
    normal = normalise(text, ta_marbuta=ta_marbuta)
    # A lone combining mark is a "word" of the original but nothing to match on.
    return [w for w in (normal[s:e] for s, e in split_words(normal)) if any(c.isalnum() for c in w)]


ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B))
CONJUNCTIONS = ("", "و", "ف")  # "and", "so/then"
# The definite article and the prepositions written together with it: ل + ال is written لل.
ARTICLES = ("ال", "بال", "كال", "لل")
PREPOSITIONS = ("", "ب", "ك", "ل")  # "with/in", "like", "for/to"
MIN_STEM_AFTER_ARTICLE = 3  # "الله" keeps its form; "الحرب" → "حرب"
MIN_STEM_AFTER_BARE_PREFIX = 4  # "ورقة" stays whole (not "رقه", Raqqa); "وبغداد" → "بغداد"


def _is_arabic_word(word: str) -> bool:
    return bool(word) and all(c in ARABIC_LETTERS for c in word)


def article_stems(word: str) -> list[str]:
    """Stems of a normalised word that drop a definite article, with its conjunction or preposition.

    "البرلمان" → ["برلمان"], "والبرلمان" → ["برلمان"], "للحكومه" → ["حكومه"].
    An article is unambiguous enough to strip on both sides (index and query).
    """
    if not _is_arabic_word(word):
        return []
    stems: list[str] = []
    for conjunction in CONJUNCTIONS:
        if not word.startswith(conjunction):
            continue
        rest = word[len(conjunction) :]
        for article in ARTICLES:
            stem = rest[len(article) :]
            if rest.startswith(article) and len(stem) >= MIN_STEM_AFTER_ARTICLE and stem not in stems:
                stems.append(stem)
    return stems


def bare_prefix_stems(word: str) -> list[str]:
    """Stems that drop و/ف and/or ب/ك/ل attached without an article: "وبغداد" → ["بغداد", "غداد"].

    Ambiguous (بلدية "municipality" also reads ب + لديه), so these are added on the
    index side only: a reader typing "بغداد" finds "ببغداد", but a reader typing
    "بلدية" is not sent to every text containing "لديه".
    """
    if not _is_arabic_word(word):
        return []
    stems: list[str] = []
    for conjunction in CONJUNCTIONS:
        for preposition in PREPOSITIONS:
            prefix = conjunction + preposition
            stem = word[len(prefix) :]
            if (
                prefix
                and word.startswith(prefix)
                and len(stem) >= MIN_STEM_AFTER_BARE_PREFIX
                and stem not in stems
                and stem != word
            ):
                stems.append(stem)
    return stems


def index_terms_of_word(word: str, language: str | None = None) -> list[str]:
    """Terms a normalised document word is indexed under: itself, then its stems (if the language has them)."""
    terms = [word]
    if not _uses_arabic_prefixes(language):
        return terms
    for stem in article_stems(word) + bare_prefix_stems(word):
        if stem not in terms:
            terms.append(stem)
    return terms


def query_alternatives(word: str, language: str | None = None) -> list[str]:
    """Terms any of which may match a normalised query word: itself and its article stems."""
    if not _uses_arabic_prefixes(language):
        return [word]
    return [word] + [stem for stem in article_stems(word) if stem != word]


def _word_terms(word: str, ta_marbuta: bool, language: str | None) -> tuple[str, ...]:
    terms: list[str] = []
    for normal in _normalised_words(word, ta_marbuta, language):
        for term in index_terms_of_word(normal, language):
            if term not in terms:
                terms.append(term)
    return tuple(terms)


def _part_spans(word: str, language: str | None) -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``word`` between zero-width non-joiners; [] if it has none."""
    cuts = [i for i, char in enumerate(word) if char == ZWNJ]
    if _language(language) in LEGACY_AE_LANGUAGES:
        cuts = [i for i in cuts if i == 0 or word[i - 1] != HEH]  # ه + ZWNJ is the letter ە there
    if not cuts:
        return []
    bounds = [-1, *cuts, len(word)]
    return [(a + 1, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a + 1]


@lru_cache(maxsize=65536)
def _analyse_word(word: str, ta_marbuta: bool, language: str) -> tuple[tuple[str, ...], tuple[Word, ...]]:
    # Words repeat a lot in running text; the cache makes indexing a long story cheap.
    terms = _word_terms(word, ta_marbuta, language)
    parts = []
    for start, end in _part_spans(word, language):
        part_terms = _word_terms(word[start:end], ta_marbuta, language)
        if part_terms:
            parts.append(Word(start, end, part_terms))
    # A word with a single non-empty piece (a stray ZWNJ at its edge) is just that word.
    return terms, tuple(parts) if len(parts) > 1 else ()


def iter_words(text: str, *, ta_marbuta: bool = True, language: str | None = None) -> Iterator[Word]:
    """The words of ``text`` with their positions in the ORIGINAL text and their index terms.

    Used to index (the terms) and to highlight (the positions), so both agree.
    """
    for start, end in split_words(text):
        terms, parts = _analyse_word(text[start:end], ta_marbuta, _language(language))
        if terms:
            shifted = tuple(Word(start + p.start, start + p.end, p.terms) for p in parts)
            yield Word(start, end, terms, shifted)


def words(text: str, *, ta_marbuta: bool = True, language: str | None = None) -> list[Word]:
    return list(iter_words(text, ta_marbuta=ta_marbuta, language=language))


def index_terms(text: str, *, ta_marbuta: bool = True, language: str | None = None) -> list[str]:
    """Every term of ``text`` in order, one entry per occurrence (frequency matters for ranking).

    A ZWNJ-joined word contributes its joined form and each of its parts, so "می‌خواهم" is
    found by "میخواهم", by "می‌خواهم" and by "می خواهم" (two words, both present).
    """
    return [term for word in words(text, ta_marbuta=ta_marbuta, language=language) for term in word.all_terms]


def query_words(text: str, *, ta_marbuta: bool = True, language: str | None = None) -> list[tuple[str, ...]]:
    """One tuple of alternatives per query word, duplicates dropped, in the reader's order.

    A document matches when, for every tuple, it holds at least one of its terms. A query
    word is taken whole, ZWNJ or not: its joined form is what every document spelling holds.
    """
    groups: list[tuple[str, ...]] = []
    for start, end in split_words(text):
        for normal in _normalised_words(text[start:end], ta_marbuta, language):
            group = tuple(query_alternatives(normal, language))
            if group not in groups:
                groups.append(group)
    return groups
