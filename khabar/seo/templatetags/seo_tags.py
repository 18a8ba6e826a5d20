"""Head metadata for reader pages: canonical, hreflang, OpenGraph, Twitter cards, JSON-LD."""

from django import template
from django.template.loader import render_to_string

from khabar.seo import metadata

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context) -> str:
    head = metadata.build(context)
    if head is None:
        return ""
    return render_to_string("seo/head.html", {"head": head})


@register.simple_tag(takes_context=True)
def translated_url(context, code: str) -> str:
    """Where the language switcher goes: this page's published translation, else that edition's home."""
    from khabar.seo.metadata import language_versions

    page = context.get("page")
    if page is not None and getattr(page, "translation_key", None):
        for version in language_versions(page):
            if version.locale.language_code == code:
                return version.url
    return f"/{code}/"
