"""Recording votes and reading results. Views stay thin; this is where the rules live.

A reader is a random id in a signed cookie (``django.core.signing``): a forged or
edited cookie fails the signature and is refused, so nobody can speak for
another reader's vote. Clearing the cookie makes a new reader, which is why
every vote also passes a rate limit on the salted hash of the IP address.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from khabar.news.models import ArticlePage

from .models import Reaction, ReactionTotals, Vote

COOKIE_NAME = "khabar_reader"
COOKIE_SALT = "khabar.reactions.reader"
COOKIE_MAX_AGE = 365 * 24 * 3600
_READER_ID = re.compile(r"^[0-9a-f]{32}$")


class TamperedCookie(Exception):
    """The reader cookie is present but its signature (or content) is not ours."""


def reader_from_request(request: HttpRequest) -> str | None:
    """The reader id from the signed cookie; None when there is no cookie; TamperedCookie when it is forged."""
    if not request.COOKIES.get(COOKIE_NAME):
        return None
    try:
        reader = request.get_signed_cookie(COOKIE_NAME, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except signing.SignatureExpired:
        return None  # an honest old cookie: this browser simply starts afresh
    except signing.BadSignature as error:
        raise TamperedCookie from error
    if not _READER_ID.match(reader):
        raise TamperedCookie
    return reader


def new_reader_id() -> str:
    return secrets.token_hex(16)


def set_reader_cookie(response: HttpResponse, reader: str) -> None:
    response.set_signed_cookie(
        COOKIE_NAME,
        reader,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.CSRF_COOKIE_SECURE,
    )


def published_article(article_id: int) -> ArticlePage | None:
    """The article if a reader may see it (live, public, past its embargo), with its totals: one query."""
    return (
        ArticlePage.objects.published()
        .filter(pk=article_id)
        .defer_streamfields()
        .select_related("reaction_totals", "locale")
        .first()
    )


def totals_of(article: ArticlePage) -> ReactionTotals:
    try:
        return article.reaction_totals
    except ReactionTotals.DoesNotExist:
        return ReactionTotals(article_id=article.pk)


@transaction.atomic
def record_vote(article: ArticlePage, reader: str, vote: str) -> ReactionTotals:
    """Store or change this reader's vote and move the totals by the difference, never double-counting."""
    if totals_of(article)._state.adding:
        ReactionTotals.objects.get_or_create(article_id=article.pk)
    previous = Reaction.objects.select_for_update().filter(article_id=article.pk, reader=reader).first()
    if previous is None:
        try:
            with transaction.atomic():
                Reaction.objects.create(article_id=article.pk, reader=reader, vote=vote)
        except IntegrityError:
            # The same reader's other request (a double click) got there first: treat this one as a change.
            previous = Reaction.objects.select_for_update().get(article_id=article.pk, reader=reader)
    if previous is not None:
        if previous.vote == vote:
            return ReactionTotals.objects.get(pk=article.pk)
        Reaction.objects.filter(pk=previous.pk).update(vote=vote)
    delta = {vote: F(vote) + 1}
    if previous is not None:
        delta[previous.vote] = F(previous.vote) - 1
    ReactionTotals.objects.filter(pk=article.pk).update(**delta)
    return ReactionTotals.objects.get(pk=article.pk)


def vote_of(article: ArticlePage, reader: str | None) -> str | None:
    if reader is None:
        return None
    return Reaction.objects.filter(article_id=article.pk, reader=reader).values_list("vote", flat=True).first()


@dataclass
class Result:
    yes: int
    no: int
    total: int
    share_yes: int
    vote: str | None

    @classmethod
    def of(cls, totals: ReactionTotals, vote: str | None) -> Result:
        return cls(totals.yes, totals.no, totals.total_votes, totals.share_yes, vote)

    @property
    def summary(self) -> str:
        return ngettext(
            "%(share)s%% said yes · %(count)s vote",
            "%(share)s%% said yes · %(count)s votes",
            self.total,
        ) % {"share": self.share_yes, "count": self.total}

    @property
    def your_vote(self) -> str:
        if self.vote == Vote.YES:
            return _("You said yes.")
        if self.vote == Vote.NO:
            return _("You said no.")
        return ""

    def as_json(self) -> dict:
        return {
            "yes": self.yes,
            "no": self.no,
            "total": self.total,
            "share_yes": self.share_yes,
            "vote": self.vote,
            "summary": self.summary,
            "your_vote": self.your_vote,
        }
