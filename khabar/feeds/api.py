"""The read API (Wagtail API v2) for headless use: /api/v2/pages/ and /api/v2/images/.

Only what a reader may see is served: published articles (ArticlePage.objects.published(),
so embargoed stories are absent), live sections and authors; images used by them. Read-only
(GET), JSON only (the browsable HTML renderer would need inline scripts our CSP forbids).
docs/api.md has the parameters and curl examples.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Length, Substr
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_safe
from rest_framework.filters import BaseFilterBackend
from rest_framework.renderers import JSONRenderer
from rest_framework.serializers import Field
from wagtail.api import APIField
from wagtail.api.v2.filters import (
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError, get_restricted_collection_ids
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page

from khabar.core.models import NewsImage
from khabar.core.views import keep_not_found
from khabar.feeds.links import absolute
from khabar.lib.ids import parse_id
from khabar.news.models import ArticleByline, ArticlePage, AuthorPage, Correction, SectionPage, public

# Lead image renditions offered to API clients, by aspect ratio.
RENDITIONS = {
    "16x9": "fill-1200x675|format-jpeg",
    "4x3": "fill-1200x900|format-jpeg",
    "1x1": "fill-1200x1200|format-jpeg",
}


# --- Fields ------------------------------------------------------------------


class BylinesField(Field):
    def to_representation(self, bylines):
        request = self.context["request"]
        return [
            {
                "id": byline.author_id,
                "name": byline.author.title,
                "role": byline.role_line,
                # null when the author page is not live (it would be a 404)
                "html_url": absolute(byline.author.get_url(request), request) if byline.author.live else None,
            }
            for byline in bylines.all()
        ]


class TopicsField(Field):
    def to_representation(self, topics):
        return [{"name": tag.name, "slug": tag.slug} for tag in topics.all()]


class CorrectionsField(Field):
    def to_representation(self, corrections):
        return [
            {"kind": note.kind, "noted_at": note.noted_at.isoformat(), "text": note.text} for note in corrections.all()
        ]


def renditions(image: NewsImage, request: HttpRequest) -> dict:
    found = image.get_renditions(*RENDITIONS.values())
    result = {}
    for ratio, spec in RENDITIONS.items():
        rendition = found[spec]
        result[ratio] = {"url": absolute(rendition.url, request), "width": rendition.width, "height": rendition.height}
    return result


class LeadImageField(Field):
    def to_representation(self, image):
        request = self.context["request"]
        return {
            "id": image.pk,
            "alt": image.alt_text,
            "caption": image.caption,
            "credit": image.credit,
            "renditions": renditions(image, request),
        }


class RenditionsField(Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, image):
        return renditions(image, self.context["request"])


class SectionField(Field):
    def get_attribute(self, instance):
        # Annotated by the query (one subquery, no query per item); detail views fall back to the parent.
        if getattr(instance, "api_section_id", None):
            return {"id": instance.api_section_id, "title": instance.api_section_title}
        parent = instance.get_parent()
        return {"id": parent.pk, "title": parent.title} if parent else None

    def to_representation(self, value):
        return value


class LastUpdatedField(Field):
    def to_representation(self, value):
        return value.isoformat()


ARTICLE_FIELDS = [
    APIField("standfirst"),
    APIField("dateline"),
    APIField("section", serializer=SectionField(read_only=True)),
    APIField("bylines", serializer=BylinesField(read_only=True)),
    APIField("topics", serializer=TopicsField(read_only=True)),
    APIField("lead_image", serializer=LeadImageField(read_only=True)),
    APIField("lead_caption"),
    APIField("body"),
    APIField("last_updated", serializer=LastUpdatedField(read_only=True)),
    APIField("corrections", serializer=CorrectionsField(read_only=True)),
    APIField("is_developing"),
]
API_FIELDS = {
    ArticlePage: ARTICLE_FIELDS,
    SectionPage: [APIField("description")],
    AuthorPage: [APIField("role"), APIField("kind"), APIField("bio")],
}


# --- Filters -----------------------------------------------------------------


def _parse_moment(name: str, raw: str, end_of_day: bool = False) -> datetime:
    try:  # parse_* return None for a malformed value but raise for an impossible one (month 13)
        moment = parse_datetime(raw)
        day = parse_date(raw) if moment is None else None
    except ValueError:
        moment = day = None
    if moment is None:
        if day is None:
            raise BadRequestError(f"{name} must be an ISO 8601 date or date-time, e.g. 2026-11-28 or 2026-11-28T09:00Z")
        moment = datetime.combine(day, time.max if end_of_day else time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class PublishedRangeFilter(BaseFilterBackend):
    """?published_after= / ?published_before= on the first publication date (inclusive; a bare date
    in published_before means the end of that day)."""

    def filter_queryset(self, request, queryset, view):
        if "published_after" in request.GET:
            queryset = queryset.filter(
                first_published_at__gte=_parse_moment("published_after", request.GET["published_after"])
            )
        if "published_before" in request.GET:
            raw = request.GET["published_before"]
            queryset = queryset.filter(first_published_at__lte=_parse_moment("published_before", raw, end_of_day=True))
        return queryset


class SectionFilter(BaseFilterBackend):
    """?section=<id or slug>: the articles of one section (a slug is looked up in ?locale= if given)."""

    def filter_queryset(self, request, queryset, view):
        raw = request.GET.get("section")
        if raw is None:
            return queryset
        sections = public(SectionPage.objects.live())
        if raw.isdigit():
            sections = sections.filter(pk=parse_id(raw) or 0)  # an id no database holds: no section
        else:
            sections = sections.filter(slug=raw)
            if "locale" in request.GET:
                sections = sections.filter(locale__language_code=request.GET["locale"])
        section = sections.order_by("path").first()
        if section is None:
            raise BadRequestError(f"section {raw[:80]!r} does not exist")
        return queryset.child_of(section)


class AuthorTopicFilter(BaseFilterBackend):
    """?author=<author page id> and ?topic=<topic slug>."""

    def filter_queryset(self, request, queryset, view):
        if "author" in request.GET:
            author_id = parse_id(request.GET["author"])
            if author_id is None:
                raise BadRequestError("author must be an author page id")
            queryset = queryset.filter(pk__in=ArticleByline.objects.filter(author_id=author_id).values("page_id"))
        if "topic" in request.GET:
            tagged = ArticlePage.objects.filter(topics__slug=request.GET["topic"]).values("pk")
            queryset = queryset.filter(pk__in=tagged)
        return queryset


class PlainWordsSearchFilter(SearchFilter):
    """?search= as plain words: quotes, brackets and operators would reach the search engine's own
    query syntax (SQLite FTS5 answers an unbalanced quote with an error), so only letters and digits
    are searched for."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        words = " ".join(_WORD_RE.findall(request.GET["search"]))[:MAX_SEARCH_CHARACTERS]
        if not words:
            raise BadRequestError("search must contain at least one letter or digit")
        request.GET = request.GET.copy()  # rest_framework's request.GET is Django's, read-only
        request.GET["search"] = words
        return super().filter_queryset(request, queryset, view)


