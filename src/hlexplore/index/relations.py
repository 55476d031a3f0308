"""What entries say about each other: who uses a technology, a company's stack, comparing stacks,
similar companies, technologies used together, and the catalog's statistics. Over the users' ranks
(index/entries.py) and bitsets of them (index/bitsets.py), not passes over every company."""

from __future__ import annotations

import heapq
import operator
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, groupby, repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple, cast

from hlexplore.catalog.columns import column as column_of
from hlexplore.catalog.models import Company, Reference, StackItem, Technology
from hlexplore.catalog.vocabulary import CATEGORIES
from hlexplore.index.bitsets import add, bitset, counted, members
from hlexplore.index.entries import Entries
from hlexplore.lazy import Lazy
from hlexplore.text import fold


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
    companies: Sequence[Company]  # by name (for two widely used technologies, found when first read)


class Both(Lazy[Company]):
    """The companies in a set of ranks, by name, found when first read (two technologies in most
    stacks of a large catalog share tens of thousands, and a view shows a few)."""

    def __init__(self, by_rank: list[Company], bits: int) -> None:
        self._by_rank, self._bits = by_rank, bits
        self._ranks: list[int] | None = None

    def __len__(self) -> int:
        return self._bits.bit_count()

    def _read(self, at: int) -> Company:
        if self._ranks is None:
            self._ranks = list(members(self._bits))
        return self._by_rank[self._ranks[at]]


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


def category_cells(
    companies: Sequence[Company], technologies: Mapping[str, Technology], column: Mapping[str, int]
) -> Iterator[int]:
    """For every stack item of these companies, the cell of (its company's place, its technology's
    category's column) as one number, place * len(column) + column: made at C speed over every item, for
    counting (a Counter of them) or for the cells a company has (a set)."""
    stacks = list(map(attrgetter("stack"), companies))
    at = {t.id: column[t.category] for t in technologies.values() if t.category in column}
    item_columns = map(at.__getitem__, map(attrgetter("tech"), chain.from_iterable(stacks)))
    item_rows = chain.from_iterable(map(repeat, range(len(stacks)), map(len, stacks)))
    return map(operator.add, map(operator.mul, item_rows, repeat(len(column))), item_columns)


def _category_rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


