"""Head metadata for reader pages. Placeholder until the distribution issue lands."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context) -> str:
    return ""
