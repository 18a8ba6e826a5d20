"""The reaction block on the article page ("Do you like this article?").

The block is the same HTML for every reader, so the page can be cached whole:
no counts, no vote, no CSRF token. A reader's result comes from the never-cached
endpoints in views.py, through reactions.js or, without JavaScript, a frame.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def article_reaction(context, page) -> str:
    if not getattr(page, "reactions_enabled", False):
        return ""
    return render_to_string(
        "reactions/reaction.html",
        {
            "article_id": page.pk,
            "vote_url": reverse("reaction", args=[page.pk]),
            "result_url": reverse("reaction_result", args=[page.pk]),
        },
        request=context.get("request"),
    )
