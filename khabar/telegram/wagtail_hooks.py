"""Admin: the channels (editors set one per edition, or per section) and the read-only record of posts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from khabar.telegram.models import TelegramChannel, TelegramPost


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Posts are written by the worker only: staff with the view permission may look, nobody edits."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"] or ["view"])


register_permission_policy(TelegramPost, ReadOnlyPolicy(TelegramPost))


class ChannelViewSet(SnippetViewSet):
    model = TelegramChannel
    icon = "globe"
    menu_label = _("Telegram channels")
    list_display = ["chat", "edition", "section", "is_active"]
    add_to_admin_menu = True
    menu_order = 260


class PostViewSet(ModelViewSet):
    model = TelegramPost
    icon = "list-ul"
    menu_label = _("Telegram posts")
    url_prefix = "telegram/posts"
    name = "telegram_posts"
    inspect_view_enabled = True
    add_to_admin_menu = True
    menu_order = 261
    list_display = ["headline", "kind", "chat", "state", "problem", "sent_at", "edited_at", "deleted_at"]
    list_filter = ["state", "kind", "chat"]
    search_fields = ["headline", "chat"]
    inspect_view_fields = [
        "headline",
        "kind",
        "article",
        "chat",
        "message_id",
        "with_photo",
        "state",
        "problem",
        "last_error",
        "attempts",
        "created_at",
        "sent_at",
        "edited_at",
        "deleted_at",
    ]
    form_fields = []  # never shown: nobody may add or edit a post


register_snippet(ChannelViewSet)


@hooks.register("register_admin_viewset")
def register_posts():
    return PostViewSet()
