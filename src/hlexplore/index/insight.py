"""The catalog at a glance: what is used most, where stacks are heavy, what goes together, when, and what
needs care. Every number carries the entries behind it, so a chart can be followed to them."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import compress, count
from operator import attrgetter, not_
from typing import TypeVar, cast, overload

from hlexplore.catalog.columns import column
from hlexplore.catalog.models import Company, Kind, Reference, StackItem, Technology
from hlexplore.catalog.urls import short_links
from hlexplore.catalog.vocabulary import CATEGORIES
from hlexplore.index.catalog_index import CatalogIndex, Companion
from hlexplore.lazy import Picked
from hlexplore.text import fold

Ref = tuple[Kind, str]  # an entry pointed at: (kind, id)
UNKNOWN_YEAR = "unknown"


def largest_rows(sizes: Sequence[int], most: int) -> list[int]:
    """The rows of the `most` largest sizes (the first of equal ones), in their order."""
    return sorted(heapq.nsmallest(most, range(len(sizes)), key=lambda row: -sizes[row]))


def refs(entries: Iterable[Company | Technology | Reference]) -> tuple[Ref, ...]:
    return tuple((e.kind, e.id) for e in entries)


@dataclass(frozen=True, slots=True)
class TechBar:
    technology: Technology
    companies: tuple[Company, ...]

    @property
    def value(self) -> int:
        return len(self.companies)


Cells = tuple[tuple[Technology, ...], ...]  # a company's row: [category] -> its technologies there


Row = TypeVar("Row")


class Rows(Sequence[Row]):
    """A table's rows, each made when first read (and kept): a chart of 100,000 companies shows a few
    dozen, and --json reads them all once."""

    def __init__(self, count: int, make: Callable[[int], Row], every: Callable[[], list[Row]] | None = None):
        self._rows: list[Row | None] = [None] * count
        self._make, self._every = make, every  # every: all rows at once, quicker than one by one

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Row]:
        if self._every is not None and None in self._rows:
            self._rows[:] = self._every()
        return (self[at] for at in range(len(self._rows)))

    @overload
    def __getitem__(self, at: int) -> Row: ...
    @overload
    def __getitem__(self, at: slice) -> Sequence[Row]: ...
    def __getitem__(self, at: int | slice) -> Row | Sequence[Row]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        found = self._rows[at]
        if found is None:
            found = self._rows[at] = self._make(at % len(self._rows))
        return found


@dataclass(frozen=True, slots=True)
class Heat:
    """Companies × categories: how many of each company's technologies fall in each category."""

    categories: tuple[str, ...]
    companies: tuple[Company, ...]
    cells: Sequence[Cells]  # [company][category] -> its technologies there (Rows: made when read)

    def count(self, row: int, column: int) -> int:
        return len(self.cells[row][column])

    def most(self, rows: Iterable[int]) -> int:
        """The largest count of any cell in these rows (what a table of them shades by: the largest of
        every row would count every stack item, 2.25 million at 100,000 companies, for one number)."""
        return max((len(cell) for row in rows for cell in self.cells[row]), default=0)


@dataclass(frozen=True, slots=True)
class Pair:
    count: int  # how many companies list both
    lift: float  # how much more often than chance the two share a stack (1.0 = as often as chance)
    find: Callable[[], tuple[Company, ...]] = field(repr=False, compare=False)  # those companies

    @property
    def together(self) -> tuple[Company, ...]:
        """The companies listing both, by name (found when asked: a chart shows the counts)."""
        return self.find()


@dataclass(frozen=True, slots=True)
class CoOccurrence:
    technologies: tuple[Technology, ...]
    pairs: tuple[tuple[Pair | None, ...], ...]  # [row][column]; None on the diagonal

    def strongest(self, least: int = 2) -> list[tuple[Technology, Technology, Pair]]:
        """Pairs shared by at least `least` companies, highest lift first."""
        found = [
            (a, b, pair)
            for i, a in enumerate(self.technologies)
            for j, b in enumerate(self.technologies)
            if j > i and (pair := self.pairs[i][j]) is not None and pair.count >= least
        ]
        return sorted(found, key=lambda p: (-p[2].lift, -p[2].count, fold(p[0].name), fold(p[1].name)))


@dataclass(frozen=True, slots=True)
class YearBar:
    year: int | None
    by_kind: tuple[tuple[str, Sequence[Reference]], ...]  # in Timeline.kinds order, empty kinds left out

    @property
    def label(self) -> str:
        return str(self.year) if self.year else UNKNOWN_YEAR

    @property
    def references(self) -> tuple[Reference, ...]:
        return tuple(r for _kind, found in self.by_kind for r in found)

    @property
    def value(self) -> int:
        return sum(len(found) for _kind, found in self.by_kind)


@dataclass(frozen=True, slots=True)
class Timeline:
    kinds: tuple[str, ...]  # most common first
    years: tuple[YearBar, ...]  # oldest first, unknown last
    companies: tuple[Company, ...]  # companies with at least one reference, by name
    cells: Sequence[tuple[tuple[Reference, ...], ...]]  # [company][year] -> references (Rows: made when read)
    counts: tuple[int, ...]  # [company] -> how many references it has


