"""The in-memory index every view stands on: search, who uses what, stacks, comparison, similarity."""

from __future__ import annotations

import heapq
import threading
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Literal, NamedTuple, cast, overload

from hlexplore.catalog.columns import column
from hlexplore.catalog.inverted import Inverted
from hlexplore.catalog.models import (
    KINDS,
    Catalog,
    Company,
    Entry,
    Kind,
    Reference,
    StackItem,
    Technology,
)
from hlexplore.catalog.vocabulary import CATEGORIES
from hlexplore.index.bitsets import add, bitset, counted, members
from hlexplore.index.matching import SEPARATOR, Matchable, Query, match_entry, parse_query, score_entry
from hlexplore.index.names import Names
from hlexplore.index.prefilter import Haystack, Superseded
from hlexplore.interpreter import bulk
from hlexplore.lazy import Lazy
from hlexplore.text import compact, fold

# Kinds with this many entries are searched through the prefilter (below, scoring them all takes about
# a millisecond and the prefilter would only add its own cost).
PREFILTER_FROM = 2000


class Filtered(NamedTuple):
    shown: list[SearchResult]  # the best matches, best first (as many as asked for)
    matched: int | None  # how many matched in all (None: not counted, see CatalogIndex.filtered)


@dataclass(frozen=True, slots=True)
class SearchResult:
    entry: Entry
    score: float
    positions: tuple[int, ...] = ()

    @property
    def kind(self) -> Kind:
        return self.entry.kind


@dataclass(frozen=True, slots=True)
class Resolution:
    status: Literal["found", "ambiguous", "missing"]
    entry: Entry | None = None
    candidates: tuple[Entry, ...] = ()
    exact: bool = False  # the name is the entry's (or the candidates') name, id or alias, not a prefix
    guessed: bool = False  # found as the one clearly nearest to a misspelt name (say so to the user)


class Usage(NamedTuple):  # one per stack entry, millions in a large catalog: a tuple is the cheapest to make
    company: Company
    item: StackItem
    via: Technology | None = None  # set when the company uses a part of the technology


class Users(Lazy[Usage]):
    """The direct users of one technology, in name order, made into Usages only when read (a technology in
    most stacks of a large catalog has a hundred thousand, and a view shows a few)."""

    def __init__(self, by_rank: list[Company], ranks: array[int], places: array[int]) -> None:
        self._by_rank, self._ranks, self._places = by_rank, ranks, places

    def __len__(self) -> int:
        return len(self._ranks)

    def _read(self, at: int) -> Usage:
        return self._usage(self._ranks[at], self._places[at])

    def __iter__(self) -> Iterator[Usage]:
        return map(self._usage, self._ranks, self._places)

    def _usage(self, rank: int, place: int) -> Usage:
        company = self._by_rank[rank]
        return Usage(company, company.stack[place])


@dataclass(frozen=True, slots=True)
class StackEntry:
    technology: Technology
    item: StackItem


