"""Site-wide models: the newsroom's image library and its site settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class NewsImage(AbstractImage):
    """A photo or graphic with what a newsroom must publish alongside it.

    Alt text describes the picture for readers who cannot see it; the caption
    says what it shows (and can be overridden where the image is placed); the
    credit names its source ("Photo courtesy of …", "Photo via …").
    """

    alt_text = models.CharField(
        _("alt text"),
        max_length=400,
        help_text=_("Describe what the picture shows for readers who cannot see it."),
    )
    caption = models.CharField(_("default caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=250,
        help_text=_("Who the picture comes from, e.g. “Photo courtesy of the Ministry of Health”."),
    )

    # One description field: Wagtail's own "description" is left off the forms (it would sit
    # beside "Alt text" and ask for the same thing) and kept equal to the alt text on save.
    admin_form_fields = tuple(name for name in Image.admin_form_fields if name != "description") + (
        "alt_text",
        "caption",
        "credit",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    @property
    def default_alt_text(self) -> str:
        return self.alt_text

    def save(self, *args, **kwargs) -> None:
        self.description = self.alt_text[: self._meta.get_field("description").max_length]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "alt_text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "description"}
        super().save(*args, **kwargs)

    def generate_rendition_file(self, filter, *, source=None):
        from khabar.core.media import one_rendition_at_a_time

        with one_rendition_at_a_time():
            return super().generate_rendition_file(filter, source=source)


class NewsImageRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


@register_setting(icon="site")
class NewsroomSettings(BaseGenericSetting):
    """What the newsroom says about itself: publisher name and logo, contact."""

    publisher_name = models.CharField(_("publisher name"), max_length=200, default="Khabar")
    logo = models.ForeignKey(
        NewsImage, verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_email = models.EmailField(_("contact email"), blank=True)

    panels = [FieldPanel("publisher_name"), FieldPanel("logo"), FieldPanel("contact_email")]

    class Meta:
        verbose_name = _("newsroom")
