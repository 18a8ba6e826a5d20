"""Keep cached navigation and view-restriction data in step with the page tree; publish the
author pages a newly published story's bylines link to."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from khabar.news import listing, navigation
from khabar.news.models import RESTRICTED_PATHS_KEY, ArticlePage, AuthorPage, HomePage, SectionPage, StandardPage
from khabar.news.published import published_changed

NAV_MODELS = (HomePage, SectionPage, StandardPage)


def _forget_navigation(sender, instance=None, **kwargs) -> None:
    page = instance if instance is not None else kwargs.get("page")
    if page is None or isinstance(page.specific_deferred, NAV_MODELS):
        navigation.forget_navigation()


def _forget_restrictions(sender, **kwargs) -> None:
    cache.delete(RESTRICTED_PATHS_KEY)


def _refresh_listing(sender, instance, **kwargs) -> None:
    """Every save of an article (a publish and an unpublish are saves) updates its listing row."""
    listing.refresh([instance.pk])


def _refresh_listing_after_move(sender, instance, **kwargs) -> None:
    """A moved article, or every article under a moved section, gets its new section and path."""
    from wagtail.models import Page

    path = Page.objects.filter(pk=instance.pk).values_list("path", flat=True).first() or instance.path
    moved = ArticlePage.objects.filter(path__startswith=path).values_list("pk", flat=True)
    listing.refresh(moved)


def _publish_bylined_authors(sender, instance, revision=None, **kwargs) -> None:
    """A story's bylines link to its authors' pages: publishing the story publishes those never
    published yet (a new guest contributor's page, still a draft or waiting in its own review,
    whose workflow Wagtail then cancels). An author page an editor unpublished on purpose stays
    unpublished; the byline then shows the name without a link (components/byline.html)."""
    from wagtail.log_actions import get_active_log_context

    waiting = AuthorPage.objects.filter(
        bylines__page_id=instance.pk, live=False, first_published_at__isnull=True
    ).distinct()
    if not waiting:
        return
    # Who published the story, in the admin (the scheduler has nobody): the author pages' history says so.
    user = get_active_log_context().user
    for author in waiting:
        latest = author.get_latest_revision() or author.save_revision(user=user)
        latest.publish(user=user)


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and instance.live:
        published_changed()


def register() -> None:
    page_published.connect(published_changed, dispatch_uid="published-version-publish")
    page_unpublished.connect(published_changed, dispatch_uid="published-version-unpublish")
    post_page_move.connect(published_changed, dispatch_uid="published-version-move")
    post_delete.connect(_page_deleted, dispatch_uid="published-version-delete")
    post_save.connect(published_changed, sender=PageViewRestriction, dispatch_uid="published-version-restrict")
    post_delete.connect(published_changed, sender=PageViewRestriction, dispatch_uid="published-version-unrestrict")
    post_save.connect(_refresh_listing, sender=ArticlePage, dispatch_uid="listing-save")
    page_unpublished.connect(_refresh_listing, sender=ArticlePage, dispatch_uid="listing-unpublish")
    post_page_move.connect(_refresh_listing_after_move, dispatch_uid="listing-move")
    page_published.connect(_publish_bylined_authors, sender=ArticlePage, dispatch_uid="publish-bylined-authors")
    for model in NAV_MODELS:
        page_published.connect(_forget_navigation, sender=model, dispatch_uid=f"nav-pub-{model.__name__}")
        page_unpublished.connect(_forget_navigation, sender=model, dispatch_uid=f"nav-unpub-{model.__name__}")
        post_delete.connect(_forget_navigation, sender=model, dispatch_uid=f"nav-del-{model.__name__}")
    post_page_move.connect(_forget_navigation, dispatch_uid="nav-move")
    post_save.connect(_forget_restrictions, sender=PageViewRestriction, dispatch_uid="restrictions-save")
    post_delete.connect(_forget_restrictions, sender=PageViewRestriction, dispatch_uid="restrictions-del")
