"""Control characters in text: invisible to an editor, illegal in XML 1.0 (feeds, sitemaps)."""

from __future__ import annotations

import re

# C0 controls except tab, newline and carriage return; DEL and C1 controls; the two non-characters XML
# forbids; lone surrogates (they cannot be encoded at all).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def strip_control_characters_deep(value):
    """The same for every string inside lists, tuples and dicts (a feed item's parts)."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, dict):
        return {key: strip_control_characters_deep(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(strip_control_characters_deep(item) for item in value)
    return value
