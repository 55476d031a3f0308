"""A catalog seen from the other side: the orders the index shows entries in, and each technology's users.

Working these out goes through every stack entry (two million in a catalog of 100,000 companies: more than
a second), so they are kept in the parsed-catalog cache with the catalog they come from, as arrays.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain, compress, repeat
from operator import attrgetter, ne
from typing import TYPE_CHECKING, Any

from hlexplore.catalog.columns import column, spans
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
        companies, technologies = catalog.companies, catalog.technologies
        stacks = list(map(attrgetter("stack"), companies))
        return cls.work_out(
            list(map(attrgetter("name"), companies)),
            list(map(attrgetter("id"), companies)),
            list(map(attrgetter("tech"), chain.from_iterable(stacks))),
            list(map(len, stacks)),
            list(map(attrgetter("id"), technologies)),
            list(map(attrgetter("name"), technologies)),
            column(catalog.references, "company"),
            column(catalog.references, "technology"),
        )

    @classmethod
    def work_out(
        cls,
        names: Sequence[str],
        ids: Sequence[str],
        stack_techs: list[str],
        sizes: Sequence[int],
        tech_ids: Sequence[str],
        tech_names: Sequence[str],
        owned_by: Sequence[str],
        about: Sequence[str],
    ) -> Inverted:
        """From columns: the companies' names and ids, every stack's technologies one stack after another
        (and each stack's size), the technologies' ids and names, and each reference's company and
        technology. In passes over whole columns, at C speed (map; sorted with a list's __getitem__ as the
        key): a loop in Python over two million stack entries took seconds."""
        order = company_order(names)
        users = users_in_order(order, stack_techs, sizes)
        used = {tech: len(ranks) for tech, (ranks, _places) in users.items()}
        return replace(cls.arranged(order, used, ids, tech_ids, tech_names, owned_by, about), users=users)

    @classmethod
    def arranged(
        cls,
        order: list[int],
        used: Mapping[str, int],
        ids: Sequence[str],
        tech_ids: Sequence[str],
        tech_names: Sequence[str],
        owned_by: Sequence[str],
        about: Sequence[str],
    ) -> Inverted:
        """With the company order and how many users each technology has: the orders, without the users
        (pieces.py works them out in another process meanwhile)."""
        tech_keys = [(-used.get(tech, 0), fold(name)) for tech, name in zip(tech_ids, tech_names)]  # noqa: B905
        technology_order = sorted(range(len(tech_ids)), key=tech_keys.__getitem__)
        # References by owner: companies' in company rank order, then technologies' in technology order.
        company_rank = {ids[p]: rank for rank, p in enumerate(order)}
        tech_rank = {tech_ids[p]: len(ids) + rank for rank, p in enumerate(technology_order)}
        keys = [company_rank[c] if c else tech_rank[t] for c, t in zip(owned_by, about)]  # noqa: B905
        reference_order = sorted(range(len(keys)), key=keys.__getitem__)
        # Where each owner's run of references starts: wherever the key changes.
        ordered = list(map(keys.__getitem__, reference_order))
        run_starts = positions(compress(range(len(ordered)), map(ne, ordered, [None, *ordered[:-1]])))
        firsts = list(map(reference_order.__getitem__, run_starts))
        runs = [owned_by[first] or about[first] for first in firsts]
        return cls(
            positions(order),
            positions(technology_order),
            positions(reference_order),
            {},
            _runs(runs, run_starts, len(keys)),
        )

    def dump(self) -> tuple[Any, ...]:
        """Plain data for the cache (marshal): arrays as bytes, the users one after another."""
        orders = (self.company_order, self.technology_order, self.reference_order)
        runs = sorted(
            (bounds[i], owner)
            for owner, bounds in self.references_of.items()
            for i in range(0, len(bounds), 2)
        )
        return (
            *(order.tobytes() for order in orders),
            *dump_users(self.users),
            tuple(owner for _start, owner in runs),
            positions(start for start, _owner in runs).tobytes(),
        )

    @classmethod
    def load(cls, data: tuple[Any, ...]) -> Inverted:
        companies, technologies, references, techs, offsets, ranks, places, owners, starts = data
        users = load_users((techs, offsets, ranks, places))
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
        """Whether each order is as long as its kind and within it, and the users and the references' runs
        within the catalog (a damaged cache entry is not used)."""
        kinds = (catalog.companies, catalog.technologies, catalog.references)
        orders = (self.company_order, self.technology_order, self.reference_order)
        if not all(
            len(order) == len(kind) and _within(order, len(kind))
            for order, kind in zip(orders, kinds, strict=True)
        ):
            return False
        most = max((len(company.stack) for company in catalog.companies), default=0)  # the longest stack
        users = all(
            _within(ranks, len(catalog.companies)) and _within(places, most)
            for ranks, places in self.users.values()
        )
        runs = all(
            0 <= bound <= len(catalog.references) for runs in self.references_of.values() for bound in runs
        )
        return users and runs


def _within(numbers: Sequence[int], size: int) -> bool:
    """Whether every number indexes something of size (none is negative: that would index from the end)."""
    return not numbers or (min(numbers) >= 0 and max(numbers) < size)


def _runs(owners: Sequence[str], starts: array[int], total: int) -> dict[str, tuple[int, ...]]:
    """Owner -> (start, end) of its run of references, from each run's owner and start, in order."""
    ends = [*starts[1:], total]
    found: dict[str, tuple[int, ...]] = dict(zip(owners, zip(starts, ends)))  # noqa: B905
    if len(found) < len(owners):  # an id owning two runs (a company's and a technology's)
        found = {}
        for owner, start, end in zip(owners, starts, ends):  # noqa: B905
            found[owner] = (*found.get(owner, ()), start, end)
    return found


def company_order(names: Sequence[str]) -> list[int]:
    """Positions of the companies by folded name: rank -> position."""
    folded = list(map(fold, names))
    return sorted(range(len(names)), key=folded.__getitem__)


def users_in_order(order: list[int], stack_techs: list[str], sizes: Sequence[int]) -> dict[str, Users]:
    """Each technology's users (ranks, places), the technologies in order of first use (rank order), from
    every stack's technologies one stack after another and each stack's size."""
    starts, ends = spans(sizes)
    in_order = map(slice, map(starts.__getitem__, order), map(ends.__getitem__, order))
    techs = list(chain.from_iterable(map(stack_techs.__getitem__, in_order)))
    ranked_sizes = list(map(sizes.__getitem__, order))
    number = {tech: n for n, tech in enumerate(dict.fromkeys(techs))}
    ranks, places = [positions() for _ in number], [positions() for _ in number]
    numbered = list(map(number.__getitem__, techs))
    deque(map(array.append, map(ranks.__getitem__, numbered), _ranks(ranked_sizes)), maxlen=0)
    deque(map(array.append, map(places.__getitem__, numbered), _places(ranked_sizes)), maxlen=0)
    return dict(zip(number, zip(ranks, places)))  # noqa: B905 (as long: one per technology)


def dump_users(users: dict[str, Users]) -> tuple[Any, ...]:
    """The users as marshal data: the technologies, and their users' ranks and places one after another."""
    offsets, ranks, places = positions([0]), positions(), positions()
    for found_ranks, found_places in users.values():
        ranks.extend(found_ranks)
        places.extend(found_places)
        offsets.append(len(ranks))
    return (tuple(users), offsets.tobytes(), ranks.tobytes(), places.tobytes())


def load_users(data: tuple[Any, ...]) -> dict[str, Users]:
    techs, offsets, ranks, places = data
    offsets, ranks, places = from_bytes(offsets), from_bytes(ranks), from_bytes(places)
    if len(offsets) != len(techs) + 1 or not len(ranks) == len(places) == offsets[-1]:
        raise ValueError("the users do not add up")
    return {
        tech: (ranks[offsets[i] : offsets[i + 1]], places[offsets[i] : offsets[i + 1]])
        for i, tech in enumerate(techs)
    }


def _ranks(sizes: list[int]) -> Iterable[int]:
    """Each stack entry's company rank, given each company's stack size in rank order."""
    return chain.from_iterable(map(repeat, range(len(sizes)), sizes))


def _places(sizes: list[int]) -> Iterable[int]:
    """Each stack entry's place in its stack."""
    return chain.from_iterable(map(range, sizes))


def from_bytes(data: bytes) -> array[int]:
    found = positions()
    found.frombytes(data)
    return found