class Relations:
    def __init__(self, entries: Entries) -> None:
        self._entries = entries
        self.companies, self.technologies = entries.companies, entries.technologies
        self._by_rank, self._name_rank = entries.by_rank, entries.name_rank
        by_size: dict[int, list[int]] = defaultdict(list)  # stack size -> ranks
        for rank, company in enumerate(self._by_rank):
            by_size[len(company.stack)].append(rank)
        self._with_stack = len(self._by_rank) - len(by_size.get(0, ()))
        self._items = sum(size * len(ranks) for size, ranks in by_size.items())  # every stack's items
        self._sizes = array("i", map(len, map(attrgetter("stack"), self._by_rank)))  # by rank
        self._by_size = {size: bitset(ranks, len(self._by_rank)) for size, ranks in by_size.items() if size}
        self._bitsets: dict[str, int] = {}  # the users of widely used technologies, as bitsets of ranks

    def _bitset(self, tech_id: str) -> int:
        """The companies using tech_id directly, as a bitset of ranks; kept for a technology used by at
        least one company in 64 (then the bitset is no larger than the array of ranks)."""
        found = self._bitsets.get(tech_id)
        if found is None:
            ranks = self._entries.user_ranks(tech_id)
            found = bitset(ranks, len(self._by_rank))
            if len(ranks) * 64 >= len(self._by_rank):
                self._bitsets[tech_id] = found
        return found

    def direct_users(self, tech_id: str) -> tuple[Company, ...]:
        """The companies listing tech_id in their stack, by name (none of their usages made)."""
        return tuple(map(self._by_rank.__getitem__, self._entries.user_ranks(tech_id)))

    def shared_count(self, tech_id: str, other_id: str) -> int:
        """How many companies list both technologies (over their bitsets, in C)."""
        return (self._bitset(tech_id) & self._bitset(other_id)).bit_count()

    def shared_users(self, tech_id: str, other_id: str) -> tuple[Company, ...]:
        """The companies listing both technologies, by name."""
        return tuple(map(self._by_rank.__getitem__, members(self._bitset(tech_id) & self._bitset(other_id))))

    def users_of(self, tech_id: str, include_parts: bool = True) -> Sequence[Usage]:
        """Companies using a technology, by name; with include_parts also those using only a part of it."""
        ranks, places = self._entries.users.get(tech_id) or (array("i"), array("i"))
        children = self._entries.children(tech_id) if include_parts else []
        if not children:
            return Users(self._by_rank, ranks, places)
        usages = list(Users(self._by_rank, ranks, places))
        direct = set(ranks)
        for child in children:
            for rank, usage in zip(
                self._entries.user_ranks(child.id), self.users_of(child.id, False), strict=True
            ):
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
        ordered = cast("Sequence[Reference]", self._entries.order["reference"])
        bounds = self._entries.references_at.get(owner_id, ())
        return [ref for at in range(0, len(bounds), 2) for ref in ordered[bounds[at] : bounds[at + 1]]]

    def reference_count(self, owner_id: str) -> int:
        bounds = self._entries.references_at.get(owner_id, ())
        return sum(bounds[at + 1] - bounds[at] for at in range(0, len(bounds), 2))

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

    def related_cost(self, tech_id: str) -> int:
        """How many stack entries related(tech_id) counts (at C speed): its users' (see _together)."""
        users = self._entries.user_ranks(tech_id)
        theirs = sum(map(self._sizes.__getitem__, users))
        return theirs if len(users) * 2 <= len(self._by_rank) else self._items - theirs

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
            key=lambda t: (-self._entries.usage_count(t.id), fold(t.name)),
        )
        return Similarity(other, score, tuple(techs))

    def related(self, tech_id: str, limit: int | None = 10) -> list[Companion]:
        """Technologies most often in the same stacks as tech_id, with lift over chance."""
        users = self._entries.user_ranks(tech_id)
        with_stack = self._with_stack
        together = self._together(tech_id)

        def lift(other: str) -> float:
            return together[other] * with_stack / (len(users) * self._entries.usage_count(other))

        def order_of(other: str) -> tuple[int, float, str]:
            return (-together[other], -lift(other), fold(self.technologies[other].name))

        if limit and len(together) > limit:
            # Only those with at least the limit-th largest count can be among the best (counts first):
            # found at C speed, then ordered in full (10,000 keys made in Python took 30 ms).
            least = heapq.nlargest(limit, together.values())[-1]
            candidates = [other for other, n in together.items() if n >= least]
            chosen = heapq.nsmallest(limit, candidates, key=order_of)
        else:
            chosen = sorted(together, key=order_of)[:limit]
        mine = self._bitset(tech_id)
        return [
            Companion(self.technologies[other], together[other], lift(other), self._both(mine, other))
            for other in chosen
        ]

    def _both(self, mine: int, other_id: str) -> Both:
        return Both(self._by_rank, mine & self._bitset(other_id))

    def _together(self, tech_id: str) -> Counter[str]:
        """For each other technology, how many companies list it with tech_id: the items of the users'
        stacks counted at C speed (map, chain, Counter: no bytecode per item), or, for a technology most
        companies use, each technology's users less the items of the companies that do not use it."""
        users = self._entries.user_ranks(tech_id)

        def items(ranks: Iterable[int]) -> Counter[str]:
            stacks = map(attrgetter("stack"), map(self._by_rank.__getitem__, ranks))
            return Counter(map(attrgetter("tech"), chain.from_iterable(stacks)))

        if len(users) * 2 <= len(self._by_rank):
            together = items(users)
        else:
            everyone = (1 << len(self._by_rank)) - 1
            without = items(members(everyone & ~self._bitset(tech_id)))
            count = self._entries.usage_count
            together = Counter({t: count(t) - without[t] for t in self._entries.users})
            together = +together  # (the technologies only the others use left out)
        together.pop(tech_id, None)
        return together

    def stats(self, top: int = 15) -> CatalogStats:
        catalog = self._entries.catalog
        in_use = [
            t
            for t in cast("Sequence[Technology]", self._entries.order["technology"])
            if self._entries.usage_count(t.id)
        ]
        per_category = Counter(t.category for t in catalog.technologies)
        categories = sorted({t.category for t in catalog.technologies}, key=_category_rank)
        column = {category: at for at, category in enumerate(categories)}
        cells = set(category_cells(catalog.companies, self.technologies, column))  # (company, category) once
        company_categories = Counter(categories[cell % len(categories)] for cell in cells)
        references = catalog.references
        years = Counter(column_of(references, "year"))
        return CatalogStats(
            companies=len(catalog.companies),
            companies_with_stack=sum(1 for c in catalog.companies if c.stack),
            technologies=len(catalog.technologies),
            technologies_in_use=len(in_use),
            references=len(catalog.references),
            stack_items=sum(len(c.stack) for c in catalog.companies),
            top_technologies=tuple((t, self._entries.usage_count(t.id)) for t in in_use[:top]),
            technologies_per_category=tuple(sorted(per_category.items(), key=lambda p: _category_rank(p[0]))),
            companies_per_category=tuple(
                sorted(company_categories.items(), key=lambda p: _category_rank(p[0]))
            ),
            references_per_year=tuple(sorted(years.items(), key=lambda p: (p[0] is None, p[0] or 0))),
            references_per_kind=tuple(Counter(column_of(references, "ref_kind")).most_common()),
            references_per_lang=tuple(Counter(column_of(references, "lang")).most_common()),
        )