@dataclass(frozen=True, slots=True)
class SharedEntry:
    technology: Technology
    left: StackItem
    right: StackItem


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category: str
    shared: tuple[SharedEntry, ...]
    only_left: tuple[StackEntry, ...]
    only_right: tuple[StackEntry, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    left: Company
    right: Company
    shared: tuple[SharedEntry, ...]
    only_left: tuple[StackEntry, ...]
    only_right: tuple[StackEntry, ...]
    rows: tuple[CategoryRow, ...]

    @property
    def jaccard(self) -> float:
        union = len(self.shared) + len(self.only_left) + len(self.only_right)
        return len(self.shared) / union if union else 0.0

    def swapped(self) -> Comparison:
        """The same comparison seen from the other side."""

        def mirror(entries: tuple[SharedEntry, ...]) -> tuple[SharedEntry, ...]:
            return tuple(SharedEntry(e.technology, e.right, e.left) for e in entries)

        rows = tuple(CategoryRow(r.category, mirror(r.shared), r.only_right, r.only_left) for r in self.rows)
        return Comparison(self.right, self.left, mirror(self.shared), self.only_right, self.only_left, rows)


@dataclass(frozen=True, slots=True)
class MatrixRow:
    technology: Technology
    items: tuple[StackItem | None, ...]  # one per company of the matrix, None where it is not used

    @property
    def count(self) -> int:
        return sum(item is not None for item in self.items)


@dataclass(frozen=True, slots=True)
class Matrix:
    """Technologies × companies for three or more companies."""

    companies: tuple[Company, ...]
    rows: tuple[MatrixRow, ...]  # grouped by category; the most shared rows and groups first

    def counts(self) -> tuple[int, ...]:
        """How many of the matrix's technologies each company uses."""
        return tuple(sum(row.items[i] is not None for row in self.rows) for i in range(len(self.companies)))

    def shared_by_all(self) -> int:
        return sum(row.count == len(self.companies) for row in self.rows)


@dataclass(frozen=True, slots=True)
class Similarity:
    company: Company
    score: float
    shared: tuple[Technology, ...]


@dataclass(frozen=True, slots=True)
class Companion:
    technology: Technology
    together: int  # companies using both
    lift: float  # how much more often than chance they appear together
    companies: tuple[Company, ...]


@dataclass(frozen=True, slots=True)
class CatalogStats:
    companies: int
    companies_with_stack: int
    technologies: int
    technologies_in_use: int
    references: int
    stack_items: int
    top_technologies: tuple[tuple[Technology, int], ...]
    technologies_per_category: tuple[tuple[str, int], ...]
    companies_per_category: tuple[tuple[str, int], ...]
    references_per_year: tuple[tuple[int | None, int], ...]
    references_per_kind: tuple[tuple[str, int], ...]
    references_per_lang: tuple[tuple[str, int], ...]


class _ById(Mapping[str, Reference]):
    """References by id, the map made at the first lookup (a warm start reads none)."""

    def __init__(self, references: Sequence[Reference]) -> None:
        self._references = references
        self._at: dict[str, int] | None = None

    def _positions(self) -> dict[str, int]:
        if self._at is None:
            refs = self._references
            ids = column(refs, "id")
            self._at = dict(zip(ids, range(len(ids)), strict=True))
        return self._at

    def __getitem__(self, ref_id: str) -> Reference:
        return self._references[self._positions()[ref_id]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions())

    def __len__(self) -> int:
        return len(self._references)


class _Ordered(Lazy[Entry]):
    """Entries in an order given by their positions, each read only when asked for."""

    def __init__(self, entries: Sequence[Entry], order: Sequence[int]) -> None:
        self._entries, self._order = entries, order

    def __len__(self) -> int:
        return len(self._order)

    def _read(self, at: int) -> Entry:
        return self._entries[self._order[at]]

    def __iter__(self) -> Iterator[Entry]:
        every = tuple(self._entries)  # all at once when all are wanted
        return map(every.__getitem__, self._order)


def _total(counts: Iterable[int], enough: int | None) -> int:
    total = 0
    for count in counts:
        total += count
        if enough is not None and total >= enough:
            break
    return total


def _category_rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


class CatalogIndex:
    """Built once from a catalog; every query is a read."""

    def __init__(self, catalog: Catalog, orders: Inverted | None = None) -> None:
        """orders: the catalog's orders and users when they came with it (loader.load_with_orders), else
        they are worked out here."""
        with bulk():
            self._build(catalog, orders)

    def _build(self, catalog: Catalog, orders: Inverted | None) -> None:
        self.catalog = catalog
        self.companies = {c.id: c for c in catalog.companies}
        self.technologies = {t.id: t for t in catalog.technologies}
        self.references: Mapping[str, Reference] = _ById(catalog.references)
        self._children: dict[str, list[str]] = defaultdict(list)
        for tech in catalog.technologies:
            if tech.parent:
                self._children[tech.parent].append(tech.id)
        # Companies are numbered by name (their rank); a technology's users are two arrays: the users'
        # ranks, in name order, and where in each user's stack the technology is (catalog/inverted.py).
        inverted = orders or Inverted.of(catalog)
        self._by_rank = list(map(catalog.companies.__getitem__, inverted.company_order))
        self._name_rank = {c.id: rank for rank, c in enumerate(self._by_rank)}
        self._users = inverted.users
        by_size: dict[int, list[int]] = defaultdict(list)  # stack size -> ranks
        for rank, company in enumerate(self._by_rank):
            by_size[len(company.stack)].append(rank)
        self._with_stack = len(self._by_rank) - len(by_size.get(0, ()))
        self._by_size = {size: bitset(ranks, len(self._by_rank)) for size, ranks in by_size.items() if size}
        self._bitsets: dict[str, int] = {}  # the users of widely used technologies, as bitsets of ranks
        self._refs_at = inverted.references_of
        self._order: dict[Kind, Sequence[Entry]] = {
            "company": list(self._by_rank),
            "technology": list(map(catalog.technologies.__getitem__, inverted.technology_order)),
            "reference": _Ordered(catalog.references, inverted.reference_order),
        }
        self._extra: dict[tuple[str, str], tuple[str, ...]] = {}
        self._haystacks: dict[Kind, Haystack] = {}
        self._name_tables: dict[Kind, Names] = {}
        self._lines_by_kind: dict[Kind, list[str]] = {}
        # a kind's lines and haystack are made once, by the first thread that wants them (the explorer
        # prepares them in one worker while the first keystroke's search may already want them in another)
        self._making = {kind: threading.RLock() for kind in KINDS}
        self._position: dict[Kind, dict[str, int]] = {}
        self._shown_keys: dict[tuple[str, str], tuple[Matchable, ...]] = {}
        # (kind, id) -> the user's catalog files that added or extended the entry (set by whoever merged)
        self.user_files: dict[tuple[str, str], list[str]] = {}

    def _lines(self, kind: Kind) -> list[str]:
        """Each entry's folded search keys, joined by SEPARATOR, in the kind's order: built at the kind's
        first query (not on the way to the first frame, and not for kinds never searched)."""
        if kind not in self._lines_by_kind:
            with self._making[kind]:
                if kind not in self._lines_by_kind:
                    with bulk():
                        self._lines_by_kind[kind] = [self._line(entry) for entry in self._order[kind]]
        return self._lines_by_kind[kind]

    def _line(self, entry: Entry) -> str:
        return SEPARATOR.join(fold(text).replace(SEPARATOR, " ") for text in self._key_texts(entry))

    def _matchables(self, entry: Entry) -> tuple[Matchable, ...]:
        """An entry's keys with their maps to the label, for highlighting (kept for the last few thousand
        entries shown)."""
        key = (entry.kind, entry.id)
        found = self._shown_keys.pop(key, None) or tuple(Matchable.of(t) for t in self._key_texts(entry))
        self._shown_keys[key] = found  # last: the most recently shown
        if len(self._shown_keys) > 4096:
            self._shown_keys.pop(next(iter(self._shown_keys)), None)
        return found

    def prepare(
        self, kind: Kind, typos: bool = False, words: bool = False, pause: Callable[[], object] | None = None
    ) -> None:
        """Build what the kind's first query needs ahead of it; with typos, what its first query of four
        letters or more needs too; with words, the table that makes a large kind's word lookups quick
        (calling pause between pieces of it: see Haystack.prepare_words)."""
        self._lines(kind)
        if len(self._order[kind]) >= PREFILTER_FROM:
            if typos:
                self._haystack(kind).prepare()
            if words:
                self._haystack(kind).prepare_words(pause or (lambda: None))

    def _haystack(self, kind: Kind) -> Haystack:
        if kind not in self._haystacks:
            with self._making[kind]:
                if kind not in self._haystacks:
                    self._haystacks[kind] = Haystack(self._lines(kind))
        return self._haystacks[kind]

    # -- basic access ---------------------------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.catalog.meta.title

    def all_entries(self) -> Iterable[Entry]:
        return self.catalog.entries()

    def get(self, kind: Kind, entry_id: str) -> Entry | None:
        table: Mapping[str, Entry] = (
            self.companies
            if kind == "company"
            else self.technologies
            if kind == "technology"
            else self.references
        )
        return table.get(entry_id)

    def label(self, entry: Entry) -> str:
        if isinstance(entry, Company):
            return entry.display_name
        return entry.name

    def _key_texts(self, entry: Entry) -> list[str]:
        texts = [self.label(entry), *entry.names, *self._extra.get((entry.kind, entry.id), ())]
        return list(dict.fromkeys(t for t in texts if t))

    def annotate(self, kind: Kind, entry_id: str, texts: Iterable[str]) -> None:
        """More texts to find an entry by (e.g. the user's note on it); replaces the earlier ones."""
        entry = self.get(kind, entry_id)
        if entry is None:
            return
        self._extra[(kind, entry_id)] = tuple(t for t in texts if t)
        self._shown_keys.pop((kind, entry_id), None)
        if kind in self._lines_by_kind:
            self._lines_by_kind[kind][self._positions_of(kind)[entry_id]] = self._line(entry)
        self._haystacks.pop(kind, None)  # what it found came from the old texts
        self._name_tables.pop(kind, None)

    def _positions_of(self, kind: Kind) -> dict[str, int]:
        if kind not in self._position:
            self._position[kind] = {e.id: rank for rank, e in enumerate(self._order[kind])}
        return self._position[kind]

    def place(self, kind: Kind, entry_id: str) -> int | None:
        """Where an entry is in its kind's unfiltered order (what an empty filter shows), if it exists."""
        return self._positions_of(kind).get(entry_id)

    def _user_ranks(self, tech_id: str) -> array[int]:
        """The ranks of the companies using tech_id directly, in name order."""
        found = self._users.get(tech_id)
        return found[0] if found else array("i")

    def _bitset(self, tech_id: str) -> int:
        """The companies using tech_id directly, as a bitset of ranks; kept for a technology used by at
        least one company in 64 (then the bitset is no larger than the array of ranks)."""
        found = self._bitsets.get(tech_id)
        if found is None:
            ranks = self._user_ranks(tech_id)
            found = bitset(ranks, len(self._by_rank))
            if len(ranks) * 64 >= len(self._by_rank):
                self._bitsets[tech_id] = found
        return found

    def usage_count(self, tech_id: str) -> int:
        return len(self._user_ranks(tech_id))

    def owner(self, ref: Reference) -> Company | Technology | None:
        return self.companies.get(ref.company) or self.technologies.get(ref.technology)

    def children(self, tech_id: str) -> list[Technology]:
        return [self.technologies[t] for t in self._children.get(tech_id, [])]

    # -- search ---------------------------------------------------------------------------------------

    def count(self, kind: Kind) -> int:
        return len(self._order[kind])

    def entries(self, kind: Kind) -> list[Entry]:
        """Every entry of a kind in its useful order: companies by name, technologies by use."""
        return list(self._order[kind])

    def filter(
        self, kind: Kind, text: str, limit: int | None = None, cancelled: Callable[[], bool] | None = None
    ) -> list[SearchResult]:
        """The entries of one kind matching text, best first; an empty text lists all in order."""
        return self.filtered(kind, text, limit, cancelled).shown

    def filtered(
        self,
        kind: Kind,
        text: str,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
        count: bool = True,
        start: int = 0,
    ) -> Filtered:
        """The best `limit` matches of text among one kind's entries (all if None), and how many matched;
        from start on, the matches after the best `start` (a list's later rows, its last page).

        cancelled is asked now and then while a large kind is scored: when it says so (a newer keystroke
        superseded this query), filtering stops and returns nothing. Without count, matched may be None
        when the best were found without finding every match (count them with `matched`)."""
        query = parse_query(text)
        order = self._order[kind]
        if query.empty:
            rows = order[start : start + limit] if limit else order[start:]
            return Filtered([SearchResult(entry, 0.0) for entry in rows], len(order))
        if start and limit:
            limit += start
        lines = self._lines(kind)
        matched: int | None = None
        tiers: Sequence[tuple[float, Iterable[int]]] = [(0.0, range(len(order)))]
        if len(order) >= PREFILTER_FROM:
            haystack = self._haystack(kind)
            try:
                with haystack.cancellable(cancelled):
                    best = haystack.best(query, limit) if limit else None
                    if best is not None:  # the best are in the band of keys or words starting with the word
                        return Filtered(
                            self._results(query, order, best[start:]),
                            self.matched(kind, text) if count else None,
                        )
                    found = haystack.matches(query)
                    matched = len(found)
                    tiers = haystack.tiers(query, found) if limit and matched > limit else [(0.0, found)]
            except Superseded:
                return Filtered([], 0)
        scored: list[tuple[float, int]] = []
        done = 0
        for most, ranks in tiers:
            if limit and len(scored) >= limit and heapq.nlargest(limit, scored)[-1][0] > most:
                break  # no entry left can reach the best `limit`
            for rank in ranks:
                done += 1
                if cancelled is not None and done % 1024 == 0 and cancelled():
                    return Filtered([], 0)
                score = score_entry(query, lines[rank].split(SEPARATOR))
                if score is not None:
                    scored.append((score, -rank))
        best = heapq.nlargest(limit, scored) if limit else sorted(scored, reverse=True)
        return Filtered(
            self._results(query, order, best[start:]), len(scored) if matched is None else matched
        )

    @overload
    def matched(self, kind: Kind, text: str) -> int: ...
    @overload
    def matched(self, kind: Kind, text: str, cancelled: Callable[[], bool]) -> int | None: ...
    def matched(self, kind: Kind, text: str, cancelled: Callable[[], bool] | None = None) -> int | None:
        """How many of one kind's entries match text (None if cancelled() said to stop before the end)."""
        query = parse_query(text)
        if query.empty:
            return len(self._order[kind])
        if len(self._order[kind]) >= PREFILTER_FROM:
            haystack = self._haystack(kind)
            try:
                with haystack.cancellable(cancelled):
                    return len(haystack.matches(query))
            except Superseded:
                return None
        return self.filtered(kind, text).matched or 0

    def _results(
        self, query: Query, order: Sequence[Entry], best: list[tuple[float, int]]
    ) -> list[SearchResult]:
        """(score, -rank) pairs as results; only these are matched again, for their positions."""
        shown = []
        for score, rank in best:
            entry = order[-rank]
            hit = match_entry(query, self._matchables(entry))
            shown.append(SearchResult(entry, score, hit.positions if hit else ()))
        return shown

    def search(self, text: str, kinds: Iterable[Kind] = KINDS, limit: int | None = 20) -> list[SearchResult]:
        """Across kinds, best first (companies before technologies before references on a tie)."""
        merged = []
        for order, kind in enumerate(kinds):
            merged += [(r.score, -order, r) for r in self.filter(kind, text)]
        merged.sort(key=lambda r: (r[0], r[1]), reverse=True)
        found = [r[2] for r in merged]
        return found[:limit] if limit else found

    def resolve(self, name: str, kinds: Iterable[Kind] = KINDS, guess: bool = True) -> Resolution:
        """What a user means by name: exact names, ids and aliases first (then the same without
        separators: `my sql`), then a unique prefix, then (with guess) the entry clearly nearest to a
        misspelt name (see _near_miss) or the filter's one match; else the nearest as candidates.

        Looked up in each kind's haystack (index.names), not by a pass over every entry in Python."""
        kinds = tuple(kinds)
        wanted, squeezed = fold(name.strip()), compact(name)
        if not wanted:
            return Resolution("missing")
        exact = self._named(kinds, lambda names: names.equal(wanted))
        if not exact and squeezed:
            exact = self._named(kinds, lambda names: names.squeezed(squeezed))
        if len(exact) == 1:
            return Resolution("found", exact[0], exact=True)
        if exact:
            return Resolution("ambiguous", candidates=tuple(exact), exact=True)
        prefix = self._named(kinds, lambda names: names.starting(wanted))
        if len(prefix) == 1:
            return Resolution("found", prefix[0])
        if prefix:
            return Resolution("ambiguous", candidates=tuple(prefix[:12]))
        nearest = self._near_miss(squeezed, kinds) if guess else None
        if nearest is not None:
            return Resolution("found", nearest, guessed=True)
        close = [r.entry for r in self.search(name, kinds, limit=5)]
        if len(close) == 1 and guess:  # the filter's one match (its letters scattered in a name: pgsql)
            return Resolution("found", close[0], guessed=True)
        if not close:
            close = self._named(kinds, lambda names: names.like(squeezed, 5))[:5]
        return Resolution("missing", candidates=tuple(close))

    def _names(self, kind: Kind) -> Names:
        if kind not in self._name_tables:
            haystack = self._haystack(kind)
            with self._making[kind]:
                self._name_tables.setdefault(kind, Names(haystack))
        return self._name_tables[kind]

    def _named(self, kinds: tuple[Kind, ...], find: Callable[[Names], list[int]]) -> list[Entry]:
        """The entries find gives in each kind's names, kind after kind, each kind's in its order."""
        return [self._order[kind][at] for kind in kinds for at in find(self._names(kind))]

    def _near_miss(self, squeezed: str, kinds: tuple[Kind, ...]) -> Entry | None:
        """The entry a misspelt name means, when one is clearly the nearest: a key (name, id, alias)
        within a small edit distance for the name's length (a letter left out, doubled, changed, two
        swapped; separators do not count), and every other entry at least one edit further. Ties are
        no answer; the result does not depend on the order of the catalog or the hash seed."""
        if len(squeezed) < 3:
            return None
        allowed = 1 if len(squeezed) <= 4 else 2 if len(squeezed) <= 9 else 3
        ranked = sorted(
            (distance, kind, entry.id, entry)
            for kind in kinds
            for at, distance in self._names(kind).nearest(squeezed, allowed + 1).items()
            for entry in (self._order[kind][at],)
        )
        if not ranked:
            return None
        distance, *_, best = ranked[0]
        if distance > allowed or (len(ranked) > 1 and ranked[1][0] <= distance):
            return None
        return best

    # -- technologies and stacks ----------------------------------------------------------------------

    def users_of(self, tech_id: str, include_parts: bool = True) -> Sequence[Usage]:
        """Companies using a technology, by name; with include_parts also those using only a part of it."""
        ranks, places = self._users.get(tech_id) or (array("i"), array("i"))
        children = self.children(tech_id) if include_parts else []
        if not children:
            return Users(self._by_rank, ranks, places)
        usages = list(Users(self._by_rank, ranks, places))
        direct = set(ranks)
        for child in children:
            for rank, usage in zip(self._user_ranks(child.id), self.users_of(child.id, False), strict=True):
                if rank not in direct:
                    direct.add(rank)
                    usages.append(Usage(usage.company, usage.item, via=child))
        usages.sort(key=lambda u: self._name_rank[u.company.id])
        return usages

    def stack(self, company_id: str) -> list[StackEntry]:
        company = self.companies[company_id]
        return [StackEntry(self.technologies[item.tech], item) for item in company.stack]

    def stack_by_category(self, company_id: str) -> list[tuple[str, list[StackEntry]]]:
        grouped: dict[str, list[StackEntry]] = defaultdict(list)
        for entry in self.stack(company_id):
            grouped[entry.technology.category].append(entry)
        return sorted(grouped.items(), key=lambda pair: _category_rank(pair[0]))

    def references_of(self, owner_id: str) -> list[Reference]:
        ordered = cast("Sequence[Reference]", self._order["reference"])
        bounds = self._refs_at.get(owner_id, ())
        return [ref for at in range(0, len(bounds), 2) for ref in ordered[bounds[at] : bounds[at + 1]]]

    # -- comparison and similarity --------------------------------------------------------------------

    def compare(self, left_id: str, right_id: str) -> Comparison:
        left, right = self.companies[left_id], self.companies[right_id]
        left_items = {i.tech: i for i in left.stack}
        right_items = {i.tech: i for i in right.stack}

        def order(ids: Iterable[str]) -> list[str]:
            return sorted(
                ids,
                key=lambda t: (
                    _category_rank(self.technologies[t].category),
                    fold(self.technologies[t].name),
                ),
            )

        shared = tuple(
            SharedEntry(self.technologies[t], left_items[t], right_items[t])
            for t in order(left_items.keys() & right_items.keys())
        )
        only_left = tuple(
            StackEntry(self.technologies[t], left_items[t])
            for t in order(left_items.keys() - right_items.keys())
        )
        only_right = tuple(
            StackEntry(self.technologies[t], right_items[t])
            for t in order(right_items.keys() - left_items.keys())
        )
        categories = sorted(
            {e.technology.category for side in (shared, only_left, only_right) for e in side},
            key=_category_rank,
        )
        rows = tuple(
            CategoryRow(
                category,
                tuple(e for e in shared if e.technology.category == category),
                tuple(e for e in only_left if e.technology.category == category),
                tuple(e for e in only_right if e.technology.category == category),
            )
            for category in categories
        )
        return Comparison(left, right, shared, only_left, only_right, rows)

    def matrix(self, company_ids: Iterable[str]) -> Matrix:
        """Which of these companies (each once, in the order given) uses which technology."""
        companies = tuple(self.companies[c] for c in dict.fromkeys(company_ids))
        stacks = [{i.tech: i for i in c.stack} for c in companies]
        used = {tech for stack in stacks for tech in stack}
        rows = [MatrixRow(self.technologies[t], tuple(s.get(t) for s in stacks)) for t in used]
        best: dict[str, int] = defaultdict(int)
        for row in rows:
            best[row.technology.category] = max(best[row.technology.category], row.count)

        def place(row: MatrixRow) -> tuple[int, int, int, str]:
            category = row.technology.category
            return (-best[category], _category_rank(category), -row.count, fold(row.technology.name))

        return Matrix(companies, tuple(sorted(rows, key=place)))

    def related_cost(self, tech_id: str, enough: int | None = None) -> int:
        """How many stack entries related(tech_id) goes through; counting stops once it reaches enough."""
        return _total((len(self._by_rank[r].stack) for r in self._user_ranks(tech_id)), enough)

    def similar(self, company_id: str, limit: int | None = 10) -> list[Similarity]:
        """Other companies ranked by Jaccard similarity of their stacks, with what they share.

        With n of this company's technologies, another company's score is shared / (n + size - shared),
        decided by two numbers: how many technologies it shares and how many its stack holds. Every
        company's shared count is summed at once over bitsets of the users of each technology, and
        companies are taken out by (shared, size) pairs from the highest score down, until `limit` are."""
        company = self.companies[company_id]
        mine = {item.tech for item in company.stack}
        planes: list[int] = []  # every company's shared count, bit-sliced
        for tech_id in mine:
            add(planes, self._bitset(tech_id))
        others = ~(1 << self._name_rank[company_id])
        exactly = {shared: counted(planes, shared, others) for shared in range(1, len(mine) + 1)}
        pairs = sorted(
            (
                (shared / (len(mine) + size - shared), shared, size)
                for shared in exactly
                for size in self._by_size
                if size >= shared
            ),
            reverse=True,
        )
        chosen: list[tuple[float, int, int]] = []  # (score, shared, rank) in the order shown
        for score, group in groupby(pairs, key=itemgetter(0)):
            if limit and len(chosen) >= limit:
                break
            found = [
                (-shared, rank)
                for _score, shared, size in group
                for rank in members(exactly[shared] & self._by_size[size])
            ]
            chosen += [(score, -shared, rank) for shared, rank in sorted(found)]
        return [self._similarity(mine, score, rank) for score, _shared, rank in chosen[:limit]]

    def _similarity(self, mine: set[str], score: float, rank: int) -> Similarity:
        other = self._by_rank[rank]
        techs = sorted(
            (self.technologies[i.tech] for i in other.stack if i.tech in mine),
            key=lambda t: (-self.usage_count(t.id), fold(t.name)),
        )
        return Similarity(other, score, tuple(techs))

    def related(self, tech_id: str, limit: int | None = 10) -> list[Companion]:
        """Technologies most often in the same stacks as tech_id, with lift over chance."""
        users = self._user_ranks(tech_id)
        with_stack = self._with_stack
        together: Counter[str] = Counter()
        for rank in users:
            together.update(item.tech for item in self._by_rank[rank].stack)
        together.pop(tech_id, None)

        def lift(other: str) -> float:
            return together[other] * with_stack / (len(users) * self.usage_count(other))

        def order_of(other: str) -> tuple[int, float, str]:
            return (-together[other], -lift(other), fold(self.technologies[other].name))

        chosen = heapq.nsmallest(limit, together, key=order_of) if limit else sorted(together, key=order_of)
        found = []
        for other in chosen:
            both = sorted(set(users).intersection(self._user_ranks(other)))
            found.append(
                Companion(
                    self.technologies[other],
                    together[other],
                    lift(other),
                    tuple(self._by_rank[r] for r in both),
                )
            )
        return found

    # -- statistics -----------------------------------------------------------------------------------

    def stats(self, top: int = 15) -> CatalogStats:
        catalog = self.catalog
        in_use = [
            t for t in cast("Sequence[Technology]", self._order["technology"]) if self.usage_count(t.id)
        ]
        per_category = Counter(t.category for t in catalog.technologies)
        company_categories: Counter[str] = Counter()
        for company in catalog.companies:
            company_categories.update({self.technologies[i.tech].category for i in company.stack})
        years = Counter(r.year for r in catalog.references)
        return CatalogStats(
            companies=len(catalog.companies),
            companies_with_stack=sum(1 for c in catalog.companies if c.stack),
            technologies=len(catalog.technologies),
            technologies_in_use=len(in_use),
            references=len(catalog.references),
            stack_items=sum(len(c.stack) for c in catalog.companies),
            top_technologies=tuple((t, self.usage_count(t.id)) for t in in_use[:top]),
            technologies_per_category=tuple(sorted(per_category.items(), key=lambda p: _category_rank(p[0]))),
            companies_per_category=tuple(
                sorted(company_categories.items(), key=lambda p: _category_rank(p[0]))
            ),
            references_per_year=tuple(sorted(years.items(), key=lambda p: (p[0] is None, p[0] or 0))),
            references_per_kind=tuple(Counter(r.ref_kind for r in catalog.references).most_common()),
            references_per_lang=tuple(Counter(r.lang for r in catalog.references).most_common()),
        )
