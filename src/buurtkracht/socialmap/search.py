"""Searching the social map, the way a worker on a phone types: a few Dutch words, maybe
half a word, maybe without the accents.

PostgreSQL: full-text search with the `dutch` configuration (Snowball stemming, so
"schulden" finds "schuld"), every word also matched as a prefix; entries with a searched
word in their name come first, then by name; a GIN index on `search_vector` keeps it fast
(migration 0002).
SQLite (the demo): every folded word must start a word of the entry; a plural ending is
dropped first, so "schulden" still finds "schuldhulp". Good enough for a laptop demo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from buurtkracht.core.models import Area
from buurtkracht.core.names import fold
from buurtkracht.socialmap.models import Resource, ResourceLocation, stale_before

CONFIG = "dutch"
MAX_WORDS = 8


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _document(resource: Resource, places: Iterable[ResourceLocation]) -> tuple[str, str]:
    from buurtkracht.casework.models import LifeDomain

    labels = dict(LifeDomain.choices)
    parts = [
        resource.description,
        resource.provider.name,
        resource.target_group,
        resource.get_kind_display(),
        resource.cost,
        " ".join(resource.languages),
        " ".join(str(labels.get(code, code)) for code in resource.life_domains),
        " ".join(area.name for area in resource.neighbourhoods.all()),
    ]
    for place in places:
        location = place.location
        parts += [location.name, location.address, location.city]
    return fold(resource.name), fold(" ".join(p for p in parts if p))


def search_document_refresh(resource: Resource) -> None:
    """Rebuild the stored search document of one resource. Services call this after every
    write, inside their transaction."""
    places = resource.places.select_related("location")
    title, text = _document(resource, places)
    Resource.objects.filter(pk=resource.pk).update(
        search_title=f" {title} ",
        search_text=f" {text} ",
        search_domains=" " + " ".join(resource.life_domains) + " ",
    )
    if uses_postgres():
        search_vectors_refresh(Resource.objects.filter(pk=resource.pk))


def search_vectors_refresh(queryset: QuerySet[Resource]) -> int:
    """Recompute the Dutch tsvector from the stored folded text (PostgreSQL only): the
    name weighs most (A), the rest less (B). Used in bulk by imports and the benchmark."""
    if not uses_postgres():
        return 0
    return queryset.update(
        search_vector=SearchVector("search_title", weight="A", config=CONFIG)
        + SearchVector("search_text", weight="B", config=CONFIG)
    )


def words(query: str) -> list[str]:
    return fold(query).split()[:MAX_WORDS]


def _fallback_prefix(word: str) -> str:
    """A crude Dutch plural strip for the SQLite fallback: schulden -> schuld,
    buurthuizen stays (too irregular), taalcafes -> taalcafe."""
    if len(word) > 5 and word.endswith("en"):
        return word[:-2]
    if len(word) > 4 and word.endswith("s"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Filters:
    query: str = ""
    life_domain: str = ""
    area: Area | None = None
    open_access: bool = False
    informal: bool = False


def published() -> QuerySet[Resource]:
    return Resource.objects.filter(status=Resource.Status.PUBLISHED)


def _filtered(filters: Filters, queryset: QuerySet[Resource] | None) -> QuerySet[Resource]:
    qs = published() if queryset is None else queryset
    if filters.life_domain:
        qs = qs.filter(search_domains__contains=f" {filters.life_domain} ")
    if filters.area is not None:
        # A district covers its neighbourhoods; an entry for the whole municipality is
        # there for every neighbourhood.
        area_ids = [filters.area.pk, *filters.area.children.values_list("pk", flat=True)]
        served = Resource.neighbourhoods.through.objects.filter(area_id__in=area_ids).values(
            "resource_id"
        )
        qs = qs.filter(Q(whole_municipality=True) | Q(pk__in=served))
    if filters.open_access:
        qs = qs.filter(access=Resource.Access.OPEN)
    if filters.informal:
        qs = qs.filter(informal=True)
    return qs


def _tsquery(terms: list[str]) -> SearchQuery:
    # Every word as a prefix, all words required; the words are folded to letters and
    # digits, so nothing a user types can break the tsquery syntax.
    return SearchQuery(" & ".join(f"{term}:*" for term in terms), config=CONFIG, search_type="raw")


def matching(filters: Filters, queryset: QuerySet[Resource] | None = None) -> QuerySet[Resource]:
    """The published resources that match, in no particular order (for counting)."""
    qs = _filtered(filters, queryset)
    terms = words(filters.query)
    if not terms:
        return qs
    if uses_postgres():
        return qs.filter(search_vector=_tsquery(terms))
    for term in terms:
        prefix = f" {_fallback_prefix(term)}"
        qs = qs.filter(Q(search_title__contains=prefix) | Q(search_text__contains=prefix))
    return qs


def search(filters: Filters, queryset: QuerySet[Resource] | None = None) -> QuerySet[Resource]:
    """The published resources that match, best first (by name when there is no text)."""
    qs = matching(filters, queryset)
    terms = words(filters.query)
    if not terms:
        return qs.order_by("name", "pk")
    if uses_postgres():
        # Entries with a searched word in their name first, then by name. The weight-A
        # test is an index-free match on each row's small vector, several times cheaper
        # than ts_rank over every match of a broad word (see benchmarks/README.md).
        in_name = " | ".join(f"{term}:*A" for term in terms)
        title_query = SearchQuery(in_name, config=CONFIG, search_type="raw")
        return qs.annotate(
            in_title=ExpressionWrapper(Q(search_vector=title_query), output_field=BooleanField())
        ).order_by("-in_title", "name", "pk")
    first = f" {_fallback_prefix(terms[0])}"
    in_title = ExpressionWrapper(Q(search_title__contains=first), output_field=BooleanField())
    return qs.annotate(in_title=in_title).order_by("-in_title", "name", "pk")


def count_capped(filters: Filters, cap: int) -> tuple[int, bool]:
    """How many resources match, counted up to `cap` (and whether there are more): a
    broad word on a large map need not be counted to the last entry."""
    n = matching(filters).order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def stale_count(queryset: QuerySet[Resource]) -> int:
    return queryset.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=stale_before())).count()
