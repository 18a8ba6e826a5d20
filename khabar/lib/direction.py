"""Which way a passage of text reads, from the letters it is written in.

An Arabic story may keep a paragraph of English copy until it is translated (and the other way
round); that paragraph must read left to right or its full stop lands on the wrong side. Counting
strong letters (Unicode bidi classes L versus R/AL) decides by the bulk of the text, so an Arabic
sentence that opens with a Latin name ("BBC قالت …") stays right to left — which ``dir="auto"``,
deciding on the first letter alone, would get wrong."""

from __future__ import annotations

import unicodedata

from django.utils.html import strip_tags


def text_direction(text: str) -> str:
    """The direction of ``text``: "rtl", "ltr", or "" when it has no letters with one."""
    left = right = 0
    for char in strip_tags(text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            left += 1
        elif kind in ("R", "AL"):
            right += 1
    if left == right:
        return ""
    return "ltr" if left > right else "rtl"


def differing_direction(text: str, page_is_rtl: bool) -> str:
    """The text's direction when it differs from the page's, else "" (nothing to mark)."""
    direction = text_direction(text)
    if direction and (direction == "rtl") != page_is_rtl:
        return direction
    return ""
