"""What a feed is about: an edition, a section, an author or a topic, and the articles in it.

Each listing page's feed lives at the listing's URL plus ``feed/`` (RSS 2.0) or
``feed/atom/`` (Atom 1.0); the edition's at ``/<lang>/feed/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Page

from khabar.news.models import ArticlePage, AuthorPage, HomePage, SectionPage, public


@dataclass
class Channel:
    title: str
    description: str
    link: str  # the listing page's path
    language: str
    articles: QuerySet  # always built on ArticlePage.objects.published()

    @property
    def feed_path(self) -> str:
        return self.link + "feed/"

    @property
    def atom_path(self) -> str:
        return self.link + "feed/atom/"


def edition_home(language: str | None = None) -> HomePage:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    home = HomePage.objects.live().filter(locale__language_code=language).order_by("path").first()
    if home is None:
        raise Http404(_("There is no edition in this language."))
    return home


def for_edition(home: HomePage) -> Channel:
    language = home.locale.language_code
    return Channel(
        title=settings.SITE_NAME,
        description=home.tagline or _("The latest stories from %(site)s") % {"site": settings.SITE_NAME},
        link=home.get_url() or f"/{language}/",
        language=language,
        articles=home.articles(),
    )


def for_page(page: Page) -> Channel | None:
    """The channel of a section or author page; None for a page that has no feed."""
    language = page.locale.language_code
    if isinstance(page, HomePage):
        return for_edition(page)
    if isinstance(page, SectionPage):
        return Channel(
            title=_("%(section)s · %(site)s") % {"section": page.title, "site": settings.SITE_NAME},
            description=page.description or page.title,
            link=page.get_url(),
            language=language,
            articles=page.articles(),
        )
    if isinstance(page, AuthorPage):
        return Channel(
            title=_("Stories by %(name)s · %(site)s") % {"name": page.title, "site": settings.SITE_NAME},
            description=page.role or page.title,
            link=page.get_url(),
            language=language,
            articles=page.articles(),
        )
    return None


def for_topic(home: HomePage, tag: Tag) -> Channel:
    return Channel(
        title=_("%(topic)s · %(site)s") % {"topic": tag.name, "site": settings.SITE_NAME},
        description=_("Stories about %(topic)s") % {"topic": tag.name},
        link=home.topic_url(tag.slug),
        language=home.locale.language_code,
        articles=home.articles().filter(topics__slug=tag.slug),
    )


def listing_page(home: HomePage, page_path: str) -> Page | None:
    """The live, public page at ``page_path`` (relative to the edition home), or None."""
    return (
        public(Page.objects.live())
        .descendant_of(home)
        .filter(url_path=home.url_path + page_path)
        .select_related("locale")
        .specific()
        .first()
    )


def published_articles() -> QuerySet:
    return ArticlePage.objects.published()
