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
