"""Test builders for the newsroom: people in each role, articles in each state."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from khabar import testing
from khabar.newsroom import roles


def person(role: str, username: str | None = None):
    return testing.user(username or role.lower().replace(" ", "_"), groups=[role])


def staff() -> dict[str, object]:
    """One user per role, keyed by role name."""
    return {role: person(role) for role in roles.ROLES}


def draft(section, title: str, owner, **fields):
    """An unpublished article owned by ``owner`` (as if they had created it in the admin)."""
    page = testing.article(section, title, live=False, owner=owner, **fields)
    # Page.live defaults to True; a page created in the admin without publishing is not live.
    type(page).objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
    page.refresh_from_db()
    page.save_revision(user=owner)
    return page


def embargoed(section, title: str, hours: int = 2, **fields):
    """An article published (by mistake or on purpose) while still under embargo."""
    return testing.article(section, title, embargo_until=timezone.now() + timedelta(hours=hours), **fields)


def restore_roles() -> None:
    """Recreate what the newsroom's data migrations made (roles, their permissions, the editorial
    review workflow, each edition's defaults): a browser test's flush removes them."""
    from django.apps import apps as django_apps

    from khabar.news.models import HomePage

    roles.create_roles(django_apps)
    roles.create_editorial_review(django_apps)
    for home in HomePage.objects.all():
        roles.grant_edition_defaults(django_apps, home)


class DeskTestCase(TestCase):
    """The Iraq News desk with one staff writer, Layla Hassan; subclasses add the people they need."""

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.writer = testing.author("Layla Hassan")
