"""StreamField blocks shared by every page that carries a story body."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# Body text may carry emphasis and links, nothing that breaks the page design.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class SubheadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Subheading")
        template = "components/blocks/subheading.html"
        form_classname = "title"


class FigureBlock(blocks.StructBlock):
    """An image placed in a story; caption and credit default to the image's own."""

    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(
        label=_("Caption"), required=False, max_length=500, help_text=_("Leave blank to use the image's caption.")
    )
    credit = blocks.CharBlock(
        label=_("Credit"), required=False, max_length=250, help_text=_("Leave blank to use the image's credit.")
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/blocks/figure.html"


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"), max_length=1000)
    speaker = blocks.CharBlock(label=_("Speaker"), max_length=200)
    role = blocks.CharBlock(label=_("Speaker's role"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Pull quote")
        template = "components/blocks/pull_quote.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    facts = blocks.ListBlock(blocks.CharBlock(max_length=400), label=_("Facts"))

    class Meta:
        icon = "list-ul"
        label = _("Fact box")
        template = "components/blocks/fact_box.html"


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, label=_("Paragraph"), template="components/blocks/paragraph.html"
    )
    subheading = SubheadingBlock()
    image = FigureBlock()
    pull_quote = PullQuoteBlock()
    embed = EmbedBlock(label=_("Embed"), template="components/blocks/embed.html")
    fact_box = FactBoxBlock()


def images_in_stream(stream) -> list:
    """Every image placed in a story body, in order (used to prefetch renditions in one query)."""
    return [child.value["image"] for child in stream if child.block_type == "image" and child.value.get("image")]