@dataclass(frozen=True, slots=True)
class HealthGroup:
    key: str
    title: str
    entries: Sequence[Company | Technology | Reference]  # (each read when read: Picked)


@dataclass(frozen=True, slots=True)
class Health:
    groups: tuple[HealthGroup, ...]

    def group(self, key: str) -> HealthGroup:
        return next(g for g in self.groups if g.key == key)


class Insight:
    """Statistics over one index; this_year fixes what counts as stale (passed in, so results are stable)."""

    def __init__(self, index: CatalogIndex, this_year: int) -> None:
        self.index = index
        self.this_year = this_year

    # -- technologies ---------------------------------------------------------------------------------

    def categories_in_use(self) -> tuple[str, ...]:
        index = self.index
        used = {t.category for t in index.technologies.values() if index.usage_count(t.id)}
        ordered = [c for c in CATEGORIES if c in used]
        return (*ordered, *sorted(used - set(CATEGORIES)))

    def technologies_in_use(self, category: str | None = None) -> int:
        """How many technologies (of the category) some company lists."""
        return sum(
            1
            for t in self.index.technologies.values()
            if (category is None or t.category == category) and self.index.usage_count(t.id)
        )

    def top_technologies(self, category: str | None = None, limit: int | None = None) -> list[TechBar]:
        """Technologies by how many companies list them (directly), most used first."""
        bars: list[TechBar] = []
        for tech in self.index.entries("technology"):  # (most used first: the first `limit` are the top)
            assert isinstance(tech, Technology)
            if limit and len(bars) >= limit:
                break
            if category and tech.category != category:
                continue
            users = self.index.direct_users(tech.id)
            if users:
                bars.append(TechBar(tech, users))
        return bars

    # -- companies × categories -----------------------------------------------------------------------

    @cached_property
    def heat(self) -> Heat:
        """The companies with a stack × the categories in use; a row's cells made when read."""
        categories = self.categories_in_use()
        everyone = cast("Sequence[Company]", self.index.entries("company"))
        companies = tuple(filter(attrgetter("stack"), everyone))
        technologies = self.index.technologies
        stacks = list(map(attrgetter("stack"), companies))
        empty: Cells = ((),) * len(categories)

        at_column = self._category_columns(categories)
        tech = technologies.__getitem__

        def row(at: int) -> Cells:
            cells = list(empty)  # (a cell is made only for the categories the stack has)
            for place, ids in _grouped(stacks[at], at_column).items():
                cells[place] = tuple(map(tech, ids))
            return tuple(cells)

        return Heat(categories, companies, Rows(len(companies), row))

    def _category_columns(self, categories: Sequence[str]) -> dict[str, int]:
        """Each technology's id -> its category's column among these categories."""
        column = {category: at for at, category in enumerate(categories)}
        technologies = self.index.technologies.values()
        return {t.id: column[t.category] for t in technologies if t.category in column}

    def heat_ids(self) -> Iterator[dict[str, list[str]]]:
        """Each heat row (in heat.companies' order) as its technologies' ids by category, in the
        categories' order: what `stats --json` writes, made from the stacks' ids without the rows."""
        heat = self.heat
        at_column, categories = self._category_columns(heat.categories), heat.categories
        for company in heat.companies:
            grouped = _grouped(company.stack, at_column)
            yield {categories[place]: grouped[place] for place in sorted(grouped)}

    def timeline_ids(self) -> Iterator[dict[str, list[str]]]:
        """Each timeline row (in timeline.companies' order) as its references' ids by year label, oldest
        first: what `stats --json` writes, from the references' columns (none of them made)."""
        timeline = self.timeline
        ordered = self.index.ordered("reference")  # (in references_of's order, as the rows)
        found: dict[str, dict[int | None, list[str]]] = {c.id: {} for c in timeline.companies}
        rows = zip(*(column(ordered, name) for name in ("id", "company", "year")), strict=True)
        for ref_id, company, year in rows:
            if (cells := found.get(company)) is not None:
                cells.setdefault(year, []).append(ref_id)
        place = {bar.year: at for at, bar in enumerate(timeline.years)}
        label = {bar.year: bar.label for bar in timeline.years}
        for company in timeline.companies:
            cells = found[company.id]
            yield {label[year]: cells[year] for year in sorted(cells, key=place.__getitem__)}

    # -- technologies used together -------------------------------------------------------------------

    def cooccurrence(self, top: int = 10) -> CoOccurrence:
        """Count and lift of every pair among the top most used technologies."""
        bars = self.top_technologies(limit=top)
        techs = tuple(bar.technology for bar in bars)
        used = {bar.technology.id: bar.value for bar in bars}
        with_stack = sum(1 for c in self.index.catalog.companies if c.stack)
        index = self.index
        rows = []
        for a in techs:
            row: list[Pair | None] = []
            for b in techs:
                if a.id == b.id:
                    row.append(None)
                    continue
                count = index.shared_count(a.id, b.id)
                lift = count * with_stack / (used[a.id] * used[b.id])
                row.append(Pair(count, lift, partial(index.shared_users, a.id, b.id)))
            rows.append(tuple(row))
        return CoOccurrence(techs, tuple(rows))

    def companions(self, tech_id: str, limit: int | None = 10) -> list[Companion]:
        return self.index.related(tech_id, limit)

    # -- time -----------------------------------------------------------------------------------------

    @cached_property
    def timeline(self) -> Timeline:
        references = self.index.catalog.references
        ref_kinds, ref_years = column(references, "ref_kind"), column(references, "year")
        kinds = tuple(kind for kind, _n in Counter(ref_kinds).most_common())
        # Each bar's references by position (from the columns, in one pass), read when read: making all
        # 300,000 references for the bars took a second.
        cells: dict[int | None, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for at, (year, kind) in enumerate(zip(ref_years, ref_kinds, strict=True)):
            cells[year][kind].append(at)
        years = sorted(cells, key=lambda y: (y is None, y or 0))
        bars = [
            YearBar(
                year,
                tuple((kind, Picked(references, cells[year][kind])) for kind in kinds if kind in cells[year]),
            )
            for year in years
        ]
        owning = set(column(references, "company"))
        # in name order, as the index keeps them (sorting the set by folded name would leave names equal when
        # folded in set order, which changes with the hash seed)
        owners = tuple(c for c in self.index.entries("company") if c.id in owning)
        index = self.index

        def row(at: int) -> tuple[tuple[Reference, ...], ...]:
            found = _by_year(index.references_of(owners[at].id))
            return tuple(tuple(found.get(year, ())) for year in years)

        def every() -> list[tuple[tuple[Reference, ...], ...]]:  # (one pass over the references)
            cells: dict[str, dict[int | None, list[Reference]]] = {c.id: {} for c in owners}
            for ref in cast("list[Reference]", index.entries("reference")):  # (in references_of's order)
                if (found := cells.get(ref.company)) is not None:
                    found.setdefault(ref.year, []).append(ref)
            nothing = [()] * len(years)
            return [tuple(map(tuple, map(cells[c.id].get, years, nothing))) for c in owners]

        owned = Counter(column(references, "company"))  # (at C speed: the column, not the references)
        counts = tuple(owned[c.id] for c in owners)
        return Timeline(
            kinds, tuple(bars), cast("tuple[Company, ...]", owners), Rows(len(owners), row, every), counts
        )

    # -- what needs care ------------------------------------------------------------------------------

    def health(self, stale_years: int = 10) -> Health:
        catalog = self.index.catalog
        single = [
            tech
            for tech in self.index.entries("technology")
            if isinstance(tech, Technology) and self.index.usage_count(tech.id) == 1
        ]  # (counted, not listed: a bar would list every user of every technology)
        # Each group holds positions (found at C speed from the columns where it can be), its entries read
        # when read: a view shows the first 200 of each.
        owning = set(column(catalog.references, "company"))
        companies = self.index.ordered("company")
        owned = map(owning.__contains__, column(companies, "id"))
        without = Picked(companies, list(compress(count(), map(not_, owned))))
        references = catalog.references
        urls, years, titles = (column(references, name) for name in ("url", "year", "title"))
        unresolved = Picked(references, short_links(urls))
        cutoff = self.this_year - stale_years
        before = [at for at, year in enumerate(years) if year is not None and year < cutoff]
        folded = map(fold, map(titles.__getitem__, before))
        keys = zip(map(years.__getitem__, before), folded, before, strict=True)
        stale = Picked(references, [at for _year, _title, at in sorted(keys)])  # (by year, then title)
        undated = Picked(references, [at for at, year in enumerate(years) if year is None])
        return Health(
            (
                HealthGroup("single-user", "Technologies used by one company only", tuple(single)),
                HealthGroup("no-references", "Companies without references", without),
                HealthGroup("unresolved", "References without a resolved address", unresolved),
                HealthGroup("stale", f"References older than {stale_years} years (before {cutoff})", stale),
                HealthGroup("undated", "References without a year", undated),
            )
        )


def _grouped(stack: Iterable[StackItem], at_column: dict[str, int]) -> dict[int, list[str]]:
    """A stack's technologies' ids by their category's column, in stack order."""
    grouped: dict[int, list[str]] = {}
    for tech_id in map(attrgetter("tech"), stack):
        found = grouped.get(place := at_column[tech_id])
        if found is None:
            grouped[place] = [tech_id]
        else:
            found.append(tech_id)
    return grouped


def _by_year(references: Iterable[Reference]) -> dict[int | None, list[Reference]]:
    """References by year, in one pass (None: the year is unknown)."""
    found: dict[int | None, list[Reference]] = defaultdict(list)
    for ref in references:
        found[ref.year].append(ref)
    return found
