"""The dashboard's "Awaiting your review" with the story's section beside its headline.

An editor triages by desk; Wagtail's panel lists headline, language and task but no section."""

from __future__ import annotations

from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import Page


class StoriesAwaitingReviewPanel(WorkflowObjectsToModeratePanel):
    template_name = "newsroom/awaiting_review.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pages = [state["obj"] for state in context["states"] if isinstance(state["obj"], Page)]
        parents = {page.path[: -Page.steplen] for page in pages}
        titles = dict(Page.objects.filter(path__in=parents).values_list("path", "title"))  # one query
        for state in context["states"]:
            obj = state["obj"]
            state["section"] = titles.get(obj.path[: -Page.steplen], "") if isinstance(obj, Page) else ""
        return context


def with_sections(panels: list) -> None:
    for index, panel in enumerate(panels):
        if type(panel) is WorkflowObjectsToModeratePanel:
            panels[index] = StoriesAwaitingReviewPanel()
