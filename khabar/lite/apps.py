from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiteConfig(AppConfig):
    name = "khabar.lite"
    label = "lite"
    verbose_name = _("Lite edition")

    def ready(self) -> None:
        from khabar.core import pagecache

        # /<lang>/lite/<path> lives under the generation of /<lang>/<path>: one purge reaches both.
        pagecache.register_view_prefix("lite")
