"""Builders for comment tests."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import TestCase

from khabar import testing
from khabar.comments import moderation
from khabar.comments.models import Comment, CommentSettings, Status
from khabar.core import fragments

_n = itertools.count(1)


def configure(**fields) -> CommentSettings:
    config = CommentSettings.load()
    for name, value in fields.items():
        setattr(config, name, value)
    config.save()
    return config


def comment(article, body: str | None = None, *, status: str = Status.APPROVED, **fields) -> Comment:
    n = next(_n)
    fields.setdefault("name", f"Reader {n}")
    fields.setdefault("email", f"reader{n}@example.org")
    made = Comment.objects.create(article=article, body=body or f"Comment number {n}", status=status, **fields)
    moderation.refresh_count(article.pk)
    fragments.new_version(f"comments:{article.pk}")  # as moderation does once a change is committed
    return made


def moderator(username: str = "mona"):
    """Admin access and comments.moderate_comment, no page permissions.

    Not Wagtail's stock "Moderators" group: its initial data grants page edit and publish rights.
    """
    group, _created = Group.objects.get_or_create(name="Comment moderators")
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="moderate_comment", content_type__app_label="comments"),
    )
    return testing.user(username, groups=["Comment moderators"])


def form_data(**overrides) -> dict:
    data = {
        "name": "Huda",
        "email": "huda@example.org",
        "body": "The bridge has been closed for a month.",
        "agree": "on",
    }
    data.update(overrides)
    return data


class OneArticleTestCase(TestCase):
    """One published article to comment on; rate-limit counters (in the cache) reset before each test."""

    headline = "Bridge closed"

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, cls.headline)

    def setUp(self):
        cache.clear()
