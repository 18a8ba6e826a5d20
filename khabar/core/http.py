"""How per-reader endpoints answer: JSON for scripts, a page otherwise, never stored, small bodies.

The comment, reaction and CSRF-token endpoints (and the 503 handler) share these, so a script gets
the same ``{"error": ...}`` shape and a browser the same caching rules everywhere.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers


def wants_json(request: HttpRequest) -> bool:
    """A script's request (the comment and reaction scripts send ``Accept: application/json``), an
    XMLHttpRequest, or the read API: it gets ``{"error": ...}``, not a page."""
    return (
        "application/json" in request.headers.get("Accept", "")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or request.path.startswith("/api/")
    )


def private(response: HttpResponse) -> HttpResponse:
    """Per-reader: no browser or shared cache keeps it (Django's never_cache headers, plus private)."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A plain refusal made without templates or the database: ``{"error": ...}`` or one line of text."""
    if wants_json(request):
        return private(JsonResponse({"error": str(message)}, status=status))
    return private(HttpResponse(f"{message}\n", status=status, content_type="text/plain; charset=utf-8"))


def limit_body(max_bytes: int, message: str):
    """Refuse a body larger than ``max_bytes`` with 413 before anything reads it (the site-wide
    ceiling is ops.middleware.BodySizeLimitMiddleware; an endpoint that takes a word sets less).

    The refusal needs no database (a flood of large bodies costs no queries); the refused body is
    read away in small pieces so the connection stays usable for keep-alive.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            try:
                size = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                size = max_bytes + 1
            if size > max_bytes:
                _discard_body(request)
                return refusal(request, 413, message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _discard_body(request: HttpRequest) -> None:
    """An unread body would be taken for the next request on the connection, which the server then
    drops after having said "keep-alive". BodySizeLimitMiddleware has already refused bodies larger
    than DATA_UPLOAD_MAX_MEMORY_SIZE (with Connection: close), so at most that much is read."""
    try:
        while request.read(64 * 1024):
            pass
    except OSError:  # the reader went away: nothing to keep alive
        pass
