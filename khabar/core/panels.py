"""Admin panels shared by every page type."""

from __future__ import annotations

from wagtail.admin.panels import Panel

from khabar.lib import languages


class ContentDirectionPanel(Panel):
    """Marks the page editor with the direction of the page's own language.

    The admin interface follows the editor's language; the text being written
    follows the page's. ``core/admin-direction.js`` reads this marker and sets
    ``dir`` on the editor's text fields and rich-text editors, so an Arabic
    article is written right to left even in an English admin.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "core/panels/content_direction.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            locale = getattr(self.instance, "locale", None)
            code = locale.language_code if locale else ""
            context.update(direction=languages.direction(code), language=code)
            return context
