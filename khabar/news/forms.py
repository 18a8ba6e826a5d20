"""The admin form behind every article: checks that need more than one field."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        embargo = cleaned.get("embargo_until")
        if embargo and embargo <= timezone.now() and "embargo_until" in self.changed_data:
            self.add_error("embargo_until", forms.ValidationError(_("An embargo must end in the future.")))
        return cleaned
