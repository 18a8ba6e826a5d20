from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "khabar.search"
    label = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from khabar.lib import arabic
        from khabar.search import signal_handlers

        table = settings.KHABAR_LANGUAGE_INFO
        arabic.configure(
            prefix_free={code for code, row in table.items() if not row.get("search_arabic_prefixes", True)},
            legacy_ae={code for code, row in table.items() if row.get("search_legacy_ae")},
        )
        signal_handlers.connect()
