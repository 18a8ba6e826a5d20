"""CSRF protection for reader forms that sit on fully cached pages.

A cached page cannot carry a per-reader CSRF token. So:

1. With JavaScript (almost every reader), ``khabar/js/csrf.js`` fetches a token
   from ``/csrf/`` (never cached) and fills every ``form[data-csrf]`` before it
   is submitted; Django's normal token check then applies in full.
2. Without JavaScript, a POST that carries no token is accepted only when the
   browser itself says it comes from this site: ``Sec-Fetch-Site: same-origin``
   or an ``Origin`` header equal to this site's origin (or a trusted origin).
   Browsers send these on every form POST and a cross-site attacker cannot
   forge them from a victim's browser.

A POST with a wrong token, or with no token and no same-origin proof, gets a
403 with a reason. Staff-facing and account forms keep Django's plain CSRF.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from khabar.core.http import private, wants_json

TOKEN_FIELD = "csrfmiddlewaretoken"  # noqa: S105 (a field name, not a secret)


def _has_token(request: HttpRequest) -> bool:
    return bool(request.POST.get(TOKEN_FIELD) or request.META.get(settings.CSRF_HEADER_NAME))


def _same_origin(request: HttpRequest) -> bool:
    if request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin":
        return True
    origin = request.META.get("HTTP_ORIGIN")
    if not origin or origin == "null":
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def _refused(request: HttpRequest, reason: str):
    if wants_json(request):
        return private(JsonResponse({"error": reason}, status=403))
    return private(HttpResponseForbidden(reason, content_type="text/plain; charset=utf-8"))


def cached_form_csrf(view):
    """Protect a reader POST endpoint whose form lives on a cached page (see module docstring)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if _has_token(request):
                middleware = CsrfViewMiddleware(lambda r: None)
                failure = middleware.process_view(request, None, (), {})
                if failure is not None:
                    return _refused(request, _("This form has expired. Please reload the page and try again."))
            elif not _same_origin(request):
                return _refused(request, _("This form must be sent from this site (security check failed)."))
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
def csrf_token(request: HttpRequest) -> JsonResponse:
    """A fresh token for forms on cached pages; never cached."""
    return private(JsonResponse({"token": get_token(request)}))
