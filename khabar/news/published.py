"""One version for "what is published changed": any page published, unpublished, moved or deleted,
a view restriction changed, an embargo ended. Page fragments made from other pages than their own
(related stories, the head's language versions) name it in their key (khabar/core/fragments.py)."""

from khabar.core import fragments

NAME = "published"


def published_version() -> str:
    return fragments.version(NAME)


def published_changed(*args, **kwargs) -> None:
    fragments.changed(NAME)
