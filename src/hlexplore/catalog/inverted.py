"""A catalog seen from the other side: the orders the index shows entries in, and each technology's users.

Working these out goes through every stack entry (two million in a catalog of 100,000 companies: more than
a second), so they are kept in the parsed-catalog cache with the catalog they come from, as arrays.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any

from hlexplore.text import fold

if TYPE_CHECKING:
    from hlexplore.catalog.models import Catalog

Users = tuple["array[int]", "array[int]"]  # the users' ranks in name order, and the place in each one's stack


def positions(values: Iterable[int] = ()) -> array[int]:
    return array("i", values)


@dataclass(frozen=True, slots=True, eq=False)
class Inverted:
    company_order: array[int]  # positions in catalog.companies, by folded name: a company's rank
    technology_order: array[int]  # positions in catalog.technologies: the most used first, then by name
    reference_order: array[int]  # positions in catalog.references: by owner (companies', then technologies')
    users: dict[str, Users]  # technology id -> who uses it directly
    # owner id -> where its references are in reference_order: (start, end), or more pairs in the odd
    # catalog where a company and a technology share an id
    references_of: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, catalog: Catalog) -> Inverted:
        companies = catalog.companies
        company_order = sorted(range(len(companies)), key=lambda i: fold(companies[i].name))
        users: dict[str, Users] = {}
        for rank, position in enumerate(company_order):
            for place, item in enumerate(companies[position].stack):
                found = users.get(item.tech)
                if found is None:
                    found = users[item.tech] = (positions(), positions())
                found[0].append(rank)
                found[1].append(place)
        technologies = catalog.technologies
        used = {tech: len(ranks) for tech, (ranks, _places) in users.items()}
        technology_order = sorted(
            range(len(technologies)),
            key=lambda i: (-used.get(technologies[i].id, 0), fold(technologies[i].name)),
        )
        company_rank = {companies[p].id: rank for rank, p in enumerate(company_order)}
        tech_rank = {technologies[p].id: rank for rank, p in enumerate(technology_order)}
        references = catalog.references
        reference_order = sorted(
            range(len(references)),
            key=lambda i: (
                (0, company_rank[references[i].company])
                if references[i].company
                else (1, tech_rank[references[i].technology])
            ),
        )
        ordered = map(references.__getitem__, reference_order)
        owners = [(0, r.company) if r.company else (1, r.technology) for r in ordered]
        runs, starts, at = [], positions(), 0
        for (_kind, owner), run in groupby(owners):
            runs.append(owner)
            starts.append(at)
            at += sum(1 for _ in run)
        return cls(
            positions(company_order),
            positions(technology_order),
            positions(reference_order),
            users,
            _runs(runs, starts, len(references)),
        )

    def dump(self) -> tuple[Any, ...]:
        """Plain data for the cache (marshal): arrays as bytes, the users one after another."""
        offsets, ranks, places = positions([0]), positions(), positions()
        for found_ranks, found_places in self.users.values():
            ranks.extend(found_ranks)
            places.extend(found_places)
            offsets.append(len(ranks))
        orders = (self.company_order, self.technology_order, self.reference_order)
        runs = sorted(
            (bounds[i], owner)
            for owner, bounds in self.references_of.items()
            for i in range(0, len(bounds), 2)
        )
        return (
            *(order.tobytes() for order in orders),
            tuple(self.users),
            offsets.tobytes(),
            ranks.tobytes(),
            places.tobytes(),
            tuple(owner for _start, owner in runs),
            positions(start for start, _owner in runs).tobytes(),
        )

    @classmethod
    def load(cls, data: tuple[Any, ...]) -> Inverted:
        companies, technologies, references, techs, offsets, ranks, places, owners, starts = data
        offsets, ranks, places = from_bytes(offsets), from_bytes(ranks), from_bytes(places)
        if len(offsets) != len(techs) + 1 or not len(ranks) == len(places) == offsets[-1]:
            raise ValueError("the users do not add up")
        users = {
            tech: (ranks[offsets[i] : offsets[i + 1]], places[offsets[i] : offsets[i + 1]])
            for i, tech in enumerate(techs)
        }
        reference_order = from_bytes(references)
        starts = from_bytes(starts)
        if (
            len(starts) != len(owners)
            or list(starts) != sorted(starts)
            or (starts and (starts[0] != 0 or starts[-1] >= len(reference_order)))
        ):
            raise ValueError("the references' owners do not add up")
        return cls(
            from_bytes(companies),
            from_bytes(technologies),
            reference_order,
            users,
            _runs(owners, starts, len(reference_order)),
        )

    def fits(self, catalog: Catalog) -> bool:
        """Whether each order is as long as its kind and within it (a damaged cache entry is not used)."""
        kinds = (catalog.companies, catalog.technologies, catalog.references)
        orders = (self.company_order, self.technology_order, self.reference_order)
        return all(
            len(order) == len(kind) and (not order or 0 <= min(order) <= max(order) < len(kind))
            for order, kind in zip(orders, kinds, strict=True)
        )


def _runs(owners: Sequence[str], starts: array[int], total: int) -> dict[str, tuple[int, ...]]:
    """Owner -> (start, end) of its run of references, from each run's owner and start, in order."""
    ends = [*starts[1:], total]
    found: dict[str, tuple[int, ...]] = dict(zip(owners, zip(starts, ends)))  # noqa: B905
    if len(found) < len(owners):  # an id owning two runs (a company's and a technology's)
        found = {}
        for owner, start, end in zip(owners, starts, ends):  # noqa: B905
            found[owner] = (*found.get(owner, ()), start, end)
    return found


def from_bytes(data: bytes) -> array[int]:
    found = positions()
    found.frombytes(data)
    return found