_WORD_RE = re.compile(r"[^\W_]+")
MAX_SEARCH_CHARACTERS = 200
# Large enough for any real archive, small enough for every database's LIMIT/OFFSET.
MAX_OFFSET = 10**9


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if offset.isascii() and offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


# --- Endpoints ---------------------------------------------------------------


class ReaderAPIMixin:
    """An API 404 stays a JSON 404 (see core.views.keep_not_found); ?id= on find/ must be an id."""

    def dispatch(self, request, *args, **kwargs):
        return keep_not_found(request, super().dispatch(request, *args, **kwargs))

    def find_object(self, queryset, request):
        if "id" in request.GET and parse_id(request.GET["id"]) is None:
            raise BadRequestError("id must be a page or image id")
        return super().find_object(queryset, request)


class NewsPagesAPIViewSet(ReaderAPIMixin, PagesAPIViewSet):
    renderer_classes = [JSONRenderer]
    pagination_class = BoundedPagination
    filter_backends = [
        FieldsFilter,
        ChildOfFilter,
        DescendantOfFilter,
        SectionFilter,
        PublishedRangeFilter,
        AuthorTopicFilter,
        OrderingFilter,
        TranslationOfFilter,
        LocaleFilter,
        PlainWordsSearchFilter,  # last: search results cannot be filtered further
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        ["section", "published_after", "published_before", "author", "topic"]
    ) - {"ancestor_of"}

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(cls.body_fields + list(API_FIELDS.get(model, ())))

    def get_base_queryset(self):
        """Live, public pages of the site that are sections, authors or published articles."""
        article_type = ContentType.objects.get_for_model(ArticlePage)
        published = ArticlePage.objects.published().values("pk")
        return (
            super()
            .get_base_queryset()
            .type(SectionPage, AuthorPage, ArticlePage)
            .filter(~Q(content_type=article_type) | Q(pk__in=published))
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        if "order" not in self.request.GET and "search" not in self.request.GET:
            queryset = queryset.order_by("-first_published_at", "-pk")
        if queryset.model is ArticlePage:
            queryset = self._with_article_relations(queryset)
        return queryset

    @staticmethod
    def _with_article_relations(queryset):
        """Everything the article fields show, in a fixed number of queries per page of results."""
        parent = Page.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen))
        return (
            queryset.annotate(
                api_section_id=Subquery(parent.values("pk")[:1]), api_section_title=Subquery(parent.values("title")[:1])
            )
            .select_related("locale")
            .prefetch_related(
                Prefetch("lead_image", queryset=NewsImage.objects.prefetch_renditions(*RENDITIONS.values())),
                Prefetch("bylines", queryset=ArticleByline.objects.select_related("author").order_by("sort_order")),
                Prefetch("corrections", queryset=Correction.objects.order_by("noted_at")),
                "topics",
            )
        )


