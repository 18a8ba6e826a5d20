"""Comment template tags used by news templates: the article's comment block and the listing count."""

from __future__ import annotations

from django import template
from django.core.paginator import Page as PaginatorPage
from django.db.models.query import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from khabar.comments import rules
from khabar.comments.forms import CommentForm
from khabar.comments.models import MAX_LENGTH, CommentReport, CommentSettings, Mode
from khabar.comments.thread import counts_for, thread_page

register = template.Library()

_COUNTS_KEY = "khabar_comment_counts"


def count_label(count: int) -> str:
    return ngettext("%(count)s Comment", "%(count)s Comments", count) % {"count": count}


@register.simple_tag(takes_context=True)
def article_comments(context, page) -> str:
    """The comment block at the end of an article: the same HTML for every reader (it is cached)."""
    request = context.get("request")
    config = CommentSettings.load(request_or_site=request)
    mode = rules.effective_mode(page, config)
    count = counts_for([page.pk])[page.pk]
    thread = thread_page(page.pk)
    policy = config.policy_page
    block = {
        "article": page,
        "count": count,
        "count_label": count_label(count),
        "mode": mode,
        "closed": mode == Mode.CLOSED,
        "thread": thread,
        "form": CommentForm(),
        "max_length": MAX_LENGTH,
        "policy_url": policy.url if policy and policy.live else "",
        "post_url": reverse("comments:post", args=[page.pk]),
        "list_url": reverse("comments:list", args=[page.pk]),
        "form_url": reverse("comments:form", args=[page.pk]),
        "report_reasons": CommentReport.Reason.choices,
    }
    return render_to_string("comments/article_comments.html", block, request=request)


def _articles_in(value, depth: int = 0):
    """Articles a listing template is about to show: pages, lists, evaluated querysets, sections' ``latest``."""
    from khabar.news.models import ArticlePage

    if isinstance(value, ArticlePage):
        yield value
        return
    if depth > 1:
        return
    if isinstance(value, QuerySet):
        items = value._result_cache or []  # never run a query just to look
    elif isinstance(value, PaginatorPage):
        items = value.object_list if isinstance(value.object_list, list) else list(value)
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return
    for item in items:
        yield from _articles_in(item, depth + 1)
        latest = getattr(item, "latest", None)
        if isinstance(latest, list):
            yield from _articles_in(latest, depth + 1)


@register.simple_tag(takes_context=True)
def comment_count(context, article) -> str:
    """ "3 Comments" on a listing card: every article the page lists is counted in one query, on first use."""
    # Kept in the outermost context dict: included card templates share it, their render contexts do not.
    counts = context.dicts[0].get(_COUNTS_KEY)
    if counts is None or article.pk not in counts:
        ids = {article.pk}
        for value in context.flatten().values():
            ids.update(a.pk for a in _articles_in(value))
        counts = {**(counts or {}), **counts_for(ids)}
        context.dicts[0][_COUNTS_KEY] = counts
    n = counts.get(article.pk, 0)
    return format_html('<span class="comment-count">{}</span>', count_label(n))
