"""``{% newsletter_signup page %}``: the signup form, the same HTML for every reader (pages are cached)."""

from __future__ import annotations

from collections import OrderedDict

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from khabar.newsletters.forms import SignupForm, section_choices

register = template.Library()


# The rendered form per everything it is made of (language, the edition's sections, the editions):
# Django's form rendering costs a couple of milliseconds a page, and the result is the same for
# every page of an edition. A changed section list is a new key; the old ones age out.
_rendered: OrderedDict[tuple, str] = OrderedDict()
_RENDERED_MAX = 64


@register.simple_tag(takes_context=True)
def newsletter_signup(context, page=None) -> str:
    # No token and no reader data: the POST proves it comes from this site (khabar/core/csrf.py).
    language = translation.get_language() or settings.LANGUAGE_CODE
    post_url = reverse("newsletters:subscribe")
    key = (language, post_url, tuple(section_choices(language)), tuple(settings.LANGUAGES))
    html = _rendered.get(key)
    if html is None:
        form = SignupForm(language=language, auto_id="id_newsletter_%s")
        html = render_to_string("newsletters/signup_form.html", {"form": form, "post_url": post_url})
        _rendered[key] = html
        while len(_rendered) > _RENDERED_MAX:
            _rendered.popitem(last=False)
    return html
