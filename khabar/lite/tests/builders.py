"""A small newsroom in both editions with what a lite story shows: figure, quote, fact box, corrections, updates."""

from datetime import timedelta

from django.utils import timezone

from khabar import testing
from khabar.news.models import Correction, LiveUpdate
from khabar.newsroom.models import BreakingNews


def lite_site():
    room = testing.newsroom(articles_per_section=2)
    story = testing.article(
        room.sections["iraq"],
        "Basra opens its new water plant",
        authors=room.authors[:1],
        lead_image=testing.image(credit="Photo courtesy of Basra Water"),
        dateline="BASRA",
        is_developing=True,
        body=[
            testing.paragraph("The plant will serve 400,000 homes."),
            {"type": "subheading", "value": "What residents say"},
            {"type": "pull_quote", "value": {"quote": "We waited years.", "speaker": "Huda Karim", "role": "Resident"}},
            {
                "type": "image",
                "value": {
                    "image": testing.image("Pipes").pk,
                    "caption": "New pipes",
                    "credit": "Photo via the ministry",
                },
            },
            {"type": "fact_box", "value": {"title": "In numbers", "facts": ["400,000 homes", "Two years"]}},
        ],
    )
    Correction.objects.create(page=story, text="An earlier version misspelled the plant's name.")
    LiveUpdate.objects.create(page=story, text="The minister cut the ribbon.")
    testing.publish(story)
    section_ar = testing.section("أخبار العراق", language="ar", slug="iraq")
    story_ar = testing.article(
        section_ar,
        "البصرة تفتتح محطة المياه",
        standfirst="محطة جديدة تخدم أربعمئة ألف منزل.",
        lead_image=testing.image(),
        body=[testing.paragraph("تخدم المحطة أربعمئة ألف منزل.")],
    )
    BreakingNews.objects.create(
        text="Storm warning for the south", expires_at=timezone.now() + timedelta(hours=2), locale=story.locale
    )
    return room, story, section_ar, story_ar
