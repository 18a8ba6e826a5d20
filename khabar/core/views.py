"""Site-wide views: the edition redirect and the styled error pages."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.vary import vary_on_headers

from khabar.core.http import private, wants_json
from khabar.lib import languages


@vary_on_headers("Accept-Language")
def edition_redirect(request: HttpRequest) -> HttpResponse:
    """`/` sends the reader to the edition in their browser's language (KHABAR_DEFAULT_LANGUAGE when
    none fits). Only the header decides (no cookie), so Vary: Accept-Language is the whole story
    for a shared cache; the page cache never stores `/` (it is no edition's page)."""
    language = languages.best_edition(request.headers.get("Accept-Language"))
    response = HttpResponseRedirect(f"/{language}/")
    response["Cache-Control"] = "private, max-age=0"
    return response


def _language_from_path(request: HttpRequest) -> str:
    language = translation.get_language_from_path(request.path_info)
    return language or settings.LANGUAGE_CODE


def _error_page(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    with translation.override(_language_from_path(request)):
        template = loader.get_template(template_name)
        body = template.render({"request": request, "error_page": True}, request)
    return HttpResponse(body, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "404.html", 404)


logger = logging.getLogger("khabar.db")


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """503 + Retry-After for a database that is locked, busy past its wait or unreachable
    (django.db.OperationalError: SQLite's "database is locked" after KHABAR_DB_BUSY_TIMEOUT,
    PostgreSQL's lock_timeout, a lost connection). Made without the database."""
    # With the traceback: an OperationalError is not always a lock (e.g. SQLite's "no such table").
    logger.warning("database unavailable, answering 503: %s", exception, exc_info=exception)
    with translation.override(_language_from_path(request)):
        message = _("The newsroom's database is busy. Please try again in a few seconds.")
    if wants_json(request):
        response = JsonResponse({"error": message}, status=503)
    else:
        response = HttpResponse(message + "\n", status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(settings.KHABAR_DB_RETRY_AFTER)  # delta-seconds
    return private(response)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # A database error outside a view (e.g. saving the session) is the same 503 as inside one
    # (khabar.ops.middleware.DatabaseUnavailableMiddleware answers those).
    exception = sys.exception()
    if isinstance(exception, OperationalError):
        return database_unavailable(request, exception)
    # Rendered without the database: the error may be the database itself.
    language = _language_from_path(request)
    with translation.override(language):
        template = loader.get_template("500.html")
        body = template.render({"LANGUAGE_CODE": language, "error_page": True, "minimal": True})
    return HttpResponse(body, status=500)


# Django's LocaleMiddleware answers a 404 at the site root by redirecting to /<lang>/<same path>
# whenever that path resolves, and the page catch-all under /<lang>/ resolves every path. A root
# API's 404 (a JSON answer a client acts on) must reach the client as it is: a 404 answered with
# this URLconf (no edition patterns) is left alone by the middleware.
NO_EDITIONS_URLCONF = "khabar.core.urls"


def keep_not_found(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.status_code == 404:
        request.urlconf = NO_EDITIONS_URLCONF
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which every browser asks for whatever the page links (no 404 per page view)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    with staticfiles_storage.open("khabar/favicon.ico") as icon:
        response = HttpResponse(icon.read(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
