"""Invisible and direction-changing characters in text people type (names, comments) — pure helpers.

* Invisible: zero-width spaces and joiners, direction marks, word joiners, the byte-order mark and the
  bidi controls draw nothing. A name made only of them shows as an empty name on the page.
* Bidi controls (embeddings, overrides, isolates: U+202A–U+202E, U+2066–U+2069) reorder the text after
  them. On our pages user text sits in ``<bdi>``/``dir="auto"``, which contains them; a plain-text email
  has no such box, so an override at the start of a name or comment would reverse the rest of the
  message. ``without_bidi_controls`` removes them from text going into email. Direction *marks*
  (U+200E, U+200F, U+061C) only nudge neutral characters and are kept: Arabic text uses them.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u061c\u180e\u00ad" + BIDI_CONTROLS

_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_VISIBLE = re.compile(f"[^\\s{INVISIBLE}]")


def has_visible_characters(text: str) -> bool:
    """False for text made only of spaces and invisible characters."""
    return bool(_VISIBLE.search(text))


def without_bidi_controls(text: str) -> str:
    """The text with every embedding, override and isolate control removed (for plain-text email)."""
    return _BIDI.sub("", text)