class NewsImagesAPIViewSet(ReaderAPIMixin, ImagesAPIViewSet):
    """Images that readers can already see: lead images of published articles and live authors' photos."""

    renderer_classes = [JSONRenderer]
    pagination_class = BoundedPagination
    filter_backends = [PlainWordsSearchFilter if f is SearchFilter else f for f in ImagesAPIViewSet.filter_backends]
    body_fields = ImagesAPIViewSet.body_fields + ["alt_text", "caption", "credit"]
    # No "tags": the newsroom does not tag images, and each item's tags would cost a query.
    # No "download_url": it names the uploaded original, which is never served (khabar/core/media.py);
    # the "renditions" field has the published sizes.
    meta_fields = ["type", "detail_url"]
    listing_default_fields = ["id", "type", "detail_url", "title", "alt_text", "credit"]
    model = NewsImage

    @classmethod
    def get_body_fields(cls, model):
        fields = list(cls.body_fields) + [APIField("renditions", serializer=RenditionsField(read_only=True))]
        return cls._convert_api_fields(fields)

    def get_queryset(self):
        lead = ArticlePage.objects.published().filter(lead_image__isnull=False).values("lead_image_id")
        photos = public(AuthorPage.objects.live()).filter(photo__isnull=False).values("photo_id")
        return (
            NewsImage.objects.filter(Q(pk__in=lead) | Q(pk__in=photos))
            .exclude(collection__in=get_restricted_collection_ids(self.request))
            .prefetch_renditions(*RENDITIONS.values())
            .order_by("id")
        )


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", NewsPagesAPIViewSet)
router.register_endpoint("images", NewsImagesAPIViewSet)


@require_safe
def index(request: HttpRequest) -> JsonResponse:
    """/api/: where the endpoints are."""
    return JsonResponse(
        {
            "pages": request.build_absolute_uri("/api/v2/pages/"),
            "images": request.build_absolute_uri("/api/v2/images/"),
            "documentation": "docs/api.md",
        }
    )
