"""The admin form for news images: alt text and credit are required, with messages that say why."""

from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

REQUIRED_MESSAGES = {
    "alt_text": _("Every news image needs alt text describing what it shows."),
    "credit": _("Every news image needs a credit naming its source, e.g. “Photo via Reuters”."),
}


class NewsImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED_MESSAGES.items():
            if name in self.fields:
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = message
