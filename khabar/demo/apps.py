from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo newsroom: `khabar demo` and the content it loads. No models of its own."""

    name = "khabar.demo"
    label = "demo"
    verbose_name = _("Demo content")
