"""Side effects of the newsroom: default permissions, purges when a banner changes."""

from __future__ import annotations

import logging

from django.apps import apps as django_apps
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from khabar.newsroom import roles

log = logging.getLogger(__name__)


def grant_late_permissions(sender, **kwargs) -> None:
    """After every migrate: grant permissions other apps created (comments, reactions),
    and give Administrators every permission that exists now.

    Connected for every sender on purpose: Django sends post_migrate once per app, and
    auth's create_permissions (connected after us) creates an app's permissions on that
    app's turn, so a later turn is where a new comments/reactions permission is found."""
    Group = django_apps.get_model("auth", "Group")
    if not Group.objects.filter(name__in=roles.ROLES).exists():
        return  # our data migration has not run yet (or was rolled back)
    roles.grant_everything_to_administrators(django_apps)
    roles.grant_optional_permissions(django_apps)


def give_new_edition_its_permissions(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        roles.grant_edition_defaults(django_apps, instance)


def purge_after_banner_change(sender, instance, **kwargs) -> None:
    """A banner shows on every page of its edition: purge after the change is committed."""
    from khabar.newsroom.purging import purge_edition

    locale_id = instance.locale_id
    transaction.on_commit(lambda: purge_edition(locale_id))


def connect() -> None:
    from khabar.news.models import HomePage
    from khabar.newsroom.models import BreakingNews

    post_migrate.connect(grant_late_permissions, dispatch_uid="newsroom-late-permissions")
    post_save.connect(give_new_edition_its_permissions, sender=HomePage, dispatch_uid="newsroom-edition-defaults")
    post_save.connect(purge_after_banner_change, sender=BreakingNews, dispatch_uid="newsroom-banner-saved")
    post_delete.connect(purge_after_banner_change, sender=BreakingNews, dispatch_uid="newsroom-banner-deleted")
