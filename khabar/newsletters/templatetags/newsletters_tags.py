"""``{% newsletter_signup page %}``: the signup form, the same HTML for every reader (pages are cached)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from khabar.newsletters.forms import SignupForm

register = template.Library()


@register.simple_tag(takes_context=True)
def newsletter_signup(context, page=None) -> str:
    # No token and no reader data: the POST proves it comes from this site (khabar/core/csrf.py).
    language = translation.get_language() or settings.LANGUAGE_CODE
    form = SignupForm(language=language, auto_id="id_newsletter_%s")
    block = {"form": form, "post_url": reverse("newsletters:subscribe")}
    return render_to_string("newsletters/signup_form.html", block)
