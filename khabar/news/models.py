"""The newsroom's content: editions, sections, articles, authors, topics.

Page tree, one branch per edition (language):

    HomePage (edition front page, /en/)
      SectionPage (/en/iraq/)          -> ArticlePage (/en/iraq/<slug>/)
      AuthorIndexPage (/en/authors/)   -> AuthorPage (/en/authors/<slug>/)
      StandardPage (About, Contact, Comment Policy)
    Topic pages are routes of the HomePage: /en/topics/<slug>/.

Channels (comments, reactions, feeds, seo, search, ninjs) read these models;
these models import none of their code. Per-article switches that a channel
obeys (comment mode, reactions on/off, the ninjs source id) are plain fields
here; the logic lives in the channel.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from khabar.core.blocks import StoryBodyBlock
from khabar.core.panels import ContentDirectionPanel
from khabar.core.purge import CachedPage, page_path
from khabar.lib.controls import strip_control_characters
from khabar.news.forms import ArticlePageForm, AuthorChooser, RelatedArticleChooser, ScheduleTimeInput


class CommentMode(models.TextChoices):
    """How comments work; stored on sections and articles here, applied by the comments app (as its Mode)."""

    PRE = "pre", _("Pre-moderation: nothing shows until approved")
    POST = "post", _("Post-moderation: shows at once, moderated after")
    CLOSED = "closed", _("Closed")


# A section or article may also leave the choice to the section (or the site's setting).
COMMENT_MODES = [("", _("As the section (or site) decides")), *CommentMode.choices]


def paginate(request, queryset, per_page: int):
    """A page of results for ?page=N; a bad or out-of-range number is a 404, never a 500."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except (PageNotAnInteger, EmptyPage):
        if number == "1":
            return paginator.page(1)  # an empty listing still has a first page
        raise Http404(_("There is no page %(number)s of this listing.") % {"number": number[:20]})


def listing_size() -> int:
    return settings.KHABAR_PAGE_SIZE


RESTRICTED_PATHS_KEY = "khabar:restricted-paths"


def restricted_paths() -> list[str]:
    """Tree paths of pages behind a view restriction (cached; see signal_handlers.py)."""
    from django.core.cache import cache
    from wagtail.models import PageViewRestriction

    paths = cache.get(RESTRICTED_PATHS_KEY)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(RESTRICTED_PATHS_KEY, paths, 3600)
    return paths


def public(queryset):
    """``queryset`` without the pages behind a view restriction, from the cached restricted paths.

    Wagtail's ``public()`` reads every restriction joined to its page on each call; with the table
    empty and no statistics for it, SQLite planned that as a scan of every page: 15 ms a home page
    render at 100,000 articles (make bench). This is the same rule at no query."""
    for restricted in restricted_paths():
        queryset = queryset.exclude(path__startswith=restricted)
    return queryset


class ArticleQuerySet(PageQuerySet):
    def published(self):
        """What readers may see anywhere (page, listings, feeds, sitemaps, API, search, exports):
        live, public (no view restriction), and past any embargo. Every channel lists articles through this."""
        now = timezone.now()
        return public(self.live().filter(models.Q(embargo_until__isnull=True) | models.Q(embargo_until__lte=now)))


ArticleManager = PageManager.from_queryset(ArticleQuerySet)
RELATED_CANDIDATES = 60


class CachedRestrictionsMixin:
    """Skip Wagtail's two view-restriction queries per request when no restriction covers the page.

    Wagtail checks restrictions on every serve (``before_serve_page``); the
    cached list of restricted paths answers that for the common case of none.
    """

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if not any(self.path.startswith(restricted) for restricted in restricted_paths()):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


# --- Edition home ------------------------------------------------------------


class PlainTextMixin:
    """Control characters pasted into a headline, standfirst or caption are invisible to the editor
    and illegal in XML: every feed of the edition would fail on them. They are removed when the page
    is validated (saving a draft, publishing)."""

    def clean(self) -> None:
        super().clean()
        for field in self._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, strip_control_characters(value))


