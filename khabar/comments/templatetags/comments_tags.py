"""Comment template tags used by news templates: the article's comment block and the listing count."""

from __future__ import annotations

from django import template
from django.core.paginator import Page as PaginatorPage
from django.db.models.query import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import LazyObject
from django.utils.html import format_html
from django.utils.translation import ngettext

from khabar.comments import rules
from khabar.comments.config import policy_url, reader_config
from khabar.comments.forms import CommentForm
from khabar.comments.models import MAX_LENGTH, CommentReport, Mode
from khabar.comments.thread import comments_version, counts_for, thread_page
from khabar.core.fragments import fragment
from khabar.core.templatetags.khabar_tags import digits

register = template.Library()

_COUNTS_KEY = "khabar_comment_counts"


def count_label(count: int) -> str:
    # In the edition's digits, as its dates and the reaction counts are.
    return digits(ngettext("%(count)s Comment", "%(count)s Comments", count) % {"count": count})


@register.simple_tag(takes_context=True)
def article_comments(context, page) -> str:
    """The comment block at the end of an article: the same HTML for every reader (it is cached),
    rendered once per version of the article's comments (khabar/core/fragments.py)."""
    request = context.get("request")
    config = reader_config()[0]
    mode = rules.effective_mode(page, config)
    policy = policy_url(page)
    parts = (page.pk, comments_version(page.pk), mode, policy)
    return fragment(request, "comments", parts, lambda: _comment_block(context, page, mode, policy))


def _comment_block(context, page, mode: str, policy: str) -> str:
    count = _counts(context, page)[page.pk]
    block = {
        "article": page,
        "count": count,
        "count_label": count_label(count),
        "mode": mode,
        "closed": mode == Mode.CLOSED,
        "thread": thread_page(page.pk),
        "form": CommentForm(),
        "max_length": MAX_LENGTH,
        "policy_url": policy,
        "post_url": reverse("comments:post", args=[page.pk]),
        "list_url": reverse("comments:list", args=[page.pk]),
        "form_url": reverse("comments:form", args=[page.pk]),
        "report_reasons": CommentReport.Reason.choices,
    }
    return render_to_string("comments/article_comments.html", block, request=context.get("request"))


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


def _counts(context, article) -> dict[int, int]:
    """Approved counts of every article the page shows, fetched in one query on first use."""
    # Kept in the outermost context dict: included card templates share it, their render contexts do not.
    counts = context.dicts[0].get(_COUNTS_KEY)
    if counts is None or article.pk not in counts:
        ids = {article.pk}
        for value in context.flatten().values():
            # Never touch lazy values (csrf_token, user): evaluating them sets a cookie or reads the
            # session, and the page could then no longer be cached for everyone.
            if not isinstance(value, LazyObject):
                ids.update(a.pk for a in _articles_in(value))
        counts = {**(counts or {}), **counts_for(ids)}
        context.dicts[0][_COUNTS_KEY] = counts
    return counts


@register.simple_tag(takes_context=True)
def comment_count(context, article) -> str:
    """ "3 Comments" on a listing card: every article the page lists is counted in one query, on first use."""
    n = _counts(context, article).get(article.pk, 0)
    return format_html('<span class="comment-count">{}</span>', count_label(n))
