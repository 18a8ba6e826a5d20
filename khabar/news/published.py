"""One version for "what is published changed": any page published, unpublished, moved or deleted,
a view restriction changed, an embargo ended. Page fragments made from other pages than their own
(related stories, the head's language versions) name it in their key (khabar/core/fragments.py)."""

from django.dispatch import Signal

from khabar.core import fragments

NAME = "published"

# Sent with ``article=`` when a live story becomes visible because its embargo ended (by scheduled
# publishing, khabar/newsroom/scheduler.py), which no Wagtail signal reports; channels that push a
# story to readers (Telegram) listen to it as they listen to page_published.
embargo_ended = Signal()


def published_version() -> str:
    return fragments.version(NAME)


def published_changed(*args, **kwargs) -> None:
    fragments.changed(NAME)
