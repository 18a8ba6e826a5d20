from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NinjsConfig(AppConfig):
    name = "khabar.ninjs"
    label = "ninjs"
    verbose_name = _("IPTC ninjs")
