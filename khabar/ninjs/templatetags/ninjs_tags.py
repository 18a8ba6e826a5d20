"""Discovery of an article's ninjs item from its page: <link rel="alternate" type="application/json">."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def ninjs_link(page) -> str:
    if page is None or not getattr(page, "pk", None) or not getattr(page, "is_published", False):
        return ""
    return format_html(
        '<link rel="alternate" type="application/json" title="IPTC ninjs" href="{}">',
        reverse("ninjs:item", args=[page.pk]),
    )