class HomePage(CachedPage, PlainTextMixin, CachedRestrictionsMixin, RoutablePageMixin, Page):
    """The front page of one edition (one language)."""

    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    lead_story = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to lead with the newest article."),
    )
    stories_per_section = models.PositiveSmallIntegerField(_("stories per section"), default=4)

    content_panels = Page.content_panels + [
        FieldPanel("tagline"),
        PageChooserPanel("lead_story", "news.ArticlePage"),
        FieldPanel("stories_per_section"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "news.AuthorIndexPage", "news.StandardPage"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("edition home page")
        verbose_name_plural = _("edition home pages")

    def sections(self):
        return SectionPage.objects.child_of(self).live().order_by("path")

    def articles(self):
        return ArticlePage.objects.descendant_of(self).published()

    def front_page_context(self) -> dict:
        """The lead story (chosen, else newest) and the latest stories of each section."""
        from khabar.news import listing

        lead = self.lead_story if self.lead_story_id and self.lead_story and self.lead_story.is_published else None
        if lead is None:
            lead = listing.for_edition(self).first()
        else:
            lead = ArticlePage.for_listing(ArticlePage.objects.filter(pk=lead.pk)).first()
        sections = list(self.sections())
        exclude = [lead.pk] if lead else []
        # A few indexed queries per section; the number of sections is small and fixed by editors.
        for section in sections:
            section.latest = listing.for_section(section).excluding(exclude)[: self.stories_per_section]
        return {"lead": lead, "sections": sections}

    def topic_url(self, slug: str, request=None) -> str:
        """The address of this edition's page for a topic (the named "topic" route), e.g. /en/topics/oil/."""
        return topic_url(self, slug, request)

    @path("")
    def front_page(self, request):
        return self.render(request, context_overrides=self.front_page_context())

    @path("topics/<str:slug>/", name="topic")
    def topic(self, request, slug: str):
        from khabar.news import listing

        tag = get_object_or_404(Tag, slug=slug)
        page = paginate(request, listing.for_topic(self, slug), listing_size())
        return self.render(
            request,
            context_overrides={"topic": tag, "listing": page, "page_kind": "topic"},
            template="news/topic_page.html",
        )


def embargo_note(until) -> str:
    """The status of a live story under embargo, e.g. "embargoed until 3 December 2026 14:00
    (Asia/Baghdad)", in the newsroom's time zone."""
    moment = date_format(timezone.localtime(until), "DATETIME_FORMAT")
    return _("embargoed until %(time)s (%(zone)s)") % {"time": moment, "zone": settings.TIME_ZONE}


def topic_url(home: Page, slug: str, request=None) -> str:
    """An edition's topic page address; ``home`` may be the plain Page of an edition home (no query needed)."""
    return topic_path(home.get_url(request) or "/", slug)


def topic_path(home_url: str, slug: str) -> str:
    """The topic page under an edition home's address (the named "topic" route), e.g. /en/topics/oil/."""
    return home_url + HomePage.get_resolver().reverse("topic", slug=slug)


# --- Sections ----------------------------------------------------------------


class SectionPage(CachedPage, PlainTextMixin, CachedRestrictionsMixin, Page):
    """A desk of the newsroom, e.g. "Iraq News"; lists its articles, newest first."""

    description = models.CharField(_("short description"), max_length=300, blank=True)
    comment_mode = models.CharField(_("comments"), max_length=10, choices=COMMENT_MODES, blank=True, default="")

    content_panels = Page.content_panels + [ContentDirectionPanel(), FieldPanel("description")]
    settings_panels = Page.settings_panels + [FieldPanel("comment_mode")]
    search_fields = Page.search_fields + [index.SearchField("description")]

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def articles(self):
        return ArticlePage.objects.child_of(self).published()

    def get_context(self, request, *args, **kwargs):
        from khabar.news import listing

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = paginate(request, listing.for_section(self), listing_size())
        return context


# --- Authors -----------------------------------------------------------------


class AuthorIndexPage(CachedPage, PlainTextMixin, CachedRestrictionsMixin, Page):
    """Lists the edition's writers: staff and guest contributors."""

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.AuthorPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("authors index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["authors"] = AuthorPage.objects.child_of(self).live().select_related("photo").order_by("title")
        return context


class AuthorPage(CachedPage, PlainTextMixin, CachedRestrictionsMixin, Page):
    """A staff writer or guest contributor: who they are and what they wrote."""

    STAFF = "staff"
    CONTRIBUTOR = "contributor"
    KINDS = [(STAFF, _("Staff")), (CONTRIBUTOR, _("Guest contributor"))]

    role = models.CharField(_("role line"), max_length=120, blank=True, help_text=_("e.g. “Security analyst”"))
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default=STAFF)
    photo = models.ForeignKey(
        "core.NewsImage", verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)

    content_panels = Page.content_panels + [
        ContentDirectionPanel(),
        FieldRowPanel([FieldPanel("role"), FieldPanel("kind")]),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]
    search_fields = Page.search_fields + [index.SearchField("role"), index.SearchField("bio")]

    parent_page_types = ["news.AuthorIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    @property
    def name(self) -> str:
        return self.title

    def articles(self):
        return ArticlePage.objects.published().filter(bylines__author=self).distinct()

    def get_context(self, request, *args, **kwargs):
        from khabar.news import listing

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = paginate(request, listing.for_author(self), listing_size())
        return context


# --- Articles ----------------------------------------------------------------


class ArticleByline(Orderable):
    """One name in an article's byline; several are shown in their order."""

    page = ParentalKey("news.ArticlePage", related_name="bylines", on_delete=models.CASCADE)
    author = models.ForeignKey(AuthorPage, verbose_name=_("author"), on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(
        _("role for this article"),
        max_length=120,
        blank=True,
        help_text=_("Leave blank to use the author's role line."),
    )

    panels = [
        FieldPanel("author", widget=AuthorChooser),
        FieldPanel("role"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")

    @property
    def role_line(self) -> str:
        return self.role or self.author.role


class ArticleTopic(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", related_name="tagged_topics", on_delete=models.CASCADE)


class RelatedArticle(Orderable):
    page = ParentalKey("news.ArticlePage", related_name="related_links", on_delete=models.CASCADE)
    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("article", widget=RelatedArticleChooser)]


class Correction(Orderable):
    """A correction or update note shown at the foot of an article with its date."""

    CORRECTION = "correction"
    UPDATE = "update"
    KINDS = [(CORRECTION, _("Correction")), (UPDATE, _("Update"))]

    page = ParentalKey("news.ArticlePage", related_name="corrections", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default=CORRECTION)
    noted_at = models.DateTimeField(_("date"), default=timezone.now)
    text = models.TextField(_("text"), max_length=2000)

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("noted_at")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")


class LiveUpdate(Orderable):
    """A timestamped entry of a developing story, shown newest first at the top."""

    page = ParentalKey("news.ArticlePage", related_name="live_updates", on_delete=models.CASCADE)
    posted_at = models.DateTimeField(_("time"), default=timezone.now)
    text = models.TextField(_("text"), max_length=3000)

    panels = [FieldPanel("posted_at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")


PUBLISHING_PANEL = "wagtail.admin.panels.PublishingPanel"  # Wagtail's schedule dialog


class ArticlePage(CachedPage, PlainTextMixin, CachedRestrictionsMixin, Page):
    """A news story."""

    standfirst = models.TextField(_("standfirst"), max_length=600, help_text=_("The summary under the headline."))
    dateline = models.CharField(_("dateline place"), max_length=100, blank=True, help_text=_("e.g. “Baghdad”"))
    lead_image = models.ForeignKey(
        "core.NewsImage",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_caption = models.CharField(
        _("lead image caption"), max_length=500, blank=True, help_text=_("Leave blank to use the image's caption.")
    )
    lead_credit = models.CharField(
        _("lead image credit"), max_length=250, blank=True, help_text=_("Leave blank to use the image's credit.")
    )
    body = StreamField(StoryBodyBlock(), verbose_name=_("body"), blank=True)
    topics = ClusterTaggableManager(through=ArticleTopic, blank=True, verbose_name=_("topics"))
    updated_at = models.DateTimeField(
        _("last updated"), null=True, blank=True, help_text=_("Set when the story changes substantially.")
    )
    embargo_until = models.DateTimeField(
        _("embargoed until"), null=True, blank=True, help_text=_("The story appears nowhere before this time.")
    )
    is_developing = models.BooleanField(_("developing story"), default=False)
    comment_mode = models.CharField(_("comments"), max_length=10, choices=COMMENT_MODES, blank=True, default="")
    reactions_enabled = models.BooleanField(_("ask “Do you like this article?”"), default=True)
    source_uri = models.CharField(
        _("source id"), max_length=500, blank=True, db_index=True, help_text=_("The ninjs uri of wire copy.")
    )

    content_panels = [
        ContentDirectionPanel(),
        # TitleFieldPanel, as Page.content_panels uses: the headline fills in the slug (Promote tab)
        # while the story is not live, so the first save never fails on a hidden required field.
        TitleFieldPanel("title", heading=_("Headline")),
        FieldPanel("standfirst"),
        InlinePanel("bylines", heading=_("Bylines"), label=_("Byline"), min_num=1),
        FieldPanel("new_contributor"),  # a form field (ArticlePageForm), not a model field
        FieldPanel("dateline"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_caption"), FieldPanel("lead_credit")], heading=_("Lead image")
        ),
        FieldPanel("body"),
        FieldPanel("topics"),
        InlinePanel("related_links", heading=_("Related articles"), label=_("Related article")),
        MultiFieldPanel(
            [
                FieldPanel("is_developing"),
                InlinePanel("live_updates", heading=_("Live updates"), label=_("Live update")),
            ],
            heading=_("Developing story"),
        ),
        InlinePanel("corrections", heading=_("Corrections and updates"), label=_("Correction or update")),
    ]
    # The schedule sits in the Settings tab in plain sight (not behind the status panel's
    # "Set schedule" dialog): fill in a time, press Publish, and the story waits for it.
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("go_live_at", widget=ScheduleTimeInput()),
                FieldPanel("expire_at", widget=ScheduleTimeInput()),
                FieldPanel("embargo_until", widget=ScheduleTimeInput()),
            ],
            heading=_("Schedule"),
            classname="publishing",
        ),
        *[panel for panel in Page.settings_panels if getattr(panel, "path", "") != PUBLISHING_PANEL],
        FieldPanel("updated_at"),
        FieldPanel("comment_mode"),
        FieldPanel("reactions_enabled"),
        FieldPanel("source_uri", read_only=True),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.SearchField("dateline"),
        index.FilterField("first_published_at"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]

    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []

    objects = ArticleManager()
    base_form_class = ArticlePageForm

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["embargo_until"], name="news_article_embargo")]

    def full_clean(self, *args, **kwargs) -> None:
        if self._slug_follows_the_headline():
            self.slug = ""  # Wagtail then makes one from the headline, unique among the siblings
        super().full_clean(*args, **kwargs)

    def _slug_follows_the_headline(self) -> bool:
        """A translation starts as a copy, English slug included; until it is first published its
        slug follows its own headline (an Arabic address for an Arabic story), through every
        autosave of the headline being typed, unless someone set a slug of their own. Once
        published the address stays, whatever the headline becomes."""
        if self.first_published_at or not self.pk or not self.slug or not self.title:
            return False
        own = slugify(self.title, allow_unicode=True)
        if not own or own == self.slug:
            return False
        sources = ArticlePage.objects.filter(translation_key=self.translation_key).exclude(locale_id=self.locale_id)
        if not sources.exists():
            return False  # not a translation: Wagtail's headline-to-slug sync in the editor applies
        stored_title = ArticlePage.objects.filter(pk=self.pk).values_list("title", flat=True).first() or ""
        derived = {slugify(stored_title, allow_unicode=True), *sources.values_list("slug", flat=True)}
        return self.slug in derived

    def clean(self) -> None:
        super().clean()
        if self.updated_at and self.first_published_at and self.updated_at < self.first_published_at:
            raise ValidationError({"updated_at": _("The last update cannot be before the first publication.")})

    # -- Query helpers --

    @classmethod
    def for_listing(cls, queryset, *, bylines: bool = True):
        """What a listing card shows, in a fixed number of queries whatever the page size."""
        queryset = queryset.defer_streamfields().select_related("lead_image").order_by("-first_published_at", "-pk")
        if bylines:
            queryset = queryset.prefetch_related(
                Prefetch("bylines", queryset=ArticleByline.objects.select_related("author").order_by("sort_order")),
            )
        return queryset

    @property
    def is_embargoed(self) -> bool:
        return bool(self.embargo_until and self.embargo_until > timezone.now())

    @property
    def is_published(self) -> bool:
        return self.live and not self.is_embargoed

    @property
    def status_string(self):
        # Wagtail would say "live" of a story no reader can see yet; the page listing, the
        # editor's header and the reports show this instead.
        if self.live and self.is_embargoed:
            return embargo_note(self.embargo_until)
        return super().status_string

    # A story shows on its own pages and listings only (cache_dependencies), not in the navigation.
    purges_edition = False

    def cache_dependencies(self) -> set[str]:
        """Its section and edition home, its authors' and topics' pages, its translations ("read in
        <language>") and the stories that chose it as related."""
        own = page_path(self)
        if not own:
            return set()
        section = own.rstrip("/").rsplit("/", 1)[0] + "/"
        home = section.rstrip("/").rsplit("/", 1)[0] + "/"
        pages = [byline.author for byline in self.bylines.select_related("author")]
        pages += self.get_translations(inclusive=False)
        pages += Page.objects.filter(pk__in=RelatedArticle.objects.filter(article_id=self.pk).values("page_id"))
        paths = {section, home} | {topic_path(home, topic.slug) for topic in self.topics.all()}
        return paths | {path for path in map(page_path, pages) if path}

    def serve(self, request, *args, **kwargs):
        # An embargoed story does not exist for readers, even if published by mistake.
        if self.is_embargoed:
            raise Http404(_("No such story."))
        return super().serve(request, *args, **kwargs)

    # -- What templates show --

    @cached_property
    def section(self) -> dict | None:
        """The section's title and url, from the cached edition navigation (no query)."""
        from khabar.news.navigation import Edition

        return Edition(self.locale.language_code).section_of(self)

    @property
    def topic_list(self) -> list[Tag]:
        return [tagged.tag for tagged in self.tagged_topics.all()]

    @property
    def caption(self) -> str:
        return self.lead_caption or (self.lead_image.caption if self.lead_image else "")

    @property
    def credit(self) -> str:
        return self.lead_credit or (self.lead_image.credit if self.lead_image else "")

    @property
    def last_updated(self):
        """The "Updated" date: the latest of an editor's update time and any correction or update note."""
        candidates = [self.updated_at] + [c.noted_at for c in self.corrections.all()]
        candidates = [c for c in candidates if c]
        return max(candidates) if candidates else None

    def byline_list(self) -> list[ArticleByline]:
        return list(self.bylines.all())

    def related_articles(self, limit: int = 4) -> list[ArticlePage]:
        """Chosen by editors, else the newest sharing a topic; cards without bylines, in one query each."""
        chosen = [
            link.article
            for link in self.related_links.select_related("article", "article__lead_image")
            if link.article.is_published
        ]
        if chosen:
            local = self._edition_versions(ArticlePage.objects.published().select_related("lead_image"), chosen)
            return [local.get(story.translation_key, story) for story in chosen][:limit]
        topic_ids = [tag.pk for tag in self.topic_list]
        if not topic_ids:
            return []
        # Only the most recently tagged stories are candidates, so the cost stays the same
        # however many thousands of stories share a topic.
        candidates = (
            ArticleTopic.objects.filter(tag_id__in=topic_ids)
            .exclude(content_object_id=self.pk)
            .order_by("-pk")
            .values("content_object_id")[:RELATED_CANDIDATES]
        )
        related = ArticlePage.objects.published().filter(locale_id=self.locale_id, pk__in=candidates)
        return list(ArticlePage.for_listing(related, bylines=False)[:limit])

    def prefetch_for_page(self) -> None:
        """Load what the article page shows in one query per kind, whatever the count of each (once:
        the parts kept between renders call it only when they render)."""
        if getattr(self, "_prefetched_for_page", False):
            return
        self._prefetched_for_page = True
        lookups = [
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("author").order_by("sort_order")),
            Prefetch("tagged_topics", queryset=ArticleTopic.objects.select_related("tag")),
            "corrections",
        ]
        if self.is_developing:
            lookups.append(Prefetch("live_updates", queryset=LiveUpdate.objects.order_by("-posted_at")))
        prefetch_related_objects([self], *lookups)
        self._bylines_in_this_edition()

    def _bylines_in_this_edition(self) -> None:
        """A translation copies the source's bylines: each names the author's page in this edition
        when it is live there (the byline rows keep the source's author, so nothing is lost)."""
        bylines = self.bylines.all()
        local = self._edition_versions(AuthorPage.objects.live(), [b.author for b in bylines])
        for byline in bylines:
            byline.author = local.get(byline.author.translation_key, byline.author)

    def _edition_versions(self, queryset, pages) -> dict:
        """This edition's versions of those ``pages`` that belong to another edition, by translation key
        (one query, none when all are already in this edition)."""
        keys = {page.translation_key for page in pages if page.locale_id != self.locale_id}
        if not keys:
            return {}
        found = queryset.filter(locale_id=self.locale_id, translation_key__in=keys)
        return {page.translation_key: page for page in found}


# --- Plain pages -------------------------------------------------------------


class StandardPage(CachedPage, PlainTextMixin, CachedRestrictionsMixin, Page):
    """About, Contact, the Comment Policy: a page with an introduction and a body."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)
    body = StreamField(StoryBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [ContentDirectionPanel(), FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["news.HomePage", "news.StandardPage"]
    subpage_types = ["news.StandardPage"]

    class Meta:
        verbose_name = _("plain page")
        verbose_name_plural = _("plain pages")


# --- The listing -------------------------------------------------------------


class ListingEntry(models.Model):
    """One row per live article, in the order listings show them: home, section, author and topic
    pages read a page of rows from an index, so their cost does not grow with the archive.

    Kept by news/listing.py on every save, publish, unpublish, move and delete; a row exists only
    while its article is live. Embargo and view restrictions are applied when read, exactly as
    ``published()`` applies them.
    """

    article = models.OneToOneField(
        ArticlePage, primary_key=True, on_delete=models.CASCADE, related_name="listing_entry"
    )
    home = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+", db_index=False)
    section = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+", db_index=False)
    path = models.CharField(max_length=255)
    published_at = models.DateTimeField()
    embargo_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["section", "-published_at", "-article"], name="listing_section_newest"),
            models.Index(fields=["home", "-published_at", "-article"], name="listing_home_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} at {self.published_at:%Y-%m-%d %H:%M}"
