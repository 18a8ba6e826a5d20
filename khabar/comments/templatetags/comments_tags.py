"""Comment template tags used by news templates. Placeholder until the engagement issue lands."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def article_comments(context, page) -> str:
    return ""


@register.simple_tag
def comment_count(article) -> str:
    return ""
