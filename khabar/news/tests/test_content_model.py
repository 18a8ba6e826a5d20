"""The news content model as editors use it and readers see it."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from khabar import testing
from khabar.core.models import NewsImage
from khabar.news.images import picture_bytes
from khabar.news.models import RelatedArticle


class ArticleElementsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq", description="Politics and provinces.")
        cls.staff = testing.author("Layla Hassan", role="Baghdad correspondent")
        cls.guest = testing.author("Omar Khalil", role="Security analyst", kind="contributor")
        cls.picture = testing.image("Flooded fields", credit="Photo via Khabar Agency", caption="Fields under water")
        cls.article = testing.article(
            cls.section,
            "Parliament committee inspects flood defences",
            authors=[cls.staff, cls.guest],
            dateline="Basra",
            lead_image=testing.image(credit="Photo courtesy of the Basra Provincial Council"),
            lead_caption="Engineers on the embankment",
            body=[
                testing.paragraph("The delegation walked the <b>river</b> embankments."),
                {"type": "subheading", "value": "Money for maintenance"},
                {"type": "image", "value": {"image": cls.picture.pk, "caption": "", "credit": ""}},
                {
                    "type": "image",
                    "value": {
                        "image": cls.picture.pk,
                        "caption": "The same fields in May",
                        "credit": "Photo by Layla Hassan",
                    },
                },
                {
                    "type": "pull_quote",
                    "value": {
                        "quote": "We cannot keep paying for the same embankment.",
                        "speaker": "Salim Obaidi",
                        "role": "committee member",
                    },
                },
                {"type": "fact_box", "value": {"title": "Key facts", "facts": ["12 km of embankment"]}},
            ],
        )
        cls.article.topics.add("Water", "Parliament")
        testing.publish(cls.article)

    def setUp(self):
        self.response = self.client.get(self.article.url)

    def test_section_label_headline_and_standfirst(self):
        self.assertContains(self.response, f'<a href="{self.section.url}">Iraq News</a>')
        self.assertContains(self.response, "Parliament committee inspects flood defences")
        self.assertContains(self.response, "Lawmakers approved the spending plan")

    def test_byline_lists_every_author_in_order_with_roles_and_links(self):
        html = self.response.content.decode()
        self.assertLess(html.index("Layla Hassan"), html.index("Omar Khalil"))
        self.assertContains(self.response, f'<a href="{self.staff.url}"><bdi>Layla Hassan</bdi></a>')
        self.assertContains(self.response, "Security analyst")

    def test_dateline_and_dates(self):
        self.assertContains(self.response, "<bdi>Basra</bdi>")
        self.assertContains(self.response, "Published")

    def test_lead_figure_shows_overridden_caption_and_the_image_credit(self):
        self.assertContains(self.response, "Engineers on the embankment")
        self.assertContains(self.response, "[Photo courtesy of the Basra Provincial Council]")

    def test_body_figures_default_to_the_image_caption_and_credit_and_can_override_them(self):
        self.assertContains(self.response, "Fields under water")
        self.assertContains(self.response, "[Photo via Khabar Agency]")
        self.assertContains(self.response, "The same fields in May")
        self.assertContains(self.response, "[Photo by Layla Hassan]")
        self.assertContains(self.response, f'alt="{self.picture.alt_text}"')

    def test_body_blocks_render(self):
        self.assertContains(self.response, '<h2 class="subheading">Money for maintenance</h2>')
        self.assertContains(self.response, "<b>river</b>")
        self.assertContains(self.response, "We cannot keep paying for the same embankment.")
        self.assertContains(self.response, '<bdi>Salim Obaidi</bdi>, <span class="pull-quote__role">committee member')
        self.assertContains(self.response, "12 km of embankment")

    def test_responsive_images_offer_avif_and_webp(self):
        self.assertContains(self.response, 'type="image/avif"')
        self.assertContains(self.response, 'type="image/webp"')

    def test_topics_link_to_topic_pages_and_share_links(self):
        self.assertContains(self.response, 'href="/en/topics/water/"')
        self.assertContains(self.response, "https://wa.me/?text=")

    def test_one_h1_and_a_skip_link(self):
        self.assertEqual(self.response.content.decode().count("<h1"), 1)
        self.assertContains(self.response, 'href="#main"')

    def test_the_page_weighs_under_60_kb_without_images(self):
        from django.contrib.staticfiles import finders

        css = finders.find("khabar/css/site.css")
        with open(css, "rb") as handle:
            weight = len(self.response.content) + len(handle.read())
        self.assertLess(weight, 60 * 1024)


class ListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Business", slug="business")
        cls.author = testing.author("Noor Abdulrahman")
        now = timezone.now()
        cls.articles = [
            testing.article(cls.section, f"Market story {n}", authors=[cls.author], published=now - timedelta(hours=n))
            for n in range(25)
        ]
        for article in cls.articles[:3]:
            article.topics.add("Trade")
            testing.publish(article)

    def test_section_lists_newest_first_and_paginates(self):
        first = self.client.get(self.section.url)
        self.assertContains(first, "Market story 0")
        self.assertNotContains(first, "Market story 24<")
        self.assertContains(first, 'rel="next" href="?page=2"')
        second = self.client.get(self.section.url + "?page=2")
        self.assertContains(second, "Market story 24")

    def test_home_leads_with_the_newest_unless_an_editor_chooses(self):
        self.assertContains(self.client.get("/en/"), 'card__headline--lead"><a href="' + self.articles[0].url)
        home = testing.home()
        home.lead_story = self.articles[5]
        testing.publish(home)
        self.assertContains(self.client.get("/en/"), 'card__headline--lead"><a href="' + self.articles[5].url)

    def test_author_page_lists_their_stories(self):
        response = self.client.get(self.author.url)
        self.assertContains(response, "Stories by Noor Abdulrahman")
        self.assertContains(response, "Market story 0")

    def test_topic_page_lists_tagged_stories_only(self):
        response = self.client.get("/en/topics/trade/")
        self.assertContains(response, "Market story 2")
        self.assertNotContains(response, "Market story 3<")
        self.assertEqual(self.client.get("/en/topics/no-such-topic/").status_code, 404)

    def test_related_articles_follow_editors_choice_else_shared_topics(self):
        by_topic = self.articles[0].related_articles()
        self.assertEqual({a.pk for a in by_topic}, {self.articles[1].pk, self.articles[2].pk})
        RelatedArticle.objects.create(page=self.articles[0], article=self.articles[20], sort_order=0)
        self.assertEqual([a.pk for a in self.articles[0].related_articles()], [self.articles[20].pk])

    def test_unpublished_articles_are_not_listed(self):
        self.articles[0].unpublish()
        self.assertNotContains(self.client.get(self.section.url), "Market story 0<")


class ValidationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = testing.user("editor", superuser=True)

    def test_admin_refuses_an_image_without_alt_text_or_credit(self):
        self.client.force_login(self.editor)
        upload = SimpleUploadedFile("photo.jpg", picture_bytes(1, 200, 120), content_type="image/jpeg")
        response = self.client.post(
            "/admin/images/add/", {"title": "Market", "file": upload, "alt_text": " ", "credit": ""}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Every news image needs alt text describing what it shows.")
        self.assertContains(response, "Every news image needs a credit naming its source")
        self.assertFalse(NewsImage.objects.filter(title="Market").exists())

    def test_admin_accepts_an_image_with_alt_text_and_credit(self):
        self.client.force_login(self.editor)
        upload = SimpleUploadedFile("photo.jpg", picture_bytes(1, 200, 120), content_type="image/jpeg")
        self.client.post(
            "/admin/images/add/",
            {"title": "Market", "file": upload, "alt_text": "Stalls at dawn", "credit": "Photo via Khabar Agency"},
        )
        self.assertTrue(NewsImage.objects.filter(title="Market", credit="Photo via Khabar Agency").exists())

    def test_an_update_cannot_predate_first_publication(self):
        section = testing.section("Iraq News", slug="iraq")
        article = testing.article(section)
        article.updated_at = article.first_published_at - timedelta(days=1)
        with self.assertRaises(Exception) as caught:
            article.full_clean()
        self.assertIn("cannot be before the first publication", str(caught.exception))
