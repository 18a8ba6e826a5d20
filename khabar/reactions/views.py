"""The reaction endpoints. Nothing here is ever cached: it is where per-reader data lives.

- POST /reactions/<id>/          vote "yes" or "no" (JSON for fetch, a 303 back to the article without JS)
- GET  /reactions/<id>/          JSON: counts, share of Yes and this reader's vote
- GET  /reactions/<id>/result/   a tiny HTML fragment for readers without JavaScript (shown in a
                                 same-origin frame on the cached article after they vote)
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods

from khabar.core import http
from khabar.core.csrf import cached_form_csrf
from khabar.core.http import private, wants_json
from khabar.core.ratelimit import hit, ip_hash, too_many_requests
from khabar.core.templatetags.khabar_tags import digits
from khabar.news.models import ArticlePage

from . import votes
from .models import Vote

MAX_BODY_BYTES = 2048


def _refuse(request: HttpRequest, status: int, reason: str, article: ArticlePage | None = None) -> HttpResponse:
    if wants_json(request):
        response = JsonResponse({"error": reason}, status=status)
    else:
        context = {"reason": reason, "article_url": article.get_url(request) if article else None}
        response = render(request, "reactions/refused.html", context, status=status)
    return private(response)


# A vote is a word; anything bigger than this is not a vote.
small_body = http.limit_body(MAX_BODY_BYTES, gettext_lazy("This request is too large to be a vote."))


def _readable_article(request: HttpRequest, article_id: int) -> tuple[ArticlePage | None, HttpResponse | None]:
    article = votes.published_article(article_id)
    if article is None:
        return None, _refuse(request, 404, _("There is no such article."))
    if not article.reactions_enabled:
        return None, _refuse(request, 403, _("Reactions are switched off for this article."), article)
    return article, None


def _reader(request: HttpRequest, article: ArticlePage) -> tuple[str | None, HttpResponse | None]:
    try:
        return votes.reader_from_request(request), None
    except votes.TamperedCookie:
        response = _refuse(
            request, 400, _("Your reaction cookie is not valid. It has been removed; please try again."), article
        )
        response.delete_cookie(votes.COOKIE_NAME, samesite="Lax")
        return None, response


def _rate_limited(request: HttpRequest, article: ArticlePage) -> HttpResponse | None:
    reader_ip = ip_hash(request)
    for verdict in (
        hit(
            "reaction-article",
            f"{reader_ip}:{article.pk}",
            limit=settings.KHABAR_REACTION_VOTES_PER_ARTICLE,
            window=3600,
        ),
        hit("reaction", reader_ip, limit=settings.KHABAR_REACTION_VOTES_PER_HOUR, window=3600),
    ):
        if not verdict.allowed:
            if wants_json(request):
                response = JsonResponse(
                    {
                        "error": _("Too many votes from your network. Please try again later."),
                        "retry_after": verdict.retry_after,
                    },
                    status=429,
                )
                response["Retry-After"] = str(verdict.retry_after)
                return private(response)
            return private(too_many_requests(request, verdict.retry_after))
    return None


@small_body
@cached_form_csrf
@require_http_methods(["GET", "HEAD", "POST"])
def reaction(request: HttpRequest, article_id: int) -> HttpResponse:
    article, refused = _readable_article(request, article_id)
    if refused:
        return refused
    with translation.override(article.locale.language_code):
        if request.method == "POST":
            return _vote(request, article)
        reader, refused = _reader(request, article)
        if refused:
            return refused
        result = votes.Result.of(votes.totals_of(article), votes.vote_of(article, reader))
        return private(JsonResponse(_json(result)))


def _vote(request: HttpRequest, article: ArticlePage) -> HttpResponse:
    choice = request.POST.get("vote", "")
    if choice not in Vote.values:
        return _refuse(request, 400, _("Please answer yes or no."), article)
    reader, refused = _reader(request, article)
    if refused:
        return refused
    limited = _rate_limited(request, article)
    if limited:
        return limited
    reader = reader or votes.new_reader_id()
    totals = votes.record_vote(article, reader, choice)
    if wants_json(request):
        response = JsonResponse(_json(votes.Result.of(totals, choice)))
    else:
        # Back to the (cached, identical for everyone) article; the #reaction target reveals a
        # same-origin frame that reads this reader's result from /reactions/<id>/result/.
        response = HttpResponseRedirect(f"{article.get_url(request)}#reaction", status=303)
    votes.set_reader_cookie(response, reader)
    return private(response)


def _json(result: votes.Result) -> dict:
    data = result.as_json()
    data["summary"] = digits(data["summary"])
    return data


@require_GET
@xframe_options_sameorigin
@csp_override({**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]})
def result_frame(request: HttpRequest, article_id: int) -> HttpResponse:
    article, refused = _readable_article(request, article_id)
    if refused:
        return refused
    with translation.override(article.locale.language_code):
        reader, refused = _reader(request, article)
        if refused:
            return refused
        result = votes.Result.of(votes.totals_of(article), votes.vote_of(article, reader))
        context = {"result": result, "summary": digits(result.summary), "language": article.locale.language_code}
        return private(render(request, "reactions/result_frame.html", context))
