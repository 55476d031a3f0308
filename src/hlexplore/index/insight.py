"""The catalog at a glance: what is used most, where stacks are heavy, what goes together, when, and what
needs care. Every number carries the entries behind it, so a chart can be followed to them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, compress

from hlexplore.catalog.models import Company, Kind, Reference, Technology
from hlexplore.catalog.urls import is_short_link
from hlexplore.catalog.vocabulary import CATEGORIES
from hlexplore.index.catalog_index import CatalogIndex, Companion
from hlexplore.text import fold

Ref = tuple[Kind, str]  # an entry pointed at: (kind, id)
UNKNOWN_YEAR = "unknown"


def refs(entries: Iterable[Company | Technology | Reference]) -> tuple[Ref, ...]:
    return tuple((e.kind, e.id) for e in entries)


@dataclass(frozen=True, slots=True)
class TechBar:
    technology: Technology
    companies: tuple[Company, ...]

    @property
    def value(self) -> int:
        return len(self.companies)


@dataclass(frozen=True, slots=True)
class Heat:
    """Companies × categories: how many of each company's technologies fall in each category."""

    categories: tuple[str, ...]
    companies: tuple[Company, ...]
    cells: tuple[tuple[tuple[Technology, ...], ...], ...]  # [company][category] -> its technologies there

    # the largest count of any cell: worked out once (every cell's shade uses it)
    most: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "most", max(map(len, chain.from_iterable(self.cells)), default=0))

    def count(self, row: int, column: int) -> int:
        return len(self.cells[row][column])


@dataclass(frozen=True, slots=True)
class Pair:
    together: tuple[Company, ...]
    lift: float  # how much more often than chance the two share a stack (1.0 = as often as chance)

    @property
    def count(self) -> int:
        return len(self.together)


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
    by_kind: tuple[tuple[str, tuple[Reference, ...]], ...]  # in Timeline.kinds order, empty kinds left out

    @property
    def label(self) -> str:
        return str(self.year) if self.year else UNKNOWN_YEAR

    @property
    def references(self) -> tuple[Reference, ...]:
        return tuple(r for _kind, found in self.by_kind for r in found)

    @property
    def value(self) -> int:
        return len(self.references)


@dataclass(frozen=True, slots=True)
class Timeline:
    kinds: tuple[str, ...]  # most common first
    years: tuple[YearBar, ...]  # oldest first, unknown last
    companies: tuple[Company, ...]  # companies with at least one reference, by name
    cells: tuple[tuple[tuple[Reference, ...], ...], ...]  # [company][year] -> references


