from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReactionsConfig(AppConfig):
    name = "khabar.reactions"
    label = "reactions"
    verbose_name = _("Reactions")
