"""Publishing a story posts it to its edition's channel: headline, standfirst, link, lead image with credit."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import override_settings

from khabar import testing
from khabar.news.models import ArticlePage
from khabar.telegram.models import PostState, TelegramChannel, TelegramPost
from khabar.telegram.testing import TOKEN, TelegramTestCase


class PostOnPublishTests(TelegramTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.ar_section = testing.section("أخبار العراق", language="ar", slug="iraq-ar")
        TelegramChannel.objects.create(edition=testing.home("en"), chat="@khabar_en")
        TelegramChannel.objects.create(edition=testing.home("ar"), chat="@khabar_ar")

    def test_a_story_without_an_image_is_a_message_with_headline_standfirst_and_link(self):
        with self.committed():
            story = testing.article(self.section, "Parliament passes the <water> budget & more")
        (call,) = self.telegram.calls
        self.assertEqual((call.token, call.method), (TOKEN, "sendMessage"))
        self.assertEqual(call.params["chat_id"], "@khabar_en")
        self.assertEqual(call.params["parse_mode"], "HTML")
        text = call.params["text"]
        self.assertIn("<b>Parliament passes the &lt;water&gt; budget &amp; more</b>", text)
        self.assertIn("Lawmakers approved the spending plan", text)
        link = settings.BASE_URL + "/en/iraq/" + story.slug + "/"
        self.assertTrue(text.endswith(f'\n\n<a href="{link}">{link}</a>'), text)
        post = TelegramPost.objects.get(article=story)
        self.assertEqual(
            (post.state, post.message_id, post.chat, post.with_photo), (PostState.SENT, 101, "@khabar_en", False)
        )

    def test_a_story_with_a_lead_image_is_a_photo_with_the_credit_in_the_caption(self):
        photo = testing.image(credit="Photo courtesy of the Basra Trade Office")
        with self.committed():
            story = testing.article(self.section, "Dates harvest doubles", lead_image=photo)
        (call,) = self.telegram.calls
        self.assertEqual(call.method, "sendPhoto")
        self.assertIn("<b>Dates harvest doubles</b>", call.params["caption"])
        self.assertIn("Photo: Photo courtesy of the Basra Trade Office", call.params["caption"])
        filename, content_type, content = call.files["photo"]
        self.assertEqual(content_type, "image/jpeg")
        self.assertTrue(content.startswith(b"\xff\xd8"), "a JPEG rendition is uploaded")
        self.assertTrue(TelegramPost.objects.get(article=story).with_photo)

    def test_an_arabic_story_goes_to_the_arabic_channel_in_arabic(self):
        photo = testing.image(credit="مكتب البصرة التجاري")
        with self.committed():
            testing.article(
                self.ar_section, "البرلمان يقر موازنة المياه", standfirst="بعد ليلة من النقاش.", lead_image=photo
            )
        (call,) = self.telegram.calls
        self.assertEqual(call.params["chat_id"], "@khabar_ar")
        self.assertIn("<b>البرلمان يقر موازنة المياه</b>", call.params["caption"])
        self.assertIn("صورة: مكتب البصرة التجاري", call.params["caption"])
        self.assertIn(f">{settings.BASE_URL}/ar/iraq-ar/البرلمان-يقر-موازنة-المياه/</a>", call.params["caption"])
        self.assertNotIn("Photo:", call.params["caption"])

    def test_a_section_channel_replaces_the_editions_for_that_section(self):
        business = testing.section("Business", slug="business")
        TelegramChannel.objects.create(edition=testing.home("en"), section=business, chat="@khabar_business")
        with self.committed():
            testing.article(business, "Oil exports rise")
            testing.article(self.section, "Floods in the south")
        self.assertEqual([c.params["chat_id"] for c in self.telegram.calls], ["@khabar_business", "@khabar_en"])

    def test_a_long_standfirst_is_shortened_to_fit_a_caption_and_the_link_is_kept(self):
        photo = testing.image(credit="Agency " * 35)
        headline = "Long " * 50
        with self.committed():
            story = testing.article(self.section, headline, standfirst="word " * 119, lead_image=photo)
        caption = self.telegram.calls[0].params["caption"]
        visible = re.sub(r"<[^>]+>", "", caption)
        self.assertLessEqual(len(visible), 1024)
        self.assertGreater(len(visible), 1000, "shortened only as much as needed")
        self.assertIn("word…", caption)
        self.assertIn(f"<b>{headline.strip()}</b>", caption)
        self.assertIn("Photo: Agency", caption)
        self.assertTrue(caption.endswith(settings.BASE_URL + story.url + "</a>"), caption[-80:])

    def test_a_draft_a_private_story_and_an_inactive_channel_send_nothing(self):
        with self.committed():
            testing.article(self.section, "Still a draft", live=False)
        private = testing.section("Staff only", slug="staff")
        from wagtail.models import PageViewRestriction

        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        with self.committed():
            testing.article(private, "For staff eyes")
        TelegramChannel.objects.update(is_active=False)
        with self.committed():
            testing.article(self.section, "Nobody is listening")
        self.assertEqual(self.telegram.calls, [])
        self.assertFalse(TelegramPost.objects.filter(state=PostState.SENT).exists())

    def test_a_story_outside_any_section_is_not_posted(self):
        home = testing.home("en")
        stray = ArticlePage(title="Filed at the top", standfirst="No desk.", locale=home.locale)
        home.add_child(instance=stray)  # code can put one there; the admin cannot
        with self.committed():
            testing.publish(stray)
        self.assertEqual(self.telegram.calls, [])

    @override_settings(KHABAR_TELEGRAM_BOT_TOKEN="")
    def test_without_a_token_nothing_is_sent_and_publishing_works(self):
        with self.committed():
            story = testing.article(self.section, "No bot yet")
        self.assertTrue(story.live)
        self.assertEqual(self.telegram.calls, [])
        self.assertFalse(TelegramPost.objects.exists())
