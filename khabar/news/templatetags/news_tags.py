"""Article page parts kept rendered between renders (khabar/core/fragments.py)."""

from django import template
from django.conf import settings
from django.template.loader import get_template, render_to_string

from khabar.core import fragments
from khabar.news.published import published_version

register = template.Library()


@register.simple_tag(takes_context=True)
def related_stories(context, page) -> str:
    """The "Related stories" cards: rendered again when anything is published or unpublished, and at
    least as often as cached pages are (their comment counts move without a purge, as on listings)."""
    request = context.get("request")

    def render() -> str:
        return render_to_string("news/related.html", {"related": page.related_articles()}, request=request)

    parts = (page.pk, published_version())
    return fragments.fragment(request, "related", parts, render, timeout=settings.KHABAR_PAGE_CACHE_SECONDS)


@register.simple_tag(takes_context=True)
def article_story(context, page) -> str:
    """The story itself (headline, byline, dates, pictures, body, corrections, topics, sharing): it
    changes only when the article is published again, when what it links to is (its authors' pages,
    its section) or when an image changes, so it is rendered once per revision, what is published
    and the images. A kept story
    costs no query: the bylines, topics and corrections are loaded only to render it."""

    def render() -> str:
        page.prefetch_for_page()
        return get_template("news/story.html").template.render(context)

    versions = (published_version(), fragments.version(fragments.IMAGES))
    parts = (page.pk, page.live_revision_id, page.last_published_at, page.first_published_at, *versions)
    return fragments.fragment(context.get("request"), "story", parts, render)
