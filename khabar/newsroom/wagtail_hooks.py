"""Admin wiring: the breaking-news snippet, and a hard refusal of crafted publish requests."""

from __future__ import annotations

from django.http import HttpResponseForbidden
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from khabar.newsroom.models import BreakingNews


class BreakingNewsViewSet(SnippetViewSet):
    model = BreakingNews
    icon = "warning"
    menu_label = gettext_lazy("Breaking news")
    list_display = ["text", "expires_at", "is_active", "locale"]
    add_to_admin_menu = True
    menu_order = 250


register_snippet(BreakingNewsViewSet)


def _refuse(message: str) -> HttpResponseForbidden:
    return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")


@hooks.register("before_edit_page")
def refuse_publish_without_permission(request, page):
    """Wagtail quietly saves a draft when someone without publish permission posts
    ``action-publish``; a crafted request should be refused outright, saving nothing."""
    if request.method == "POST" and "action-publish" in request.POST:
        if not page.permissions_for_user(request.user).can_publish():
            return _refuse(_("You may not publish this page; submit it for review instead. Nothing was saved."))
    return None


@hooks.register("before_create_page")
def refuse_publish_new_page_without_permission(request, parent_page, page_class):
    if request.method == "POST" and "action-publish" in request.POST:
        if not parent_page.permissions_for_user(request.user).can_publish_subpage():
            return _refuse(_("You may not publish pages here; submit it for review instead. Nothing was saved."))
    return None


def _without_body(pages) -> list[str]:
    """Headlines of the stories among ``pages`` whose latest revision has no body."""
    from khabar.news.models import ArticlePage

    missing = []
    for article in ArticlePage.objects.filter(pk__in=[page.pk for page in pages]):
        latest = article.get_latest_revision_as_object()
        if not latest.body:
            missing.append(latest.title)
    return missing


@hooks.register("before_bulk_action")
def refuse_bulk_publish_of_stories_without_a_body(request, action_type, objects, action):
    """The article form refuses to publish a story without a body; so does bulk publishing
    (the selected pages, and with "include descendants" their unpublished stories)."""
    if action_type != "publish" or getattr(action, "model", None) is None:
        return None
    from wagtail.models import Page

    if not issubclass(action.model, Page):
        return None
    pages = list(objects)
    form = getattr(action, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in list(pages):
            pages.extend(page.get_descendants().not_live())
    missing = _without_body(pages)
    if missing:
        from khabar.news.forms import NEEDS_BODY

        return _refuse(f"{NEEDS_BODY} {', '.join(missing)}. " + _("Nothing was published."))
    return None
