"""Lite pages: the same published stories as the full site, in small pages with no script needed to read.

Every lookup goes through the visibility rules the full site uses
(``ArticlePage.objects.published()`` for stories, live and unrestricted for
homes and sections), so the lite edition never shows a page the full site
would not. Responses are TemplateResponses with ``page`` in their context, so
the page cache stores them under the full page's generation (see apps.py).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import get_template, render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from khabar.lite.links import lite_url
from khabar.lite.templatetags.lite_tags import PICTURE_SALT
from khabar.news.models import ArticlePage, HomePage, SectionPage, restricted_paths


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _unrestricted(page) -> bool:
    return not any(page.path.startswith(restricted) for restricted in restricted_paths())


def _home(language: str) -> HomePage:
    home = HomePage.objects.live().filter(locale__language_code=language, depth=2).first()
    if home is None or not _unrestricted(home):
        raise Http404(_("This edition has no front page yet."))
    return home


def page(request: HttpRequest, path: str) -> HttpResponse:
    language = _language()
    depth = path.count("/")
    if depth == 0:
        return _render_home(request, _home(language))
    url_path = f"/{language}/{path}"
    if depth == 1:
        section = SectionPage.objects.live().filter(url_path=url_path, locale__language_code=language).first()
        if section is None or not _unrestricted(section):
            raise Http404(_("No such section."))
        return _render_section(request, section)
    article = (
        ArticlePage.objects.published()
        .filter(url_path=url_path, locale__language_code=language)
        .select_related("lead_image", "locale")
        .first()
    )
    if article is None:
        raise Http404(_("No such story."))
    return _render_article(request, article)


def _render_home(request, home: HomePage) -> TemplateResponse:
    return _respond(request, "lite/home.html", home, **home.front_page_context())


def _render_section(request, section: SectionPage) -> TemplateResponse:
    listing = section.get_context(request)["listing"]
    return _respond(request, "lite/section.html", section, listing=listing)


def _render_article(request, article: ArticlePage) -> TemplateResponse:
    article.prefetch_for_page()
    return _respond(request, "lite/article.html", article, related=article.related_articles())


def _respond(request, template: str, page, **context) -> TemplateResponse:
    base = {"page": page, "self": page, "full_url": page.url, "lite_home": reverse("lite_page", args=[""])}
    return TemplateResponse(request, template, {**base, **context})


def offline(request: HttpRequest) -> TemplateResponse:
    """What a reader sees when a page was not saved for offline reading."""
    return TemplateResponse(
        request,
        "lite/offline.html",
        {"lite_home": reverse("lite_page", args=[""]), "saved": settings.KHABAR_LITE_OFFLINE_ARTICLES},
    )


def latest(request: HttpRequest) -> JsonResponse:
    """The pages the service worker keeps for offline reading: the lite home and the latest N stories."""
    home = _home(_language())
    stories = ArticlePage.objects.descendant_of(home).published().order_by("-first_published_at", "-pk")
    stories = stories.defer_streamfields().only("title", "url_path", "path", "depth", "locale")
    articles = [
        {"url": lite_url(story), "title": story.title} for story in stories[: settings.KHABAR_LITE_OFFLINE_ARTICLES]
    ]
    response = JsonResponse({"home": reverse("lite_page", args=[""]), "articles": articles})
    response["Cache-Control"] = "public, max-age=60"
    return response


def _worker_version(language: str) -> str:
    """Changes whenever what the worker keeps or how it runs changes, so readers' browsers update it."""
    sources = [get_template(name).template.source for name in ("lite/sw.js", "lite/offline.html", "lite/base.html")]
    parts = [
        language,
        staticfiles_storage.url("lite/lite.css"),
        staticfiles_storage.url("lite/lite.js"),
        str(settings.KHABAR_LITE_OFFLINE_ARTICLES),
        *sources,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def service_worker(request: HttpRequest) -> HttpResponse:
    language = _language()
    context = {
        "version": _worker_version(language),
        "language": language,
        "scope": reverse("lite_page", args=[""]),
        "offline_url": reverse("lite_offline"),
        "latest_url": reverse("lite_latest"),
        "css_url": staticfiles_storage.url("lite/lite.css"),
        "js_url": staticfiles_storage.url("lite/lite.js"),
    }
    body = render_to_string("lite/sw.js", context)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # Browsers check the worker for updates on each visit; never keep a stale copy in between.
    response["Cache-Control"] = "no-cache"
    return response


def picture(request: HttpRequest, token: str) -> HttpResponse:
    """A story's picture, only when the reader asks for it (the link is on lite pages we rendered)."""
    try:
        image_id = int(signing.Signer(salt=PICTURE_SALT).unsign(token))
        image = get_image_model().objects.get(pk=image_id)
    except (signing.BadSignature, ObjectDoesNotExist, TypeError, ValueError):
        raise Http404(_("No such picture.")) from None
    rendition = image.get_rendition("max-800x800|format-jpeg|jpegquality-70")
    return HttpResponseRedirect(rendition.url)
