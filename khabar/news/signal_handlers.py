"""Keep cached navigation and view-restriction data in step with the page tree."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from khabar.news import navigation
from khabar.news.models import RESTRICTED_PATHS_KEY, HomePage, SectionPage, StandardPage

NAV_MODELS = (HomePage, SectionPage, StandardPage)


def _forget_navigation(sender, instance=None, **kwargs) -> None:
    page = instance if instance is not None else kwargs.get("page")
    if page is None or isinstance(page.specific_deferred, NAV_MODELS):
        navigation.forget_navigation()


def _forget_restrictions(sender, **kwargs) -> None:
    cache.delete(RESTRICTED_PATHS_KEY)


def register() -> None:
    for model in NAV_MODELS:
        page_published.connect(_forget_navigation, sender=model, dispatch_uid=f"nav-pub-{model.__name__}")
        page_unpublished.connect(_forget_navigation, sender=model, dispatch_uid=f"nav-unpub-{model.__name__}")
        post_delete.connect(_forget_navigation, sender=model, dispatch_uid=f"nav-del-{model.__name__}")
    post_page_move.connect(_forget_navigation, dispatch_uid="nav-move")
    post_save.connect(_forget_restrictions, sender=PageViewRestriction, dispatch_uid="restrictions-save")
    post_delete.connect(_forget_restrictions, sender=PageViewRestriction, dispatch_uid="restrictions-del")
