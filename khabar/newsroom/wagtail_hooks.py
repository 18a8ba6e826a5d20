"""Admin wiring: the breaking-news snippet, refusals of crafted publish requests, and messages
that say what a review or an embargoed publish did."""

from __future__ import annotations

from django.contrib import messages
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


def _autosaves_add_no_contributor(request) -> None:
    """The editor autosaves while someone types in "New guest contributor": each keystroke would
    make an author page ("S", "Sa", …). Autosaves (the editor's background saves, which ask for
    JSON) leave the field out; Save draft, Submit and Publish act on it."""
    if request.method == "POST" and request.POST.get("new_contributor") and not request.accepts("text/html"):
        data = request.POST.copy()
        data["new_contributor"] = ""
        request.POST = data


@hooks.register("before_edit_page")
def autosave_of_an_edit_adds_no_contributor(request, page):
    _autosaves_add_no_contributor(request)


@hooks.register("before_create_page")
def autosave_of_a_new_page_adds_no_contributor(request, parent_page, page_class):
    _autosaves_add_no_contributor(request)


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


# --- Messages that say what happened -------------------------------------------------------
# Wagtail says "Page '…' has been updated." after Approve and Request changes, and "has been
# published." of an embargoed story; the newsroom needs to hear what it did.


def _replace_wagtail_message(request, text: str, level=messages.SUCCESS) -> None:
    """Drop the message Wagtail queued during this request and queue ``text`` instead."""
    storage = messages.get_messages(request)
    queued = getattr(storage, "_queued_messages", None)
    if not queued or queued[-1].level != messages.SUCCESS:
        return  # Wagtail reported a problem (or nothing): leave its message alone
    queued.pop()
    messages.add_message(request, level, text)


def _say_what_happened(request, page) -> None:
    if request.method != "POST":
        return
    from khabar.news.models import ArticlePage, embargo_note

    title = page.get_admin_display_title()
    if "action-workflow-action" in request.POST:
        action = request.POST.get("workflow-action-name", "")
        if action == "reject":
            _replace_wagtail_message(
                request,
                _("Changes requested on '%(title)s'. The reporter sees your comment when they open the story.")
                % {"title": title},
                messages.WARNING,
            )
        elif action == "approve":
            page = page.specific_class.objects.get(pk=page.pk)
            if page.live and page.has_unpublished_changes:
                text = _("'%(title)s' is approved and published; changes made since are a draft.")
            elif page.live:
                text = _("'%(title)s' is approved and published.")
            elif page.approved_schedule:
                text = _("'%(title)s' is approved and scheduled for publishing.")
            elif page.workflow_in_progress:
                # Wagtail saves the editor's own edits as a new version before approving the one
                # submitted; with re-approval on edit, that new version waits for approval.
                text = _(
                    "Your edits to '%(title)s' were saved as a new version, which needs approval too: "
                    "the story is still in review. Approve it again to publish it."
                )
            else:
                text = _("'%(title)s' is approved.")
            _replace_wagtail_message(request, text % {"title": title})
    if "action-publish" in request.POST and issubclass(page.specific_class, ArticlePage):
        story = page.specific_class.objects.get(pk=page.pk)
        if story.live and story.is_embargoed:
            _replace_wagtail_message(
                request,
                _("'%(title)s' is %(status)s; it appears nowhere before then.")
                % {"title": title, "status": embargo_note(story.embargo_until)},
            )


@hooks.register("after_edit_page")
def say_what_an_edit_did(request, page):
    _say_what_happened(request, page)


@hooks.register("after_create_page")
def say_what_a_new_page_did(request, page):
    _say_what_happened(request, page)


@hooks.register("before_edit_page")
def show_requested_changes(request, page):
    """A reporter opening a story sent back for changes reads the editor's comment at once,
    not behind "View details"."""
    if request.method != "GET":
        return None
    from wagtail.models import TaskState, WorkflowState

    state = page.workflow_states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES).order_by("-created_at").first()
    if state is None:
        return None
    rejected = (
        state.task_states.filter(status=TaskState.STATUS_REJECTED)
        .select_related("finished_by")
        .order_by("-finished_at")
        .first()
    )
    if rejected is None:
        return None
    editor = rejected.finished_by
    who = (editor.get_full_name() or editor.get_username()) if editor else _("an editor")
    comment = rejected.comment or _("(no comment)")
    messages.warning(request, _("Changes requested by %(editor)s: “%(comment)s”") % {"editor": who, "comment": comment})
    return None


@hooks.register("construct_homepage_panels")
def review_queue_with_sections(request, panels):
    from khabar.newsroom.dashboard import with_sections

    with_sections(panels)
