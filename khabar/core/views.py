"""Site-wide views: the edition redirect and the styled error pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import loader
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.vary import vary_on_headers


@vary_on_headers("Accept-Language")
def edition_redirect(request: HttpRequest) -> HttpResponse:
    """`/` sends the reader to the edition in their language (English by default)."""
    language = translation.get_language_from_request(request, check_path=False)
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        language = settings.LANGUAGE_CODE
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


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the database: the error may be the database itself.
    language = _language_from_path(request)
    with translation.override(language):
        template = loader.get_template("500.html")
        body = template.render({"LANGUAGE_CODE": language, "error_page": True, "minimal": True})
    return HttpResponse(body, status=500)
