"""The admin form behind every article: checks that need more than one field."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

SCHEDULE_FIELDS = ("go_live_at", "expire_at", "embargo_until")
NEEDS_BODY = _("A story needs a body before it can be submitted or published.")


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Every admin user works in the newsroom's zone (WAGTAIL_USER_TIME_ZONES holds only
        # TIME_ZONE), so the same wall-clock time means the same moment for everyone.
        zone_note = _("Times are in the newsroom's time zone, %(zone)s.") % {"zone": settings.TIME_ZONE}
        for name in SCHEDULE_FIELDS:
            if name in self.fields:
                field = self.fields[name]
                field.help_text = f"{field.help_text} {zone_note}".strip()

    def clean(self):
        cleaned = super().clean()
        # Wagtail defers required-field checks only when a draft is saved ("save"); every other
        # action (publish, submit for review, approve, restart the review) needs the whole story.
        if "body" in self.fields and not self.is_deferred_validation and not cleaned.get("body"):
            if "body" not in self.errors:
                self.add_error("body", forms.ValidationError(NEEDS_BODY, code="required"))
        for name in SCHEDULE_FIELDS:
            value = cleaned.get(name)
            if value and timezone.is_naive(value):
                # Form fields make input aware in the current zone; a naive value here came
                # from code bypassing that, and guessing its zone would misplace the schedule.
                self.add_error(name, forms.ValidationError(_("This time has no time zone; give one.")))
                cleaned.pop(name, None)
        embargo = cleaned.get("embargo_until")
        if embargo and embargo <= timezone.now() and "embargo_until" in self.changed_data:
            self.add_error("embargo_until", forms.ValidationError(_("An embargo must end in the future.")))
        go_live, expire = cleaned.get("go_live_at"), cleaned.get("expire_at")
        if go_live and expire and expire == go_live:
            self.add_error("expire_at", forms.ValidationError(_("The expiry must come after the go-live time.")))
        if embargo and expire and expire <= embargo:
            self.add_error(
                "expire_at",
                forms.ValidationError(_("The story would expire before its embargo ends and never be seen.")),
            )
        return cleaned

    def save(self, commit: bool = True):
        page = super().save(commit=False)
        # A developing story shows its updates newest first, whatever order they were typed in.
        if hasattr(page, "live_updates"):
            updates = sorted(page.live_updates.all(), key=lambda u: u.posted_at, reverse=True)
            for position, update in enumerate(updates):
                update.sort_order = position
        if commit:
            page.save()
            self.save_m2m()
        return page
