"""Global search (the header box and /search/): each app registers a provider for its record types.

A provider names the fields it searches, each with the label shown as "what matched". One query per
provider, bounded by ``limit`` (no count), so a search costs the same at any data size. On PostgreSQL
the trigram indexes created by ``trigram_index_operations`` serve the substring matches.
(NetBox ``netbox/search/__init__.py``: ``SearchIndex`` with ``fields``, registered from ``ready()``.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, ClassVar

from django.db import migrations, models
from django.db.models import Q
from django.urls import NoReverseMatch

from bureau.permissions import permission_name
from bureau.records.urls import record_url
from bureau.registry import registry

MIN_QUERY_LENGTH = 2
CANDIDATES = 500  # matching ids a search fetches before it picks the newest
RELATED_LIMIT = 200  # related records (e.g. enterprises by name) whose records a search looks through


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    matched: str  # e.g. "统一社会信用代码：91370323MA3C…" or "拼音首字母：yyxcl"
    detail: str = ""


@dataclass(frozen=True)
class SearchGroup:
    label: str
    hits: list[SearchHit]
    more: bool  # more hits exist than shown
    list_url: str = ""


def _value(obj: Any, lookup: str) -> Any:
    for part in lookup.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class SearchProvider:
    """Declare what a record type is found by; subclass and ``register_search`` it."""

    model: ClassVar[type[models.Model]]
    # (lookup, label): the fields searched with a case-insensitive substring match, in order of how
    # a result is described (the first that matches is what the result says matched).
    fields: ClassVar[tuple[tuple[str, str], ...]] = ()
    # Fields whose stored value is lower-case (pinyin initials): the query is lower-cased for them.
    lowercase_fields: ClassVar[tuple[str, ...]] = ()
    select_related: ClassVar[tuple[str, ...]] = ()
    order: ClassVar[int] = 100
    label: ClassVar[str | None] = None

    @classmethod
    def group_label(cls) -> str:
        return cls.label or str(cls.model._meta.verbose_name_plural)

    @classmethod
    def permission(cls) -> str:
        return permission_name(cls.model, "view")

    @classmethod
    def visible_to(cls, user) -> bool:
        return user.has_perm(cls.permission())

    @classmethod
    def queryset(cls) -> models.QuerySet:
        return cls.model._default_manager.select_related(*cls.select_related).order_by("-pk")

    @classmethod
    def title(cls, obj: models.Model) -> str:
        return str(obj)

    @classmethod
    def detail(cls, obj: models.Model) -> str:
        return ""

    @classmethod
    def url(cls, obj: models.Model) -> str:
        return obj.get_absolute_url()

    @classmethod
    def list_url(cls, query: str) -> str:
        """The type's list filtered by the same words (its ``q`` filter), for "more"."""
        try:
            return record_url(cls.model, "list", q=query)
        except NoReverseMatch:
            return ""

    @classmethod
    def _term(cls, lookup: str, query: str) -> str:
        return query.lower() if lookup in cls.lowercase_fields else query

    @classmethod
    def matched(cls, obj: models.Model, query: str) -> str:
        needle = query.casefold()
        for lookup, label in cls.fields:
            value = _value(obj, lookup)
            if value is not None and needle in str(value).casefold():
                return f"{label}：{value}"
        return ""

    @classmethod
    def _condition(cls, query: str) -> Q:
        """The fields' substring matches, all on the model's own table so that PostgreSQL can OR its
        trigram indexes: a field of a related record (``enterprise__name``) becomes ``enterprise_id
        IN (…)``, the ids of at most ``RELATED_LIMIT`` matching related records, found first through
        that table's own index. (An OR across a join cannot use an index: the whole table is read.)"""
        parts = []
        for lookup, _ in cls.fields:
            relation, _, field = lookup.partition("__")
            if not field:
                parts.append(Q(**{f"{lookup}__icontains": cls._term(lookup, query)}))
                continue
            related = cls.model._meta.get_field(relation).related_model
            ids = list(
                related._default_manager.filter(**{f"{field}__icontains": cls._term(lookup, query)})
                .order_by()
                .values_list("pk", flat=True)[:RELATED_LIMIT]
            )
            if ids:
                parts.append(Q(**{f"{relation}__in": ids}))
        return reduce(or_, parts) if parts else Q(pk__in=[])

    @classmethod
    def search(cls, query: str, *, limit: int) -> tuple[list[SearchHit], bool]:
        matches = cls.queryset().filter(cls._condition(query))
        # Newest first, in two steps that each let PostgreSQL pick a good plan: the ids of up to
        # CANDIDATES matches in any order (the trigram indexes for a rare term, the first rows of the
        # table for a common one), sorted here; only a term that common asks for the newest directly
        # (walking the primary key backwards then stops early). One ordered query would walk the key
        # for a rare term too, reading the whole table, as the planner guesses 1 row in 700 matches.
        ids = list(matches.order_by().values_list("pk", flat=True)[:CANDIDATES])
        if len(ids) < CANDIDATES:
            newest = sorted(ids, reverse=True)[: limit + 1]
            rows = list(cls.queryset().filter(pk__in=newest)) if newest else []
        else:
            rows = list(matches[: limit + 1])
        hits = [
            SearchHit(title=cls.title(o), url=cls.url(o), matched=cls.matched(o, query), detail=cls.detail(o))
            for o in rows[:limit]
        ]
        return hits, len(rows) > limit


def register_search(provider: type[SearchProvider]) -> type[SearchProvider]:
    if provider in registry["search"]:
        raise ValueError(f"search: {provider.__name__!r} is already registered")
    registry["search"].append(provider)
    registry["search"].sort(key=lambda p: p.order)
    return provider


def normalise_query(text: str) -> str:
    """Blanks (full-width too) around and inside a pasted code or name removed."""
    return "".join(str(text or "").split()).replace("\u3000", "")


def search_all(*, user, query: str, limit: int = 5) -> list[SearchGroup]:
    """The groups of hits the user may see, in provider order; empty groups left out."""
    query = normalise_query(query)
    if len(query) < MIN_QUERY_LENGTH:
        return []
    groups = []
    for provider in registry["search"]:
        if not provider.visible_to(user):
            continue
        hits, more = provider.search(query, limit=limit)
        if hits:
            groups.append(
                SearchGroup(label=provider.group_label(), hits=hits, more=more, list_url=provider.list_url(query))
            )
    return groups


def trigram_index_operations(table: str, columns: Iterable[str]) -> list[migrations.RunPython]:
    """Migration operations: the ``pg_trgm`` extension and a GIN trigram index on ``UPPER(column)``
    for each column (what ``icontains`` compares on PostgreSQL); no-ops on other databases."""

    columns = list(columns)

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" ON "{table}" '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_{column}_trgm"')

    return [migrations.RunPython(forwards, backwards, elidable=False)]
