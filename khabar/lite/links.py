"""Where a page's lite version lives, and back: /<lang>/<path> <-> /<lang>/lite/<path>."""

from __future__ import annotations

PREFIX = "lite"


def lite_path(full_path: str) -> str:
    """ "/en/iraq/story/" -> "/en/lite/iraq/story/" (the edition home "/en/" -> "/en/lite/")."""
    _empty, language, rest = (full_path.split("/", 2) + ["", ""])[:3]
    return f"/{language}/{PREFIX}/{rest}"


def full_path(lite: str) -> str:
    """ "/en/lite/iraq/story/" -> "/en/iraq/story/"."""
    _empty, language, _prefix, rest = (lite.split("/", 3) + ["", "", ""])[:4]
    return f"/{language}/{rest}"


def lite_url(page) -> str:
    url = page.url or ""
    return lite_path(url) if url.startswith("/") else ""
