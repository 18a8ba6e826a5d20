"""Feed discovery links for listing pages. Placeholder until the distribution issue lands."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context) -> str:
    return ""
