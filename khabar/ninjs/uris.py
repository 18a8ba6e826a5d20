"""Stable ninjs uris for what Khabar publishes.

Wire copy keeps the uri it came with (ArticlePage.source_uri). An article written here gets a
tag: URI (RFC 4151) built from its page id, which never changes when the headline, slug or section
does: ``tag:<authority>,<year first published>:article:<page id>``. Set KHABAR_NINJS_TAG_AUTHORITY
once (a domain the newsroom owns) and never change it.
"""

from __future__ import annotations

import re

from django.conf import settings

_OWN = re.compile(r"^tag:(?P<authority>[^,]+),\d{4}(?:-\d{2}){0,2}:(?P<kind>article|image):(?P<id>\d+)$")


def tag_uri(kind: str, pk: int, year: int) -> str:
    return f"tag:{settings.KHABAR_NINJS_TAG_AUTHORITY},{year}:{kind}:{pk}"


def article_uri(page) -> str:
    if page.source_uri:
        return page.source_uri
    when = page.first_published_at or page.latest_revision_created_at
    return tag_uri("article", page.pk, when.year if when else 2000)


def page_id_from_uri(uri: str) -> int | None:
    """The page id in a uri this site gave out, or None for anyone else's uri."""
    match = _OWN.match(uri or "")
    if match and match["kind"] == "article" and match["authority"] == settings.KHABAR_NINJS_TAG_AUTHORITY:
        return int(match["id"])
    return None
