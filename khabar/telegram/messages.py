"""What a post says: headline, standfirst, photo credit and link, in the edition's language.

Telegram counts a caption's (1024) and a message's (4096) length after parsing the HTML, in UTF-16
code units; the standfirst is shortened first, then the headline, never the link."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html import escape
from urllib.parse import unquote

from django.utils import translation
from django.utils.translation import gettext as _

from khabar.core.links import page_link
from khabar.lib.text import without_bidi_controls

CAPTION_LIMIT = 1024
MESSAGE_LIMIT = 4096
ELLIPSIS = "…"


@dataclass
class Text:
    html: str
    plain_length: int

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.html.encode()).hexdigest()


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, room: int) -> str:
    if units(text) <= room:
        return text
    if room <= 1:
        return ""
    cut = text[: room - 1]
    while units(cut) > room - 1:
        cut = cut[:-1]
    # End on a word when there is one near the cut, so a word is not split in half.
    space = cut.rfind(" ")
    if space > len(cut) * 0.7:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def _clean(text: str) -> str:
    # Telegram shows the text as given: an override pasted into a headline would reverse what follows.
    return " ".join(without_bidi_controls(text or "").split())


def story_text(article, *, with_photo: bool) -> Text:
    """The post for ``article``; a caption when it goes with the lead image."""
    with translation.override(article.locale.language_code):
        headline, standfirst = _clean(article.title), _clean(article.standfirst)
        credit = _clean(article.credit) if with_photo else ""
        credit_line = _("Photo: %(credit)s") % {"credit": credit} if credit else ""
        link = page_link(article)
        readable = unquote(link)
        limit = CAPTION_LIMIT if with_photo else MESSAGE_LIMIT
        fixed = units(credit_line) + units(readable) + 6  # the blank lines between the parts
        headline = shorten(headline, min(units(headline), max(limit - fixed, 0)))
        standfirst = shorten(standfirst, limit - fixed - units(headline))
        parts = [f"<b>{escape(headline, quote=False)}</b>"]
        plain = [headline]
        for line in (standfirst, credit_line):
            if line:
                parts.append(escape(line, quote=False))
                plain.append(line)
        if link:
            # An Arabic address reads as Arabic, not as %D8%A7…; the link itself stays percent-encoded.
            parts.append(f'<a href="{escape(link)}">{escape(readable, quote=False)}</a>')
            plain.append(readable)
        return Text("\n\n".join(parts), units("\n\n".join(plain)))


def correction_text(correction) -> Text:
    article = correction.page
    with translation.override(article.locale.language_code):
        if correction.kind == correction.UPDATE:
            label = _("Update")
        else:
            label = _("Correction")
        body = shorten(_clean(correction.text), MESSAGE_LIMIT - units(label) - 2)
        return Text(f"<b>{escape(label, quote=False)}:</b> {escape(body, quote=False)}", units(label) + 2 + units(body))
