"""Highlighting matches on the ORIGINAL text, safely.

The engine matched normalised terms; here each word of the original headline
or text is normalised the same way (khabar.lib.arabic.words, in the edition's
language) and wrapped in <mark> when one of its terms is one the query asked
for. A word joined by ZWNJ ("کتاب‌ها") that matched only through one of its
parts has just that part marked. Everything else is escaped, so a headline
holding "<script>" is shown as text.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from khabar.lib import arabic

SNIPPET_CHARS = 260  # about two lines of a result
SNIPPET_SCAN_CHARS = 50_000  # a match further into a very long story shows the story's opening instead


def wanted_terms(groups: list[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(term for group in groups for term in group)


def _marked(text: str, spans: list[tuple[int, int]]) -> SafeString:
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece of reader or editor text is escaped above)


def _word_spans(word: arabic.Word, wanted: frozenset[str]) -> list[tuple[int, int]]:
    if wanted.intersection(word.terms):
        return [(word.start, word.end)]
    return [(part.start, part.end) for part in word.parts if wanted.intersection(part.terms)]


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Neighbouring spans with only a ZWNJ between them (every part of "می‌خواهم" matched) become one."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and text[merged[-1][1] : start] == arabic.ZWNJ:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _matching_spans(text: str, wanted: frozenset[str], language: str | None) -> list[tuple[int, int]]:
    ta_marbuta = settings.KHABAR_SEARCH_TA_MARBUTA
    found = arabic.words(text, ta_marbuta=ta_marbuta, language=language)
    return _joined(text, [span for word in found for span in _word_spans(word, wanted)])


def highlight(text: str, wanted: frozenset[str], language: str | None = None) -> SafeString:
    """The whole of ``text`` (a headline) with its matching words marked."""
    return _marked(text, _matching_spans(text, wanted, language))


def _first_match(text: str, wanted: frozenset[str], language: str | None) -> int | None:
    ta_marbuta = settings.KHABAR_SEARCH_TA_MARBUTA
    for word in arabic.iter_words(text[:SNIPPET_SCAN_CHARS], ta_marbuta=ta_marbuta, language=language):
        spans = _word_spans(word, wanted)
        if spans:
            return spans[0][0]
    return None


def snippet(text: str, wanted: frozenset[str], length: int = SNIPPET_CHARS, language: str | None = None) -> SafeString:
    """About ``length`` characters around the first match, on word boundaries, with matches marked."""
    first = _first_match(text, wanted, language)
    start = 0
    if first is not None and first > length // 4:
        # Start a little before the first match, at the beginning of a word.
        gap = text.find(" ", first - length // 4, first)
        start = gap + 1 if gap >= 0 else first
    end = min(len(text), start + length)
    if end < len(text):
        gap = text.rfind(" ", start, end)
        end = gap if gap > start else end
    body = _marked(text[start:end], _matching_spans(text[start:end], wanted, language))
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(text) else ""
    return mark_safe(f"{lead}{body}{tail}")  # noqa: S308 (body is escaped by _marked)
