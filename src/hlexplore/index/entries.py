"""A catalog's entries as every question reads them: by id, and in each kind's order (companies by name,
their rank; technologies by use; references by owner), with each technology's users and each owner's
references (the orders and users of catalog/inverted.py)."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from hlexplore.catalog.columns import column
from hlexplore.catalog.inverted import Inverted, Users
from hlexplore.catalog.models import Catalog, Company, Entry, Kind, Reference, Technology
from hlexplore.lazy import Lazy


class Entries:
    def __init__(self, catalog: Catalog, orders: Inverted | None = None) -> None:
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
        self.by_rank = list(map(catalog.companies.__getitem__, inverted.company_order))
        self.name_rank = {c.id: rank for rank, c in enumerate(self.by_rank)}
        self.users: dict[str, Users] = inverted.users
        self.references_at = inverted.references_of  # owner id -> (start, end, ...) in the references' order
        self.order: dict[Kind, Sequence[Entry]] = {
            "company": list(self.by_rank),
            "technology": list(map(catalog.technologies.__getitem__, inverted.technology_order)),
            "reference": _Ordered(catalog.references, inverted.reference_order),
        }
        self._position: dict[Kind, dict[str, int]] = {}

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

    def positions_of(self, kind: Kind) -> dict[str, int]:
        """Each entry's place in its kind's order, by id (made when first asked)."""
        if kind not in self._position:
            self._position[kind] = {e.id: rank for rank, e in enumerate(self.order[kind])}
        return self._position[kind]

    def user_ranks(self, tech_id: str) -> array[int]:
        """The ranks of the companies using tech_id directly, in name order."""
        found = self.users.get(tech_id)
        return found[0] if found else array("i")

    def usage_count(self, tech_id: str) -> int:
        return len(self.user_ranks(tech_id))

    def owner(self, ref: Reference) -> Company | Technology | None:
        return self.companies.get(ref.company) or self.technologies.get(ref.technology)

    def children(self, tech_id: str) -> list[Technology]:
        return [self.technologies[t] for t in self._children.get(tech_id, [])]


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

    def column(self, name: str) -> list[Any]:
        """One field of every entry, in this order (from the columns: no entry made; see column())."""
        return list(map(column(self._entries, name).__getitem__, self._order))

    def __iter__(self) -> Iterator[Entry]:
        every = tuple(self._entries)  # all at once when all are wanted
        return map(every.__getitem__, self._order)
