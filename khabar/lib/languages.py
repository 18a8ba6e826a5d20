"""What Khabar knows about a language, asked in one place.

The facts are the rows of ``settings.KHABAR_LANGUAGE_INFO`` (direction, OpenGraph locale, edition
title, Accept-Language aliases, digits, calendar) with the newsroom's choices over them
(``KHABAR_DIGITS``, ``KHABAR_CALENDAR``). No other module names a language code: an edition is a
setting, not a code path. Settings are read on every call, so ``override_settings`` works in tests.

A code that is not in the table gets the neutral answers (left to right, western digits, the
Gregorian calendar), never an error: a stray locale row must not break a page.
"""

from __future__ import annotations

from django.conf import settings

# Digits 0-9 in each system; str.translate tables are built once.
DIGIT_CHARACTERS = {
    "western": "0123456789",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
}
_TABLES = {name: str.maketrans("0123456789", chars) for name, chars in DIGIT_CHARACTERS.items()}

# A header longer than this is cut (Django's own limit is 500 characters), so a huge one costs nothing.
MAX_HEADER_CHARS = 1000
MAX_RANGES = 50


def info(code: str) -> dict:
    """The table's row for ``code`` (its primary subtag when the full tag has none), or {}."""
    table = settings.KHABAR_LANGUAGE_INFO
    code = (code or "").lower()
    return table.get(code) or table.get(code.split("-", 1)[0]) or {}


def direction(code: str) -> str:
    """ "rtl" or "ltr"."""
    return "rtl" if info(code).get("direction") == "rtl" else "ltr"


def is_rtl(code: str) -> bool:
    return direction(code) == "rtl"


def name(code: str) -> str:
    """The language's name in itself ("العربية"), or the code."""
    return info(code).get("name") or code


def og_locale(code: str) -> str:
    """OpenGraph's locale for the language ("ar_AR"), or the code itself."""
    return info(code).get("og_locale") or code


def edition_title(code: str) -> str:
    """The first title of the edition's home page (its masthead name), else the site name."""
    return info(code).get("edition_title") or settings.SITE_NAME


def digits(code: str) -> str:
    """The digit system of the language's pages: "western", "arabic-indic" or "persian"."""
    chosen = settings.KHABAR_DIGITS.get((code or "").lower()) or info(code).get("digits")
    return chosen if chosen in _TABLES else "western"


def digit_table(code: str) -> dict:
    """A ``str.translate`` table from western digits to the language's own."""
    return _TABLES[digits(code)]


def localise_digits(text: str, code: str) -> str:
    return text.translate(digit_table(code))


def calendar(code: str) -> str:
    """ "gregorian" or "solar-hijri"."""
    chosen = settings.KHABAR_CALENDAR.get((code or "").lower()) or info(code).get("calendar")
    return chosen if chosen in {"gregorian", "solar-hijri"} else "gregorian"


def editions() -> list[str]:
    """The codes of the editions turned on, in the order of KHABAR_LANGUAGES."""
    return [code for code, _name in settings.LANGUAGES]


def best_edition(header: str | None) -> str:
    """The edition to send a reader to, from their Accept-Language header.

    Ranges are tried by quality (q=0 refuses), the first listed first among equals. Each range
    matches, in this order: an edition's code, an edition's alias, then the same for its primary
    subtag ("ar-IQ" -> "ar"). So "ku-IQ" reaches Sorani even when a Kurmanji edition is on, and
    "ar" reaches the Arabic edition when there is one, else Sorani. Anything unmatched, "*" or a
    malformed header: the default edition.
    """
    codes = editions()
    aliases = {}
    for code in codes:
        for alias in info(code).get("aliases", []):
            aliases.setdefault(alias.lower(), code)
    for tag in accepted_ranges(header or ""):
        for candidate in (tag, tag.split("-", 1)[0]):
            if candidate in codes:
                return candidate
            if candidate in aliases:
                return aliases[candidate]
    return settings.LANGUAGE_CODE


def accepted_ranges(header: str) -> list[str]:
    """Language ranges of an Accept-Language header, best first, lower case; bad parts skipped."""
    ranked = []
    for position, part in enumerate(header[:MAX_HEADER_CHARS].split(",")[:MAX_RANGES]):
        tag, _sep, params = part.partition(";")
        tag = tag.strip().lower()
        if not tag or tag == "*" or not all(piece.isascii() and piece.isalnum() for piece in tag.split("-")):
            continue
        quality = _quality(params)
        if quality is not None and quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _q, _position, tag in sorted(ranked)]


def _quality(params: str) -> float | None:
    """The q of ``;q=0.8`` (1 without one), None when it is not a number from 0 to 1."""
    for param in params.split(";"):
        key, _sep, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                quality = float(value.strip())
            except ValueError:
                return None
            return quality if 0 <= quality <= 1 else None
    return 1.0
