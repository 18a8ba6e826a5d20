"""The admin form behind every article: checks that need more than one field, and a guest
contributor added from the byline."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateTimeInput, AdminPageChooser

from khabar.lib.controls import strip_control_characters
from khabar.lib.text import has_visible_characters

SCHEDULE_FIELDS = ("go_live_at", "expire_at", "embargo_until")
NEEDS_BODY = _("A story needs a body before it can be submitted or published.")


class AuthorChooser(AdminPageChooser):
    """Wagtail's page chooser, saying what is chosen ("Choose an author", not "Choose a page
    (Author)"). Panels name the class, not an instance: it is built with the form, once models load."""

    target = "news.AuthorPage"
    texts = (_("Choose an author"), _("Choose another author"))

    def __init__(self, **kwargs) -> None:
        super().__init__(target_models=[self.target], **kwargs)
        self.choose_one_text, self.choose_another_text = self.texts


class RelatedArticleChooser(AuthorChooser):
    target = "news.ArticlePage"
    texts = (_("Choose a related article"), _("Choose another article"))


class ScheduleTimeInput(AdminDateTimeInput):
    """Wagtail's date-time picker, listing every five minutes rather than whole hours."""

    def get_config(self):
        return {**super().get_config(), "step": 5}


def _without_empty_bylines(data):
    """The posted form with its empty byline rows marked deleted (the row the form starts with)."""
    data = data.copy()
    for key in list(data.keys()):
        if key.startswith("bylines-") and key.endswith("-author") and not data.get(key):
            data[key.removesuffix("-author") + "-DELETE"] = "1"
    return data


class ArticlePageForm(WagtailAdminPageForm):
    # The Settings tab shows the schedule fields themselves; the status panel's "Set schedule"
    # dialog, which would hold a second copy of them, is not offered.
    show_schedule_publishing_toggle = False

    # A guest contributor is added from the byline, as Co-Authors Plus does: their author page is
    # made in this edition's "Our writers" as a draft, and publishing the story publishes it.
    new_contributor = forms.CharField(
        label=_("New guest contributor"),
        required=False,
        max_length=255,
        help_text=_(
            "Someone with no author page yet: type their name and a byline is added for them. Their "
            "page is created in this edition's writers and published with the story."
        ),
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        adding_contributor = bool(data is not None and data.get("new_contributor", "").strip())
        if adding_contributor:
            data = _without_empty_bylines(data)
        super().__init__(data, *args, **kwargs)
        if adding_contributor and "bylines" in self.formsets:
            # The new contributor is the byline, so the story may have no other.
            self.formsets["bylines"].validate_min = False
        # Every admin user works in the newsroom's zone (WAGTAIL_USER_TIME_ZONES holds only
        # TIME_ZONE), so the same wall-clock time means the same moment for everyone.
        zone_note = _("Times are in the newsroom's time zone, %(zone)s.") % {"zone": settings.TIME_ZONE}
        for name in SCHEDULE_FIELDS:
            if name in self.fields:
                field = self.fields[name]
                field.help_text = f"{field.help_text} {zone_note}".strip()

    def authors_index(self):
        """This edition's "Our writers" page, where a new contributor's page goes."""
        from khabar.news.models import AuthorIndexPage

        edition = self.parent_page.get_ancestors(inclusive=True).filter(depth=2).first() if self.parent_page else None
        return AuthorIndexPage.objects.child_of(edition).first() if edition else None

    def _clean_new_contributor(self, cleaned) -> None:
        typed = cleaned.get("new_contributor", "")
        name = " ".join(strip_control_characters(typed).split())
        if typed.strip() and not has_visible_characters(name):
            self.add_error("new_contributor", _("Type the contributor's name in letters a reader can see."))
            name = ""
        cleaned["new_contributor"] = name
        if not name or "bylines" not in self.formsets:
            return
        index = self.authors_index()
        if index is None:
            self.add_error("new_contributor", _("This edition has no writers' page to add a contributor to."))
        elif self.for_user is not None and not index.permissions_for_user(self.for_user).can_add_subpage():
            self.add_error("new_contributor", _("You may not add author pages; ask an editor to add this contributor."))

    def clean(self):
        cleaned = super().clean()
        self._clean_new_contributor(cleaned)
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

    def _add_new_contributor(self, page) -> None:
        from khabar.news.models import ArticleByline, AuthorPage

        name = self.cleaned_data.get("new_contributor")
        if not name:
            return
        index = self.authors_index()
        author = AuthorPage.objects.child_of(index).filter(title=name).first()
        if author is None:
            author = AuthorPage(title=name, kind=AuthorPage.CONTRIBUTOR, live=False, owner=self.for_user)
            index.add_child(instance=author)
            author.save_revision(user=self.for_user)
        if not any(byline.author_id == author.pk for byline in page.bylines.all()):
            position = len(page.bylines.all())
            page.bylines.add(ArticleByline(author=author, sort_order=position))

    def save(self, commit: bool = True):
        page = super().save(commit=False)
        self._add_new_contributor(page)
        # A developing story shows its updates newest first, whatever order they were typed in.
        if hasattr(page, "live_updates"):
            updates = sorted(page.live_updates.all(), key=lambda u: u.posted_at, reverse=True)
            for position, update in enumerate(updates):
                update.sort_order = position
        if commit:
            page.save()
            self.save_m2m()
        return page
