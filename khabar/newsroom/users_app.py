"""Wagtail's users app with the newsroom's user views (khabar.newsroom.users).

It replaces ``wagtail.users`` in INSTALLED_APPS, Wagtail's documented way to swap the user
views; it lives apart from them because an app config is imported before models are ready."""

from __future__ import annotations

from wagtail.users.apps import WagtailUsersAppConfig


class UsersConfig(WagtailUsersAppConfig):
    user_viewset = "khabar.newsroom.users.NewsroomUserViewSet"
