"""The index every view stands on: one object over a catalog, made of three parts a newcomer can read
apart — its entries in their orders (index/entries.py), finding them (index/search.py) and what they say
about each other (index/relations.py). CatalogIndex only hands each question to its part."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import overload

from hlexplore.catalog.inverted import Inverted
from hlexplore.catalog.models import KINDS, Catalog, Company, Entry, Kind, Reference, Technology
from hlexplore.index.entries import Entries
from hlexplore.index.prefilter import Haystack
from hlexplore.index.relations import (
    CatalogStats,
    CategoryRow,
    Companion,
    Comparison,
    Matrix,
    MatrixRow,
    Relations,
    SharedEntry,
    Similarity,
    StackEntry,
    Usage,
    Users,
)
from hlexplore.index.search import PREFILTER_FROM, Filtered, Resolution, Search, SearchResult
from hlexplore.interpreter import bulk

__all__ = [
    "PREFILTER_FROM",
    "CatalogIndex",
    "CatalogStats",
    "CategoryRow",
    "Companion",
    "Comparison",
    "Filtered",
    "Matrix",
    "MatrixRow",
    "Resolution",
    "SearchResult",
    "SharedEntry",
    "Similarity",
    "StackEntry",
    "Usage",
    "Users",
]


class CatalogIndex:
    """Built once from a catalog; every query is a read (but annotate, which changes what finds an entry)."""

    def __init__(self, catalog: Catalog, orders: Inverted | None = None) -> None:
        """orders: the catalog's orders and users when they came with it (loader.load_with_orders), else
        they are worked out here."""
        with bulk():
            self._entries = entries = Entries(catalog, orders)
            self._search = Search(entries)
            self._relations = Relations(entries)
        self.catalog = catalog
        self.companies: Mapping[str, Company] = entries.companies
        self.technologies: Mapping[str, Technology] = entries.technologies
        self.references: Mapping[str, Reference] = entries.references
        # (kind, id) -> the user's catalog files that extended the entry (set by whoever merged: Loaded)
        self.user_files: dict[tuple[str, str], list[str]] = {}
        self._layers = {str(path) for path in catalog.paths[1:]}

    def files_of(self, entry: Entry) -> list[str]:
        """The user's catalog files that added or extended an entry (none for the base catalog's own)."""
        found = self.user_files.get((entry.kind, entry.id))
        if found:
            return found
        return [entry.origin] if entry.origin in self._layers else []

    # -- the entries -----------------------------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.catalog.meta.title

    def all_entries(self) -> Iterable[Entry]:
        return self.catalog.entries()

    def get(self, kind: Kind, entry_id: str) -> Entry | None:
        return self._entries.get(kind, entry_id)

    def label(self, entry: Entry) -> str:
        return self._entries.label(entry)

    def place(self, kind: Kind, entry_id: str) -> int | None:
        """Where an entry is in its kind's unfiltered order (what an empty filter shows), if it exists."""
        return self._entries.positions_of(kind).get(entry_id)

    def count(self, kind: Kind) -> int:
        return len(self._entries.order[kind])

    def entries(self, kind: Kind) -> list[Entry]:
        """Every entry of a kind in its useful order: companies by name, technologies by use."""
        return list(self._entries.order[kind])

    def ordered(self, kind: Kind) -> Sequence[Entry]:
        """The same order, each entry read when read (references are made when first read; column() reads
        a field of them all from the columns)."""
        return self._entries.order[kind]

    def usage_count(self, tech_id: str) -> int:
        return self._entries.usage_count(tech_id)

    def owner(self, ref: Reference) -> Company | Technology | None:
        return self._entries.owner(ref)

    def children(self, tech_id: str) -> list[Technology]:
        return self._entries.children(tech_id)

    # -- search (index/search.py) ------------------------------------------------------------------------

    def prepare(
        self, kind: Kind, typos: bool = False, words: bool = False, pause: Callable[[], object] | None = None
    ) -> None:
        self._search.prepare(kind, typos, words, pause)

    def annotate(self, kind: Kind, entry_id: str, texts: Iterable[str]) -> None:
        self._search.annotate(kind, entry_id, texts)

    def haystack(self, kind: Kind) -> Haystack:
        """The kind's haystack (made now if not yet): what its queries are answered from."""
        return self._search.haystack(kind)

    def filter(
        self, kind: Kind, text: str, limit: int | None = None, cancelled: Callable[[], bool] | None = None
    ) -> list[SearchResult]:
        return self._search.filter(kind, text, limit, cancelled)

    def filtered(
        self,
        kind: Kind,
        text: str,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
        count: bool = True,
        start: int = 0,
    ) -> Filtered:
        return self._search.filtered(kind, text, limit, cancelled, count, start)

    @overload
    def matched(self, kind: Kind, text: str) -> int: ...
    @overload
    def matched(self, kind: Kind, text: str, cancelled: Callable[[], bool] | None) -> int | None: ...
    def matched(self, kind: Kind, text: str, cancelled: Callable[[], bool] | None = None) -> int | None:
        return self._search.matched(kind, text, cancelled)

    def search(self, text: str, kinds: Iterable[Kind] = KINDS, limit: int | None = 20) -> list[SearchResult]:
        return self._search.search(text, kinds, limit)

    def resolve(self, name: str, kinds: Iterable[Kind] = KINDS, guess: bool = True) -> Resolution:
        return self._search.resolve(name, kinds, guess)

    # -- relations (index/relations.py) ------------------------------------------------------------------

    def users_of(self, tech_id: str, include_parts: bool = True) -> Sequence[Usage]:
        return self._relations.users_of(tech_id, include_parts)

    def stack(self, company_id: str) -> list[StackEntry]:
        return self._relations.stack(company_id)

    def stack_by_category(self, company_id: str) -> list[tuple[str, list[StackEntry]]]:
        return self._relations.stack_by_category(company_id)

    def references_of(self, owner_id: str) -> list[Reference]:
        return self._relations.references_of(owner_id)

    def direct_users(self, tech_id: str) -> tuple[Company, ...]:
        return self._relations.direct_users(tech_id)

    def shared_count(self, tech_id: str, other_id: str) -> int:
        return self._relations.shared_count(tech_id, other_id)

    def shared_users(self, tech_id: str, other_id: str) -> tuple[Company, ...]:
        return self._relations.shared_users(tech_id, other_id)

    def reference_count(self, owner_id: str) -> int:
        """How many references an entry has (counted where they are, none of them made)."""
        return self._relations.reference_count(owner_id)

    def compare(self, left_id: str, right_id: str) -> Comparison:
        return self._relations.compare(left_id, right_id)

    def matrix(self, company_ids: Iterable[str]) -> Matrix:
        return self._relations.matrix(company_ids)

    def related_cost(self, tech_id: str) -> int:
        return self._relations.related_cost(tech_id)

    def similar(self, company_id: str, limit: int | None = 10) -> list[Similarity]:
        return self._relations.similar(company_id, limit)

    def related(self, tech_id: str, limit: int | None = 10) -> list[Companion]:
        return self._relations.related(tech_id, limit)

    def stats(self, top: int = 15) -> CatalogStats:
        return self._relations.stats(top)
