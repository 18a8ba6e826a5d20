"""Request hardening that Django's own settings do not cover.

- ``RequestIdMiddleware``: one id per request (from a trusted proxy's X-Request-ID or new), echoed in the
  response and attached to every log line written while the request runs.
- ``BodySizeLimitMiddleware``: refuses an oversized body from its Content-Length with 413 and a reason,
  before anything reads it.
- ``SecurityHeadersMiddleware``: Permissions-Policy everywhere; the relaxed admin CSP under the admin path.
- ``StaffSessionExpiryMiddleware``: a staff session (anyone with admin access, khabar.core.staff) ends
  KHABAR_STAFF_SESSION_SECONDS after sign-in, whatever "remember me" said.
- ``StaffTwoFactorMiddleware``: staff who enrolled a TOTP device must enter a code before using the admin.
- ``DatabaseUnavailableMiddleware``: a view that meets a locked, busy or unreachable database (any
  django.db.OperationalError) answers 503 with Retry-After, as JSON to scripts, instead of a 500 page.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override

from khabar.core.staff import has_admin_access, needs_second_factor
from khabar.core.views import database_unavailable
from khabar.ops.logging import request_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def is_admin_path(path: str) -> bool:
    return path.startswith(f"/{settings.ADMIN_PATH}/")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        # Only a well-formed id from a proxy is kept: a reader must not be able to write into our logs.
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_context.set({"request_id": request_id, "path": request.path, "method": request.method})
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class BodySizeLimitMiddleware:
    """413 for a declared body larger than the limit (readers: KHABAR_MAX_BODY_BYTES; admin: larger).

    A body sent without Content-Length (chunked) is still bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
    which answers 400 when it is passed; gunicorn's limit_request_* settings bound the headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return _plain(400, _("The request's Content-Length header is not a number."))
        if length < 0:
            return _plain(400, _("The request's Content-Length header is not a number."))
        limit = (
            settings.KHABAR_ADMIN_MAX_BODY_BYTES
            if is_admin_path(request.path)
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if length > limit:
            return _plain(
                413,
                _("The request is too large (%(size)s bytes; the limit is %(limit)s bytes).")
                % {"size": length, "limit": limit},
            )
        return self.get_response(request)


def _plain(status: int, reason: str) -> HttpResponse:
    response = HttpResponse(reason + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    # The body was not read: the connection cannot be reused safely.
    response["Connection"] = "close"
    return response


class NulAddressMiddleware:
    """A NUL character never names a page, and PostgreSQL refuses it in any text parameter (a 500
    wherever the value reaches a query). In the path, or in an API query: 400 with the reason (a
    machine should learn its request is wrong). In a reader's query string it is dropped, like the
    other control characters the forms drop, so a pasted search still finds its story."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        nul_in_query = "%00" in query or "\x00" in query
        if "\x00" in request.path or (nul_in_query and request.path.startswith("/api/")):
            reason = _("The address contains a NUL character.")
            if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
                response = JsonResponse({"error": reason}, status=400)
            else:
                response = HttpResponse(reason + "\n", status=400, content_type="text/plain; charset=utf-8")
            response["Cache-Control"] = "no-store"
            return response
        if nul_in_query:
            # request.GET is built lazily from QUERY_STRING, so nothing has parsed it yet.
            request.META["QUERY_STRING"] = query.replace("%00", "").replace("\x00", "")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        # Everything under the admin path gets the admin's policy (see settings), through Django's own override.
        self.get_admin_response = csp_override(settings.KHABAR_ADMIN_CSP)(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        admin = is_admin_path(request.path)
        response = (self.get_admin_response if admin else self.get_response)(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        if admin:
            # The admin frames its own page preview.
            response.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response


class StaffTwoFactorMiddleware:
    """After the password, staff with a confirmed TOTP device must give a code before any admin page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._needs_code(request):
            verify_url = reverse("ops_two_factor_verify")
            next_url = request.get_full_path()
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = f"/{settings.ADMIN_PATH}/"
            return HttpResponseRedirect(f"{verify_url}?{urlencode({'next': next_url})}")
        return self.get_response(request)

    @staticmethod
    def _needs_code(request: HttpRequest) -> bool:
        if not is_admin_path(request.path):
            return False
        exempt = {reverse("ops_two_factor_verify"), reverse("wagtailadmin_logout"), reverse("wagtailadmin_login")}
        if request.path in exempt:
            return False
        # Outside the admin the same rule holds through khabar.core.staff.verified_staff.
        return needs_second_factor(request)


class StaffSessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from khabar.ops.signal_handlers import STAFF_LOGIN_AT

        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, no staff: and not touching request.user keeps the response cacheable
            # (reading the session marks the response "Vary: Cookie").
            return self.get_response(request)
        user = getattr(request, "user", None)
        if has_admin_access(user):
            signed_in_at = request.session.get(STAFF_LOGIN_AT)
            if signed_in_at is None:
                # A session from before this rule (or from force_login): its clock starts now.
                request.session[STAFF_LOGIN_AT] = int(time.time())
            elif time.time() - signed_in_at > settings.KHABAR_STAFF_SESSION_SECONDS:
                auth.logout(request)
                if is_admin_path(request.path):
                    login_url = reverse("wagtailadmin_login")
                    return HttpResponseRedirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """The database is locked (SQLite waits KHABAR_DB_BUSY_TIMEOUT seconds for another writer, then
    says "database is locked"), a PostgreSQL lock wait passed lock_timeout, or the connection is gone:
    the reader is told to retry (503, Retry-After), as ``{"error": ...}`` when a script asked.
    Errors outside a view reach the same answer through handler500 (khabar.core.views.server_error)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError):
            return database_unavailable(request, exception)
        return None
