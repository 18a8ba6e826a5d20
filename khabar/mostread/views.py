"""POST /views/: the page-view beacon. It answers 204 and never sets a cookie.

What is counted: one view of a published article per reader address per
KHABAR_MOSTREAD_DEDUPE_MINUTES. The address is never stored: the de-duplication key is an HMAC
of the address and the article id under SECRET_KEY and a salt that changes every day, kept only
for the window. Not counted: bots and clients without a User-Agent, staff (signed-in admin users,
whose previews and checks are not readers), unknown, unpublished or embargoed articles.

**CSRF.** ``navigator.sendBeacon`` cannot send a CSRF header, and the cached article carries no
token. The endpoint is exempt from Django's token check because a forged view writes nothing
personal, changes nobody's data and counts at most once per address and window. Instead it
accepts only a form-encoded or plain-text body and only a request the browser marks as coming
from this site (``Sec-Fetch-Site: same-origin`` or a same-origin ``Origin``): another site can
neither make a reader's browser count views here nor read anything back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from khabar.core import http
from khabar.core.ratelimit import client_ip, hit, ip_hash
from khabar.core.staff import has_admin_access
from khabar.news.models import ArticlePage

from . import counters

MAX_BODY_BYTES = 256
CONTENT_TYPES = ("application/x-www-form-urlencoded", "text/plain")
BOTS = re.compile(
    r"bot|crawl|spider|slurp|preview|headless|lighthouse|pingdom|monitor|curl|wget|python|httpclient|java/|go-http",
    re.IGNORECASE,
)
_ID = re.compile(r"^[1-9][0-9]{0,17}$")
PUBLISHED_SECONDS = 60


def _same_origin(request: HttpRequest) -> bool:
    site = request.META.get("HTTP_SEC_FETCH_SITE")
    if site:
        return site == "same-origin"
    origin = request.META.get("HTTP_ORIGIN")
    return bool(origin) and (
        origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS
    )


def is_bot(request: HttpRequest) -> bool:
    agent = request.META.get("HTTP_USER_AGENT", "").strip()
    return not agent or bool(BOTS.search(agent))


def _article_id(request: HttpRequest) -> int | None:
    value = request.POST.get("article", "")
    if not value and request.content_type == "text/plain":
        value = request.body.decode("ascii", "replace").strip()
    return int(value) if _ID.match(value) else None


def is_published(article_id: int) -> bool:
    """Asked once a minute per article, not once per view (the flush job checks again)."""
    key = f"mostread:published:{article_id}"
    known = cache.get(key)
    if known is None:
        known = ArticlePage.objects.published().filter(pk=article_id).exists()
        cache.set(key, known, PUBLISHED_SECONDS)
    return known


def daily_salt(now) -> bytes:
    day = now.astimezone(UTC).date().isoformat()
    return hmac.new(settings.SECRET_KEY.encode(), f"mostread:{day}".encode(), hashlib.sha256).digest()


def first_view(request: HttpRequest, article_id: int, now) -> bool:
    """True the first time this address reads this article within the window (the key then expires)."""
    digest = hmac.new(daily_salt(now), f"{client_ip(request)}|{article_id}".encode(), hashlib.sha256)
    return cache.add(f"mostread:seen:{digest.hexdigest()[:32]}", 1, settings.KHABAR_MOSTREAD_DEDUPE_MINUTES * 60)


def _no_content() -> HttpResponse:
    return http.private(HttpResponse(status=204))


@csrf_exempt
@http.limit_body(MAX_BODY_BYTES, _("This request is too large to be a page view."))
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    if request.content_type not in CONTENT_TYPES:
        return http.refusal(request, 415, _("A page view is sent as a form or plain text."))
    if not _same_origin(request):
        return http.refusal(request, 403, _("A page view is counted only from this site's pages."))
    verdict = hit("mostread", ip_hash(request), limit=settings.KHABAR_MOSTREAD_BEACONS_PER_MINUTE, window=60)
    if not verdict.allowed:
        response = http.refusal(request, 429, _("Too many page views from your network."))
        response["Retry-After"] = str(verdict.retry_after)
        return response
    article_id = _article_id(request)
    if article_id is None:
        return http.refusal(request, 400, _("Which article was read is missing."))
    if is_bot(request) or has_admin_access(getattr(request, "user", None)):
        return _no_content()
    now = timezone.now()
    if is_published(article_id) and first_view(request, article_id, now):
        counters.count_view(article_id, now)
    return _no_content()
