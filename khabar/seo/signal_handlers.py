"""Forget the cached publisher (name and logo) when the newsroom settings or an image change."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from khabar.core import fragments
from khabar.core.models import NewsImage, NewsroomSettings
from khabar.seo.metadata import PUBLISHER_CACHE_KEY

# The version of the publisher block that cached article heads name in their key.
PUBLISHER_FRAGMENTS = "publisher"


def forget_publisher(**kwargs) -> None:
    cache.delete(PUBLISHER_CACHE_KEY)
    fragments.changed(PUBLISHER_FRAGMENTS)


def connect() -> None:
    for model in (NewsroomSettings, NewsImage):
        post_save.connect(forget_publisher, sender=model, dispatch_uid=f"seo-publisher-save-{model.__name__}")
        post_delete.connect(forget_publisher, sender=model, dispatch_uid=f"seo-publisher-delete-{model.__name__}")
