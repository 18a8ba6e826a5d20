"""Builders for the newsletter tests, and a real SMTP server (aiosmtpd) bound to 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import time

from khabar.newsletters.models import Kind, Newsletter, Status, Subscriber


def newsletter(language: str = "en", kind: str = Kind.DAILY, send_time: time = time(7, 0), **fields) -> Newsletter:
    from wagtail.models import Locale

    from khabar import testing

    testing.home(language)
    locale = Locale.objects.get(language_code=language)
    return Newsletter.objects.create(
        name=fields.pop("name", f"{kind} {language}"), locale=locale, kind=kind, send_time=send_time, **fields
    )


def subscriber(email_address: str, news: Newsletter, **fields) -> Subscriber:
    wanted = {Kind.DAILY: "daily", Kind.SECTIONS: "sections_digest", Kind.ALERTS: "alerts"}[news.kind]
    fields.setdefault(wanted, True)
    return Subscriber.objects.create(email=email_address, locale=news.locale, status=Status.CONFIRMED, **fields)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it received; addresses in ``refuse`` get a 5xx, in ``defer`` a 4xx."""

    def __init__(self) -> None:
        self.messages: list = []
        self.refuse: set[str] = set()
        self.defer: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        if address in self.defer:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def smtp_server():
    """A started (Controller, Inbox, port); stop it with ``controller.stop()``."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox, port
