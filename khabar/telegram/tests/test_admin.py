"""In the admin: a chief editor links an edition or a section to a channel (with clear refusals of a bad
channel name); staff read the record of posts, which nobody can edit."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import translation

from khabar import testing
from khabar.newsroom.testing import person
from khabar.telegram.models import PostState, Problem, TelegramChannel, TelegramPost

ROOT = Path(__file__).resolve().parents[3]
ADD = "wagtailsnippets_telegram_telegramchannel:add"


class ChannelFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.en, cls.ar = testing.home("en"), testing.home("ar")
        cls.section = testing.section("Business", slug="business")
        cls.chief = person("Chief Editor")
        cls.reporter = person("Reporter")

    def add(self, **data):
        data = {"edition": self.en.pk, "section": "", "chat": "@khabar_news", "is_active": "on"} | data
        return self.client.post(reverse(ADD), data)

    def test_a_chief_editor_links_an_edition_and_a_section(self):
        self.client.force_login(self.chief)
        self.assertEqual(self.add(chat="https://t.me/khabar_news").status_code, 302)
        self.assertEqual(self.add(section=self.section.pk, chat="-1001234567890").status_code, 302)
        chats = dict(TelegramChannel.objects.values_list("chat", "section_id"))
        self.assertEqual(chats, {"@khabar_news": None, "-1001234567890": self.section.pk})

    def test_a_bad_channel_name_is_refused_with_a_message_in_the_editors_language(self):
        self.client.force_login(self.chief)
        for bad in ("@ab", "https://t.me/+invite", "@with space", "<script>", ""):
            response = self.add(chat=bad)
            self.assertEqual(response.status_code, 200, bad)
            self.assertFalse(TelegramChannel.objects.exists())
        self.assertContains(self.add(chat="@ab"), "like -1001234567890")
        with translation.override("ar"):
            with self.assertRaises(ValidationError) as refused:
                TelegramChannel(edition=self.en, chat="@ab").full_clean()
            self.assertIn("اسم المستخدم العام للقناة", str(refused.exception.message_dict["chat"]))

    def test_a_section_of_another_edition_and_a_second_channel_are_refused(self):
        self.client.force_login(self.chief)
        self.assertContains(self.add(edition=self.ar.pk, section=self.section.pk), "belongs to another edition")
        self.add()
        self.assertContains(self.add(chat="@another_one"), "already has a channel")
        self.assertEqual(TelegramChannel.objects.count(), 1)

    def test_a_reporter_cannot_set_a_channel(self):
        self.client.force_login(self.reporter)
        self.add()
        self.assertFalse(TelegramChannel.objects.exists())


class PostRecordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(section, "Dam repairs begin")
        cls.post = TelegramPost.objects.create(
            key=TelegramPost.story_key(cls.story.pk, "@khabar_en"),
            article=cls.story,
            headline=cls.story.title,
            chat="@khabar_en",
            state=PostState.FAILED,
            problem=Problem.FORBIDDEN,
            last_error="Forbidden: bot is not a member of the channel chat",
        )
        cls.editor = person("Editor")
        cls.reporter = person("Reporter")

    def test_an_editor_reads_the_record_and_the_reason(self):
        self.client.force_login(self.editor)
        listing = self.client.get(reverse("telegram_posts:index"))
        self.assertContains(listing, "Dam repairs begin")
        detail = self.client.get(reverse("telegram_posts:inspect", args=[self.post.pk]))
        self.assertContains(detail, "bot is not a member of the channel chat")
        self.assertContains(detail, "not an administrator of the channel")

    def test_nobody_edits_or_deletes_a_post_record(self):
        admin = testing.user("root", superuser=True)
        for user in (self.editor, admin):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("telegram_posts:edit", args=[self.post.pk])).status_code, 302)
            self.client.post(reverse("telegram_posts:delete", args=[self.post.pk]))
            self.assertTrue(TelegramPost.objects.filter(pk=self.post.pk).exists())

    def test_a_reporter_does_not_see_the_record(self):
        self.client.force_login(self.reporter)
        self.assertNotEqual(self.client.get(reverse("telegram_posts:index")).status_code, 200)


class TokenSettingTests(SimpleTestCase):
    def test_the_token_comes_from_a_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".token", delete=False) as handle:
            handle.write("987654:from-a-file\n")
        self.addCleanup(os.unlink, handle.name)
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("KHABAR_TELEGRAM", "DATABASE_URL"))}
        done = subprocess.run(
            [sys.executable, "-c", "from khabar import settings; print(settings.KHABAR_TELEGRAM_BOT_TOKEN)"],
            env={**clean, "SECRET_KEY": "test", "KHABAR_TELEGRAM_BOT_TOKEN_FILE": handle.name},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(done.stdout.strip(), "987654:from-a-file", done.stderr)
