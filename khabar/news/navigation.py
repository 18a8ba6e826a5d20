"""The masthead and footer of an edition, cached until an editor changes them.

Every reader page shows the edition's sections and footer links. They change
rarely, so they are kept in the cache as plain data (title, url, tree path)
and dropped whenever a home, section or plain page is published, unpublished,
moved or deleted (see signal_handlers.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.functional import cached_property

from khabar.lib import languages

CACHE_SECONDS = 3600


def _key(language: str) -> str:
    return f"khabar:nav:{language}"


def navigation(language: str) -> dict:
    data = cache.get(_key(language))
    if data is None:
        data = _build(language)
        cache.set(_key(language), data, CACHE_SECONDS)
    return data


def forget_navigation() -> None:
    cache.delete_many([_key(code) for code, _name in settings.LANGUAGES])


def _entry(page) -> dict:
    return {"title": page.title, "url": page.get_url(), "path": page.path, "pk": page.pk}


def _build(language: str) -> dict:
    from khabar.news.models import HomePage, SectionPage, StandardPage

    home = HomePage.objects.live().filter(depth=2, locale__language_code=language).only("title").first()
    sections = SectionPage.objects.live().filter(depth=3, locale__language_code=language).order_by("path")
    footer = StandardPage.objects.live().filter(depth=3, locale__language_code=language, show_in_menus=True)
    return {
        "name": home.title if home else settings.SITE_NAME,
        # A section's comment mode rides along: every article page asks for it.
        "sections": [
            {**_entry(p), "comment_mode": p.comment_mode}
            for p in sections.only("title", "path", "url_path", "depth", "comment_mode")
        ],
        "footer": [_entry(p) for p in footer.order_by("path").only("title", "path", "url_path", "depth")],
    }


class Edition:
    """The edition (language branch) a request belongs to, as templates see it."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.direction = languages.direction(language)

    @cached_property
    def _navigation(self) -> dict:
        # Read once per page: the masthead, footer, title and section links all ask for it.
        return navigation(self.language)

    @property
    def name(self) -> str:
        """The edition's masthead name: its home page title (e.g. "Khabar", "خبر")."""
        return self._navigation["name"]

    @property
    def sections(self) -> list[dict]:
        return self._navigation["sections"]

    @property
    def footer_pages(self) -> list[dict]:
        return self._navigation["footer"]

    @property
    def languages(self) -> list[tuple[str, str]]:
        return list(settings.LANGUAGES)

    def section_of(self, page) -> dict | None:
        """The section a page sits in, from the cached navigation (no query)."""
        path = getattr(page, "path", "")
        for section in self.sections:
            if path.startswith(section["path"]) and path != section["path"]:
                return section
        return None


def edition(request) -> dict:
    """Context processor: ``edition`` and ``SITE_NAME`` on every template."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {"edition": Edition(language), "SITE_NAME": settings.SITE_NAME, "BASE_URL": settings.BASE_URL}
