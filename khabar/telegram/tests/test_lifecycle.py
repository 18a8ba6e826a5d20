"""After the first post: edits follow the headline and standfirst, a takedown deletes, an embargo waits,
a correction replies."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone
from wagtail.models import PageViewRestriction

from khabar import testing
from khabar.news.models import ArticlePage, Correction
from khabar.newsroom import scheduler
from khabar.telegram.models import PostState, TelegramChannel, TelegramPost
from khabar.telegram.testing import TelegramTestCase


class LifecycleTests(TelegramTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        TelegramChannel.objects.create(edition=testing.home("en"), chat="@khabar_en")

    def posted(self, **fields) -> ArticlePage:
        with self.committed():
            story = testing.article(self.section, **fields)
        self.telegram.reset()
        return story

    def republish(self, story: ArticlePage, **changes) -> None:
        for name, value in changes.items():
            setattr(story, name, value)
        with self.committed():
            testing.publish(story)

    def test_a_new_headline_or_standfirst_edits_the_message(self):
        story = self.posted(title="Water budget vote delayed")
        self.republish(story, title="Water budget passes")
        (edit,) = self.telegram.calls
        self.assertEqual(edit.method, "editMessageText")
        self.assertEqual((edit.params["chat_id"], edit.params["message_id"]), ("@khabar_en", 101))
        self.assertIn("<b>Water budget passes</b>", edit.params["text"])
        self.republish(story, standfirst="The vote came after a night of debate.")
        self.assertIn("after a night of debate", self.telegram.of("editMessageText")[1].params["text"])
        post = TelegramPost.objects.get(article=story)
        self.assertEqual((post.state, post.headline), (PostState.SENT, "Water budget passes"))
        self.assertIsNotNone(post.edited_at)

    def test_a_photo_post_has_its_caption_edited(self):
        story = self.posted(title="Dates harvest", lead_image=testing.image())
        self.republish(story, title="Dates harvest doubles")
        (edit,) = self.telegram.calls
        self.assertEqual(edit.method, "editMessageCaption")
        self.assertIn("<b>Dates harvest doubles</b>", edit.params["caption"])

    def test_a_publish_that_changes_nothing_a_reader_sees_in_the_post_sends_nothing(self):
        story = self.posted()
        self.republish(story, body=[testing.paragraph("A new paragraph deep in the story.")])
        self.assertEqual(self.telegram.calls, [])

    def test_telegram_saying_not_modified_counts_as_edited(self):
        story = self.posted(title="Before")
        self.telegram.fail_next(
            "editMessageText",
            400,
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
        )
        self.republish(story, title="After")
        post = TelegramPost.objects.get(article=story)
        self.assertEqual((post.state, post.problem), (PostState.SENT, ""))
        self.assertIn("After", post.headline)

    def test_unpublishing_deletes_the_message_and_publishing_again_posts_anew(self):
        story = self.posted()
        with self.committed():
            story.unpublish()
        (delete,) = self.telegram.calls
        self.assertEqual(
            (delete.method, delete.params), ("deleteMessage", {"chat_id": "@khabar_en", "message_id": 101})
        )
        self.assertEqual(TelegramPost.objects.get(article=story).state, PostState.DELETED)
        self.telegram.reset()
        self.republish(story)
        self.assertEqual([c.method for c in self.telegram.calls], ["sendMessage"])
        self.assertEqual(TelegramPost.objects.get(article=story).state, PostState.SENT)

    def test_deleting_the_article_deletes_the_message_and_keeps_the_record(self):
        story = self.posted(title="Removed on legal advice")
        with self.committed():
            story.delete()
        (delete,) = self.telegram.calls
        self.assertEqual(delete.method, "deleteMessage")
        post = TelegramPost.objects.get(headline="Removed on legal advice")
        self.assertEqual((post.state, post.article_id), (PostState.DELETED, None))

    def test_deleting_a_whole_section_deletes_its_stories_messages(self):
        desk = testing.section("Closed desk", slug="closed")
        with self.committed():
            testing.article(desk, "First from the closed desk")
            testing.article(desk, "Second from the closed desk")
        self.telegram.reset()
        with self.committed():
            desk.delete()
        self.assertEqual([c.method for c in self.telegram.calls], ["deleteMessage", "deleteMessage"])
        self.assertEqual(TelegramPost.objects.filter(state=PostState.DELETED).count(), 2)

    def test_moving_a_story_to_another_section_edits_its_link(self):
        story = self.posted(title="Oil exports rise")
        business = testing.section("Business", slug="business")
        with self.committed():
            story.move(business, pos="last-child")
        (edit,) = self.telegram.calls
        self.assertEqual(edit.method, "editMessageText")
        self.assertIn("/en/business/", edit.params["text"])

    def test_moving_a_story_into_a_private_section_deletes_the_message(self):
        story = self.posted()
        private = testing.section("Staff only", slug="staff")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        with self.committed():
            story.move(private, pos="last-child")
        self.assertEqual([c.method for c in self.telegram.calls], ["deleteMessage"])

    def test_moving_a_story_behind_a_login_deletes_the_message(self):
        story = self.posted()
        with self.committed():
            PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
        self.assertEqual([c.method for c in self.telegram.calls], ["deleteMessage"])

    def test_a_message_already_gone_from_the_channel_counts_as_deleted(self):
        story = self.posted()
        self.telegram.fail_next("deleteMessage", 400, "Bad Request: message to delete not found")
        with self.committed():
            story.unpublish()
        self.assertEqual(TelegramPost.objects.get(article=story).state, PostState.DELETED)

    def test_an_embargoed_story_is_posted_when_its_embargo_ends_and_not_before(self):
        until = timezone.now() + timedelta(hours=2)
        with self.committed():
            testing.article(self.section, "Budget figures", embargo_until=until)
        self.assertEqual(self.telegram.calls, [])
        with self.committed():
            scheduler.run_due(force=True)
        self.assertEqual(self.telegram.calls, [], "still embargoed")
        with mock.patch("django.utils.timezone.now", return_value=until + timedelta(seconds=20)), self.committed():
            scheduler.run_due(force=True)
        (call,) = self.telegram.calls
        self.assertEqual(call.method, "sendMessage")
        self.assertIn("<b>Budget figures</b>", call.params["text"])
        with mock.patch("django.utils.timezone.now", return_value=until + timedelta(seconds=50)), self.committed():
            scheduler.run_due(force=True)
        self.assertEqual(len(self.telegram.calls), 1, "a later run does not post it again")

    def test_a_correction_is_a_reply_to_the_post_sent_once(self):
        story = self.posted()
        story.corrections.add(Correction(text="An earlier version gave the wrong total.", kind=Correction.CORRECTION))
        with self.committed():
            testing.publish(story)
        story = ArticlePage.objects.get(pk=story.pk)  # as the editor's next form has it, the correction's id included
        (reply,) = self.telegram.calls
        self.assertEqual(reply.method, "sendMessage")
        self.assertEqual(reply.params["reply_parameters"]["message_id"], 101)
        self.assertEqual(reply.params["text"], "<b>Correction:</b> An earlier version gave the wrong total.")
        self.telegram.reset()
        self.republish(story, title="Water budget passes after all")
        self.assertEqual([c.method for c in self.telegram.calls], ["editMessageText"], "no second reply")
        self.telegram.reset()
        with self.committed():
            story.unpublish()
        self.assertEqual([c.params["message_id"] for c in self.telegram.calls], [102, 101], "the reply goes first")

    def test_an_arabic_correction_replies_in_arabic(self):
        TelegramChannel.objects.create(edition=testing.home("ar"), chat="@khabar_ar")
        section = testing.section("أخبار العراق", language="ar", slug="iraq-ar")
        with self.committed():
            story = testing.article(section, "البرلمان يقر الموازنة", standfirst="بعد نقاش طويل.")
        self.telegram.reset()
        story.corrections.add(Correction(text="صُحّح الرقم.", kind=Correction.UPDATE))
        with self.committed():
            testing.publish(story)
        self.assertEqual(self.telegram.calls[0].params["text"], "<b>تحديث:</b> صُحّح الرقم.")

    def test_corrections_made_before_the_first_post_are_not_replies(self):
        until = timezone.now() + timedelta(hours=1)
        with self.committed():
            scheduler.run_due(force=True)
            story = testing.article(self.section, "Embargoed", embargo_until=until)
            story.corrections.add(Correction(text="Fixed before anyone saw it."))
            testing.publish(story)
        with mock.patch("django.utils.timezone.now", return_value=until + timedelta(seconds=20)), self.committed():
            scheduler.run_due(force=True)
        self.assertEqual([c.method for c in self.telegram.calls], ["sendMessage"])


class AdminPublishTests(TelegramTestCase):
    """Through the editor's own Publish button, corrections formset and all."""

    @classmethod
    def setUpTestData(cls):
        from khabar.newsroom.testing import person

        cls.section = testing.section("Iraq News", slug="iraq")
        TelegramChannel.objects.create(edition=testing.home("en"), chat="@khabar_en")
        cls.editor = person("Editor")
        cls.story = testing.article(cls.section, "Dam repairs begin", authors=[testing.author()], live=False)

    def publish_in_admin(self, **changes):
        from django.urls import reverse
        from wagtail.test.utils.form_data import inline_formset

        from khabar.newsroom.tests.test_article_form import form_data

        story = ArticlePage.objects.get(pk=self.story.pk)
        if "corrections" in changes:
            items = changes["corrections"]
            changes["corrections"] = inline_formset(items, initial=sum("id" in item for item in items))
        data = form_data(story, **changes) | {"action-publish": "action-publish"}
        self.client.force_login(self.editor)
        with self.committed():
            response = self.client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])

    def test_publish_then_correct_from_the_admin(self):
        self.publish_in_admin()
        self.assertEqual([c.method for c in self.telegram.calls], ["sendMessage"])
        self.telegram.reset()
        noted = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        self.publish_in_admin(
            corrections=[{"kind": "correction", "noted_at": noted, "text": "The dam is on the Tigris."}]
        )
        (reply,) = self.telegram.calls
        self.assertEqual(reply.params["reply_parameters"]["message_id"], 101)
        self.telegram.reset()
        story = ArticlePage.objects.get(pk=self.story.pk)
        kept = [{"id": c.pk, "kind": c.kind, "noted_at": noted, "text": c.text} for c in story.corrections.all()]
        self.publish_in_admin(corrections=kept, title="Dam repairs begin on the Tigris")
        self.assertEqual([c.method for c in self.telegram.calls], ["editMessageText"], "no second reply")
