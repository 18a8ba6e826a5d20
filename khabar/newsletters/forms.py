from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from khabar.news.navigation import navigation


def section_choices(language: str) -> list[tuple[int, str]]:
    """The edition's sections, from the cached navigation (no query)."""
    return [(entry["pk"], entry["title"]) for entry in navigation(language)["sections"]]


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    edition = forms.ChoiceField(label=_("Edition"), choices=())
    daily = forms.BooleanField(label=_("The daily digest of the edition"), required=False)
    sections_digest = forms.BooleanField(label=_("A digest of the sections I choose"), required=False)
    sections = forms.TypedMultipleChoiceField(
        label=_("Sections"), choices=(), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    alerts = forms.BooleanField(label=_("Breaking-news alerts"), required=False)

    def __init__(self, *args, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = list(settings.LANGUAGES)
        self.fields["edition"].initial = language
        chosen = self.data.get("edition") if self.is_bound else language
        if chosen not in dict(settings.LANGUAGES):
            chosen = language
        self.fields["sections"].choices = section_choices(chosen)

    def clean(self):
        data = super().clean()
        if not (data.get("daily") or data.get("sections_digest") or data.get("alerts")):
            raise forms.ValidationError(_("Choose at least one newsletter."))
        if data.get("sections_digest") and not data.get("sections"):
            self.add_error("sections", _("Choose at least one section for the section digest."))
        if data.get("sections") and not data.get("sections_digest"):
            data["sections_digest"] = True  # ticking a section is asking for its digest
        return data


class PrivacyRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email"), max_length=254)
