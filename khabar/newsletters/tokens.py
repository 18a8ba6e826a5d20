"""Signed links in newsletter emails (django.core.signing): confirm, unsubscribe, privacy.

Each carries the subscriber's id and their secret, so a link dies when the subscriber is deleted
(a new signup gets a new secret). Confirmation and privacy links expire; unsubscribe links never
do (a reader may unsubscribe from a year-old email).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from khabar.newsletters.models import Subscriber

CONFIRM_SALT = "khabar.newsletters.confirm"
UNSUBSCRIBE_SALT = "khabar.newsletters.unsubscribe"
PRIVACY_SALT = "khabar.newsletters.privacy"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 3
PRIVACY_MAX_AGE = 60 * 60 * 24 * 2


class Expired(Exception):
    pass


class Invalid(Exception):
    pass


@dataclass
class Choices:
    daily: bool
    sections_digest: bool
    alerts: bool
    sections: list[int]


def confirm_token(subscriber: Subscriber, choices: Choices) -> str:
    payload = {
        "id": subscriber.pk,
        "s": subscriber.secret,
        "n": subscriber.confirm_nonce,
        "c": [choices.daily, choices.sections_digest, choices.alerts, choices.sections],
    }
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def read_confirm(token: str) -> tuple[Subscriber, str, Choices]:
    """The subscriber, the nonce the link was made with, and the choices it confirms."""
    data = _loads(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    try:
        daily, sections_digest, alerts, sections = data["c"]
        choices = Choices(bool(daily), bool(sections_digest), bool(alerts), [int(pk) for pk in sections])
        subscriber = _subscriber(data["id"], data["s"])
        return subscriber, str(data["n"]), choices
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid from exc


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{subscriber.pk}.{subscriber.secret}")


def read_unsubscribe(token: str) -> Subscriber:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as exc:
        raise Invalid from exc
    pk, _dot, secret = value.partition(".")
    return _subscriber(pk, secret)


def privacy_token(email: str) -> str:
    return signing.TimestampSigner(salt=PRIVACY_SALT).sign(email.strip().casefold())


def read_privacy(token: str) -> str:
    try:
        return signing.TimestampSigner(salt=PRIVACY_SALT).unsign(token, max_age=PRIVACY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise Expired from exc
    except signing.BadSignature as exc:
        raise Invalid from exc


def _loads(token: str, salt: str, max_age: int) -> dict:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise Expired from exc
    except signing.BadSignature as exc:
        raise Invalid from exc
    if not isinstance(data, dict):
        raise Invalid
    return data


def _subscriber(pk, secret) -> Subscriber:
    try:
        subscriber = Subscriber.objects.select_related("locale").get(pk=int(pk))
    except (Subscriber.DoesNotExist, TypeError, ValueError) as exc:
        raise Invalid from exc
    if not secret or subscriber.secret != secret:
        raise Invalid
    return subscriber
