from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from khabar.comments import admin_views
from khabar.comments.models import Comment, Status

admin_urls = [
    path("", admin_views.queue, name="queue"),
    path("act/", admin_views.act, name="act"),
    path("ban/<int:comment_id>/", admin_views.ban, name="ban"),
    path("audit/", admin_views.audit, name="audit"),
    path("bans/", admin_views.bans, name="bans"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("comments/", include((admin_urls, "comments_admin")))]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("comments.moderate_comment")


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ModerationMenuItem(_("Comments"), reverse("comments_admin:queue"), icon_name="comment", order=250)


class PendingCommentsPanel(Component):
    name = "pending_comments"
    template_name = "comments/admin/pending_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        return {
            "pending": Comment.objects.filter(status=Status.PENDING).count(),
            "queue_url": reverse("comments_admin:queue"),
        }


@hooks.register("construct_homepage_panels")
def add_pending_panel(request, panels):
    if request.user.has_perm("comments.moderate_comment"):
        panels.append(PendingCommentsPanel())
