from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from khabar.comments import text
from khabar.comments.models import MAX_LENGTH, CommentReport
from khabar.lib.text import has_visible_characters


def _no_control_characters(value: str) -> None:
    if text.has_control_characters(value):
        raise forms.ValidationError(_("Please remove invisible control characters from this field."))


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        validators=[_no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Never shown publicly."),
        validators=[_no_control_characters],
        widget=forms.EmailInput(attrs={"autocomplete": "email", "aria-describedby": "email-help"}),
    )
    body = forms.CharField(
        label=_("Comment"),
        # No maxlength attribute: browsers count UTF-16 units there; comments.js counts code points like the server.
        widget=forms.Textarea(
            attrs={"rows": 6, "dir": "auto", "data-max": str(MAX_LENGTH), "aria-describedby": "body-counter"}
        ),
        strip=False,  # counted as the reader's counter counts it; stripped after the length check
    )
    agree = forms.BooleanField(label=_("I agree to the Comment Policy"), required=True)
    notify = forms.BooleanField(label=_("Email me when someone replies"), required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    # A random key the page's form carries: the same key twice (a double click) stores one comment.
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS, filled in by bots that fill every field.
    website = forms.CharField(
        required=False,
        max_length=200,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agree"].error_messages["required"] = _("Please agree to the Comment Policy to post.")
        self.fields["body"].error_messages["required"] = _("Please write a comment.")
        self.fields["name"].error_messages["required"] = _("Please give your name.")
        self.fields["email"].error_messages["required"] = _("Please give your email (it is never shown).")

    def clean_body(self) -> str:
        body = text.normalise_newlines(self.cleaned_data["body"])
        count = text.length(body)
        if count > MAX_LENGTH:
            raise forms.ValidationError(
                ngettext(
                    "A comment may hold %(limit)s characters; this one has %(count)s (%(over)s too many).",
                    "A comment may hold %(limit)s characters; this one has %(count)s (%(over)s too many).",
                    count,
                )
                % {"limit": MAX_LENGTH, "count": count, "over": count - MAX_LENGTH}
            )
        _no_control_characters(body)
        body = body.strip()
        if not body:
            raise forms.ValidationError(_("Please write a comment."))
        return body

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please give your name."))
        if not has_visible_characters(name):
            raise forms.ValidationError(_("Please give a name made of letters we can show, not only invisible ones."))
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()  # one commenter, however they type it


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why?"), choices=CommentReport.Reason.choices)
    note = forms.CharField(label=_("Details (optional)"), max_length=300, required=False)

    def clean_note(self) -> str:
        note = self.cleaned_data["note"]
        _no_control_characters(note)
        return note.strip()


class PrivacyRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email"), max_length=254)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class BanForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    days = forms.IntegerField(
        label=_("Ban for (days)"), min_value=1, max_value=3650, required=False, help_text=_("Empty: forever.")
    )
