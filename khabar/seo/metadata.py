"""What a reader page tells search engines and social networks about itself.

- canonical: the page's absolute URL (``?page=N`` kept on later pages of a listing);
- hreflang: every live language version of the page, plus x-default (the default language's);
- OpenGraph and Twitter card tags;
- on articles, JSON-LD NewsArticle (schema.org; the properties Google documents for articles).

Absolute URLs come from the request's host (checked by ALLOWED_HOSTS), or BASE_URL without one.
Page URLs are asked of Wagtail without the request: the site root paths are cached, and this
avoids a Site lookup on every page (a single-site install gets the same relative URLs).
Embargoed translations are never linked: articles are looked up through published().
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from khabar.core.models import NewsroomSettings
from khabar.lib import languages
from khabar.news.models import ArticlePage, AuthorPage, Correction, HomePage, public, topic_url

# Google asks for 16x9, 4x3 and 1x1 images at least 1200 px wide (renditions never upscale).
IMAGE_SPECS = {
    "16x9": "fill-1200x675|format-jpeg",
    "4x3": "fill-1200x900|format-jpeg",
    "1x1": "fill-1200x1200|format-jpeg",
}
LOGO_SPEC = "max-600x60|format-png"
# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(url: str, request: HttpRequest | None) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url) if request is not None else settings.BASE_URL + url


def json_ld(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, safe against "</script>"."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 (every character that could end the element is escaped above)


@dataclass
class Head:
    canonical: str = ""
    alternates: list[tuple[str, str]] = field(default_factory=list)
    og: list[tuple[str, str]] = field(default_factory=list)
    twitter: list[tuple[str, str]] = field(default_factory=list)
    json_ld: SafeString | None = None


def language_versions(page: Page) -> list[Page]:
    """Live, public language versions of a page (itself included); articles only when published.

    Remembered on the page object: the head's hreflang links and the masthead's
    language switcher ask for the same list during one request.
    """
    cached = getattr(page, "_khabar_language_versions", None)
    if cached is None:
        queryset = ArticlePage.objects.published() if isinstance(page, ArticlePage) else public(Page.objects.live())
        cached = list(
            queryset.filter(translation_key=page.translation_key)
            .select_related("locale")
            .order_by("locale__language_code")
        )
        page._khabar_language_versions = cached
    return cached


def hreflang_links(versions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """[(language, url)] → the same plus x-default, when there is more than one version."""
    if len(versions) < 2:
        return []
    default = [url for code, url in versions if code == settings.LANGUAGE_CODE]
    return versions + ([("x-default", default[0])] if default else [])


def topic_versions(home: HomePage, topic, request: HttpRequest | None) -> list[tuple[str, str]]:
    """A topic is shared by the editions: link the editions that have published stories on it."""
    with_stories = set(
        ArticlePage.objects.published().filter(topics__slug=topic.slug).values_list("locale__language_code", flat=True)
    )
    homes = [h for h in language_versions(home) if h.locale.language_code in with_stories | {home.locale.language_code}]
    return [(h.locale.language_code, absolute(topic_url(h, topic.slug), request)) for h in homes]


def description_of(page: Page) -> str:
    for name in ("search_description", "standfirst", "description", "tagline", "bio"):
        text = getattr(page, name, "")
        if text:
            return text[:300]
    return ""


def image_objects(image, request: HttpRequest | None) -> list[dict]:
    renditions = image.get_renditions(*IMAGE_SPECS.values())
    objects = []
    for spec in IMAGE_SPECS.values():
        rendition = renditions[spec]
        objects.append(
            {
                "@type": "ImageObject",
                "url": absolute(rendition.url, request),
                "width": rendition.width,
                "height": rendition.height,
            }
        )
    return objects


PUBLISHER_CACHE_KEY = "khabar-seo-publisher"


def publisher(request: HttpRequest | None) -> dict:
    """The publisher Organization; cached (no query per page) until the settings or an image change."""
    organisation = cache.get(PUBLISHER_CACHE_KEY)
    if organisation is None:
        organisation = _publisher()
        cache.set(PUBLISHER_CACHE_KEY, organisation, None)
    # Stored with relative URLs, so that one cached value serves every host.
    organisation = {**organisation, "url": absolute("/", request)}
    if "logo" in organisation:
        organisation["logo"] = {**organisation["logo"], "url": absolute(organisation["logo"]["url"], request)}
    return organisation


def _publisher() -> dict:
    # One query for the settings and their logo (load() would take two).
    newsroom = NewsroomSettings.objects.select_related("logo").order_by("pk").first() or NewsroomSettings()
    organisation = {"@type": "Organization", "name": newsroom.publisher_name}
    if newsroom.logo_id:
        logo = newsroom.logo.get_rendition(LOGO_SPEC)
        organisation["logo"] = {"@type": "ImageObject", "url": logo.url, "width": logo.width, "height": logo.height}
    return organisation


def section_title(article: ArticlePage) -> str:
    # ArticlePage.section is the parent page, or (newer news app) a {"title", "url"} dict.
    section = article.section
    if section is None:
        return ""
    return section["title"] if isinstance(section, dict) else section.title


def date_published(article: ArticlePage):
    # A draft seen in the admin preview has never been published: show the preview's own time.
    return article.first_published_at or timezone.now()


def date_modified(article: ArticlePage, published):
    """What the page shows as "Updated" (an editor's update time or the latest note), else first publication.

    Never earlier than ``published``: a note dated before first publication (imported or mistyped)
    must not tell search engines the story changed before it existed.
    """
    updated = article.last_updated
    return max(updated, published) if updated else published


def article_json_ld(article: ArticlePage, canonical: str, request: HttpRequest | None) -> dict:
    # .all() so that bylines the article page has prefetched (with their authors) cost no query.
    bylines = sorted(article.bylines.all(), key=lambda byline: byline.sort_order or 0)
    section = section_title(article)
    published = date_published(article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.standfirst,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": published.isoformat(),
        "dateModified": date_modified(article, published).isoformat(),
        "inLanguage": article.locale.language_code,
        "author": [
            {
                "@type": "Person",
                "name": byline.author.title,
                # An author page that is not live is a 404 for readers and search engines: no url.
                **({"url": absolute(byline.author.get_url(), request)} if byline.author.live else {}),
                **({"jobTitle": byline.role_line} if byline.role_line else {}),
            }
            for byline in bylines
        ],
        "publisher": publisher(request),
    }
    if section:
        data["articleSection"] = section
    tags = article.topic_list if hasattr(type(article), "topic_list") else article.topics.all()
    topics = [tag.name for tag in tags]
    if topics:
        data["keywords"] = topics
    if article.lead_image:
        data["image"] = image_objects(article.lead_image, request)
    corrections = [note for note in article.corrections.all() if note.kind == Correction.CORRECTION]
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": note.text, "datePublished": note.noted_at.isoformat()}
            for note in sorted(corrections, key=lambda note: note.noted_at)
        ]
    return data


def _og_locale(code: str) -> str:
    return languages.og_locale(code)


def build(context) -> Head | None:
    if context.get("error_page"):
        return None
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        # A view that is not a Wagtail page (search, …): its own address is canonical.
        return Head(canonical=absolute(request.path, request)) if request is not None else None

    topic = context.get("topic")
    listing = context.get("listing")
    if topic is not None and isinstance(page, HomePage):
        path = page.topic_url(topic.slug)
        versions = topic_versions(page, topic, request)
        title = topic.name
    else:
        path = page.get_url() or "/"
        versions = [(v.locale.language_code, absolute(v.get_url(), request)) for v in language_versions(page)]
        title = page.seo_title or page.title
    number = getattr(listing, "number", 1)
    canonical = absolute(path, request) + (f"?page={number}" if number and number > 1 else "")
    head = Head(canonical=canonical, alternates=hreflang_links(versions) if number == 1 else [])

    language = page.locale.language_code
    description = description_of(page) if topic is None else ""
    head.og = [
        ("og:site_name", settings.SITE_NAME),
        ("og:title", title),
        ("og:url", canonical),
        ("og:locale", _og_locale(language)),
        *[("og:locale:alternate", _og_locale(code)) for code, _url in versions if code != language],
    ]
    if description:
        head.og.append(("og:description", description))
    head.twitter = [("twitter:title", title)] + ([("twitter:description", description)] if description else [])

    if isinstance(page, ArticlePage):
        _article_tags(head, page, canonical, request)
    else:
        head.og.insert(0, ("og:type", "profile" if isinstance(page, AuthorPage) else "website"))
        head.twitter.insert(0, ("twitter:card", "summary"))
    return head


def _article_tags(head: Head, article: ArticlePage, canonical: str, request: HttpRequest | None) -> None:
    data = article_json_ld(article, canonical, request)
    head.json_ld = json_ld(data)
    head.og.insert(0, ("og:type", "article"))
    head.og += [
        ("article:published_time", data["datePublished"]),
        ("article:modified_time", data["dateModified"]),
    ]
    if "articleSection" in data:
        head.og.append(("article:section", data["articleSection"]))
    head.og += [("article:author", person["url"]) for person in data["author"] if "url" in person]
    head.og += [("article:tag", tag) for tag in data.get("keywords", [])]
    if article.lead_image:
        wide = data["image"][0]
        alt = article.lead_image.alt_text
        head.og += [
            ("og:image", wide["url"]),
            ("og:image:type", "image/jpeg"),
            ("og:image:width", str(wide["width"])),
            ("og:image:height", str(wide["height"])),
            ("og:image:alt", alt),
        ]
        head.twitter.insert(0, ("twitter:card", "summary_large_image"))
        head.twitter += [("twitter:image", wide["url"]), ("twitter:image:alt", alt)]
    else:
        head.twitter.insert(0, ("twitter:card", "summary"))
