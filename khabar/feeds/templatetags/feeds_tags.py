"""Feed discovery: <link rel="alternate"> in the <head> of every reader page.

A listing page (edition home, section, author, topic) advertises its own RSS and Atom
feeds; every page also advertises its edition's feed.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from khabar.news.models import AuthorPage, HomePage, SectionPage

register = template.Library()

RSS = "application/rss+xml"
ATOM = "application/atom+xml"


def _listing(context) -> tuple[str, str] | None:
    """(title, listing path) of the page's own feed, or None when it is not a listing."""
    page = context.get("page")
    topic = context.get("topic")
    if topic is not None and isinstance(page, HomePage):
        return topic.name, page.topic_url(topic.slug)
    if isinstance(page, SectionPage | AuthorPage):
        return page.title, page.url
    return None


@register.simple_tag(takes_context=True)
def feed_links(context) -> str:
    if context.get("error_page"):
        return ""
    edition = context.get("edition")
    language = getattr(edition, "language", None)
    links = []
    listing = _listing(context)
    if listing and listing[1]:
        title, path = listing
        links += [(RSS, _("%(title)s (RSS)") % {"title": title}, path + "feed/")]
        links += [(ATOM, _("%(title)s (Atom)") % {"title": title}, path + "feed/atom/")]
    if language:
        site = context.get("SITE_NAME", "")
        links += [(RSS, _("%(site)s: latest stories (RSS)") % {"site": site}, f"/{language}/feed/")]
        links += [(ATOM, _("%(site)s: latest stories (Atom)") % {"site": site}, f"/{language}/feed/atom/")]
    return format_html_join("\n", '<link rel="alternate" type="{}" title="{}" href="{}">', links) or format_html("")
