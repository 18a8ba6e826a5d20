"""How a comment's text is counted and cleaned: the same rules as the form's live counter (comments.js)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Control characters other than newline and tab: invisible, and a favourite of spammers and terminal tricks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)


def normalise_newlines(text: str) -> str:
    """Browsers send CRLF; the counter sees LF. Both count a newline as one character."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def length(text: str) -> int:
    """Unicode code points after newline normalisation: what ``Array.from(text).length`` gives in the browser."""
    return len(normalise_newlines(text))


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def link_count(text: str) -> int:
    return len(_LINK.findall(text))


def fingerprint(text: str) -> str:
    """The same words however they are spaced or cased: finds repeated posts."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode()).hexdigest()


def contains_phrase(text: str, phrases: list[str]) -> str | None:
    """The first listed word or phrase found as whole words (Arabic and Latin alike), or None."""
    folded = text.casefold()
    for phrase in phrases:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded):
            return phrase
    return None
