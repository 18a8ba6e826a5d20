from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "khabar.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from django.urls import register_converter

        from khabar.core import signal_handlers
        from khabar.lib.ids import IdConverter

        # Before any URLconf is imported: the channels' routes use <id:…> for record ids.
        register_converter(IdConverter, "id")

        signal_handlers.connect()

        # Pillow warns above this many pixels and refuses twice it: no decode of a picture bomb,
        # even of one stored before the upload limit (settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS) existed.
        from django.conf import settings
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
