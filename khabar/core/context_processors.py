"""What every reader page needs to know about its edition (language, direction, navigation)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

RTL_LANGUAGES = {"ar", "fa", "ckb", "he", "ur"}


class Edition:
    """The edition (language branch of the page tree) a request belongs to.

    Everything here is computed on first use, so a page that shows no
    navigation costs no navigation queries.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.direction = "rtl" if language in RTL_LANGUAGES else "ltr"
        self._home = None
        self._home_loaded = False

    @property
    def home(self):
        if not self._home_loaded:
            from wagtail.models import Locale

            from khabar.news.models import HomePage

            self._home = (
                HomePage.objects.live().filter(locale__language_code=self.language).order_by("path").first()
                if Locale.objects.filter(language_code=self.language).exists()
                else None
            )
            self._home_loaded = True
        return self._home

    @property
    def sections(self):
        home = self.home
        return list(home.sections().only("title", "slug", "url_path", "path", "depth")) if home else []

    @property
    def footer_pages(self):
        from khabar.news.models import StandardPage

        home = self.home
        if not home:
            return []
        return list(StandardPage.objects.child_of(home).live().filter(show_in_menus=True).order_by("path"))

    @property
    def languages(self):
        return [(code, name) for code, name in settings.LANGUAGES]


def edition(request) -> dict:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {"edition": SimpleLazyObject(lambda: Edition(language)), "SITE_NAME": settings.SITE_NAME}
