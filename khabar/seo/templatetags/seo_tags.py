"""Head metadata for reader pages: canonical, hreflang, OpenGraph, Twitter cards, JSON-LD."""

from django import template
from django.template.loader import render_to_string

from khabar.core import fragments
from khabar.news.models import ArticlePage
from khabar.news.published import published_version
from khabar.seo import metadata
from khabar.seo.signal_handlers import PUBLISHER_FRAGMENTS

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context) -> str:
    """An article's head is rendered once per change to it, to what is published (its language
    versions, its authors) or to the newsroom settings and images (publisher, logo, pictures);
    other pages' heads depend on their listing."""
    page, request = context.get("page"), context.get("request")
    if isinstance(page, ArticlePage) and request is not None and not request.GET and not context.get("error_page"):
        versions = (published_version(), fragments.version(PUBLISHER_FRAGMENTS))
        # The revision names the corrections and update time too: they are published with it.
        parts = (page.pk, page.latest_revision_id, page.live_revision_id, page.last_published_at, *versions)
        return fragments.fragment(request, "head", parts, lambda: _head(context))
    return _head(context)


def _head(context) -> str:
    page = context.get("page")
    if isinstance(page, ArticlePage):
        page.prefetch_for_page()
    head = metadata.build(context)
    if head is None:
        return ""
    return render_to_string("seo/head.html", {"head": head})


@register.simple_tag(takes_context=True)
def translated_url(context, code: str) -> str:
    """Where the language switcher goes: this page's published translation, else that edition's home."""
    from khabar.seo.metadata import language_versions

    page = context.get("page")
    if page is None or not getattr(page, "translation_key", None):
        return f"/{code}/"

    def urls() -> dict[str, str]:
        return {version.locale.language_code: version.url for version in language_versions(page)}

    # Kept between renders: the switcher's query is the same for every render of every page with
    # this translation key until something is published, unpublished or moved (published_version).
    parts = (page.translation_key, type(page).__name__, published_version())
    return fragments.remember(context.get("request"), "translations", parts, urls).get(code) or f"/{code}/"