@dataclass(frozen=True, slots=True)
class HealthGroup:
    key: str
    title: str
    entries: tuple[Company | Technology | Reference, ...]


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
        used = {
            self.index.technologies[i.tech].category for c in self.index.catalog.companies for i in c.stack
        }
        ordered = [c for c in CATEGORIES if c in used]
        return (*ordered, *sorted(used - set(CATEGORIES)))

    def top_technologies(self, category: str | None = None, limit: int | None = None) -> list[TechBar]:
        """Technologies by how many companies list them (directly), most used first."""
        bars: list[TechBar] = []
        for tech in self.index.entries("technology"):  # (most used first: the first `limit` are the top)
            assert isinstance(tech, Technology)
            if limit and len(bars) >= limit:
                break
            if category and tech.category != category:
                continue
            users = tuple(u.company for u in self.index.users_of(tech.id, include_parts=False))
            if users:
                bars.append(TechBar(tech, users))
        return bars

    # -- companies × categories -----------------------------------------------------------------------

    @cached_property
    def heat(self) -> Heat:
        categories = self.categories_in_use()
        companies = tuple(c for c in self.index.entries("company") if isinstance(c, Company) and c.stack)
        cells = []
        technologies = self.index.technologies
        column = {category: at for at, category in enumerate(categories)}
        empty: tuple[tuple[Technology, ...], ...] = ((),) * len(categories)
        for company in companies:
            grouped: dict[str, list[Technology]] = defaultdict(list)
            for tech in map(technologies.__getitem__, (item.tech for item in company.stack)):
                grouped[tech.category].append(tech)
            row = list(empty)  # (a cell is made only for the categories the stack has)
            for category, found in grouped.items():
                row[column[category]] = tuple(found)
            cells.append(tuple(row))
        return Heat(categories, companies, tuple(cells))

    # -- technologies used together -------------------------------------------------------------------

    def cooccurrence(self, top: int = 10) -> CoOccurrence:
        """Count and lift of every pair among the top most used technologies."""
        bars = self.top_technologies(limit=top)
        techs = tuple(bar.technology for bar in bars)
        by_name = {bar.technology.id: bar.companies for bar in bars}  # (users come in name order)
        ids = {tech_id: [c.id for c in companies] for tech_id, companies in by_name.items()}
        users = {tech_id: set(found) for tech_id, found in ids.items()}
        with_stack = sum(1 for c in self.index.catalog.companies if c.stack)
        rows = []
        for a in techs:
            row: list[Pair | None] = []
            for b in techs:
                if a.id == b.id:
                    row.append(None)
                    continue
                other = users[b.id]
                companies = tuple(compress(by_name[a.id], map(other.__contains__, ids[a.id])))  # (name order)
                lift = len(companies) * with_stack / (len(users[a.id]) * len(other))
                row.append(Pair(companies, lift))
            rows.append(tuple(row))
        return CoOccurrence(techs, tuple(rows))

    def companions(self, tech_id: str, limit: int | None = 10) -> list[Companion]:
        return self.index.related(tech_id, limit)

    # -- time -----------------------------------------------------------------------------------------

    @cached_property
    def timeline(self) -> Timeline:
        references = self.index.catalog.references
        kinds = tuple(kind for kind, _n in Counter(r.ref_kind for r in references).most_common())
        by_year = _by_year(references)
        years = sorted(by_year, key=lambda y: (y is None, y or 0))
        bars = tuple(
            YearBar(
                year,
                tuple(
                    (kind, found)
                    for kind in kinds
                    if (found := tuple(r for r in by_year[year] if r.ref_kind == kind))
                ),
            )
            for year in years
        )
        owning = {r.company for r in references if r.company}
        # in name order, as the index keeps them (sorting the set by folded name would leave names equal when
        # folded in set order, which changes with the hash seed)
        owners = [c.id for c in self.index.entries("company") if c.id in owning]
        cells = tuple(
            tuple(tuple(found.get(year, ())) for year in years)
            for found in (_by_year(self.index.references_of(c)) for c in owners)
        )
        return Timeline(kinds, bars, tuple(self.index.companies[c] for c in owners), cells)

    # -- what needs care ------------------------------------------------------------------------------

    def health(self, stale_years: int = 10) -> Health:
        catalog = self.index.catalog
        single = [
            tech
            for tech in self.index.entries("technology")
            if isinstance(tech, Technology) and self.index.usage_count(tech.id) == 1
        ]  # (counted, not listed: a bar would list every user of every technology)
        without = [c for c in self.index.entries("company") if not self.index.references_of(c.id)]
        unresolved = [r for r in catalog.references if is_short_link(r.url)]
        cutoff = self.this_year - stale_years
        stale = sorted(
            (r for r in catalog.references if r.year is not None and r.year < cutoff),
            key=lambda r: (r.year or 0, fold(r.title)),
        )
        undated = [r for r in catalog.references if r.year is None]
        return Health(
            (
                HealthGroup("single-user", "Technologies used by one company only", tuple(single)),
                HealthGroup("no-references", "Companies without references", tuple(without)),
                HealthGroup("unresolved", "References without a resolved address", tuple(unresolved)),
                HealthGroup(
                    "stale", f"References older than {stale_years} years (before {cutoff})", tuple(stale)
                ),
                HealthGroup("undated", "References without a year", tuple(undated)),
            )
        )


def _by_year(references: Iterable[Reference]) -> dict[int | None, list[Reference]]:
    """References by year, in one pass (None: the year is unknown)."""
    found: dict[int | None, list[Reference]] = defaultdict(list)
    for ref in references:
        found[ref.year].append(ref)
    return found
