"""A catalog as columns: each kind's fields as one tuple per field, in the fields' order.

The loader compiles a file into columns (each row of values checked as it is read), the cache keeps them,
and a Catalog is made from them: each slot set column by column at C speed, much quicker than making the
entries one by one. Stacks are numbers into one table of distinct stack items (an item written the same
way in many stacks is made once and shared).
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import fields
from itertools import accumulate, chain, count, repeat
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple, cast

from hlexplore.catalog.models import Catalog, Company, Meta, Reference, StackItem, Technology
from hlexplore.lazy import Lazy

Column = tuple[Any, ...]


def names(cls: type) -> tuple[str, ...]:
    """The fields a kind's rows hold, in order (those its __init__ takes)."""
    return tuple(f.name for f in fields(cls) if f.init)


TECH, COMPANY, REFERENCE, ITEM = names(Technology), names(Company), names(Reference), names(StackItem)
STACK = COMPANY.index("stack")
COMPANY_COLUMNS = COMPANY[:STACK] + COMPANY[STACK + 1 :]  # a company's columns: its stack is kept apart


# Fields whose texts repeat from entry to entry (a language, a kind, a category, an owner): each text is
# kept as one string (marshal then writes it once, and a language a hundred thousand times is one string
# in memory). The ids other entries point at are shared with those entries when the pieces are joined.
REPEATING = {
    TECH: ("category", "parent", "url_confidence"),
    COMPANY: ("url_confidence",),
    ITEM: ("tech", "note", "version", "group"),
    REFERENCE: ("company", "technology", "lang", "ref_kind", "url_confidence"),
}


def shared_texts(columns: tuple[Column, ...], fields: tuple[str, ...]) -> tuple[Column, ...]:
    """A kind's columns with each text of its repeating fields one string (REPEATING)."""
    texts: dict[str, str] = {}
    repeating = REPEATING.get(fields, ())
    return tuple(
        tuple(map(texts.setdefault, column, column)) if name in repeating else column
        for name, column in zip(fields, columns, strict=True)
    )


class Columns(NamedTuple):
    meta: tuple[int, str, str]
    paths: tuple[str, ...]
    technologies: tuple[Column, ...]  # one per TECH field
    companies: tuple[Column, ...]  # one per COMPANY_COLUMNS field
    items: tuple[Column, ...]  # one per ITEM field: each distinct stack item once
    numbers: Any  # array('i'): the items of every stack, one stack after another
    sizes: Any  # array('i'): how many items each company's stack has
    references: tuple[Column, ...]  # one per REFERENCE field

    @classmethod
    def of(cls, catalog: Catalog) -> Columns:
        """A catalog's columns (to keep one that was not compiled from a file: merge.py). Stack items are
        numbered by identity: an item shared by many stacks (as the cache and the compiler make them) is
        kept once, at C speed (hashing every item by value would be a Python call each)."""
        every = list(chain.from_iterable(map(attrgetter("stack"), catalog.companies)))
        keys = list(map(id, every))  # (every item is alive in every: no id is reused)
        number_of = dict(zip(dict.fromkeys(keys), count()))
        distinct = dict(zip(keys, every, strict=True)).values()  # (in the order of number_of)
        return cls(
            (catalog.meta.schema, catalog.meta.title, catalog.meta.source),
            tuple(map(str, catalog.paths)),
            shared_texts(tuple(tuple(column(catalog.technologies, name)) for name in TECH), TECH),
            tuple(tuple(column(catalog.companies, name)) for name in COMPANY_COLUMNS),
            shared_texts(tuple(tuple(map(attrgetter(name), distinct)) for name in ITEM), ITEM),
            array("i", map(number_of.__getitem__, keys)),
            array("i", map(len, map(attrgetter("stack"), catalog.companies))),
            shared_texts(tuple(tuple(column(catalog.references, name)) for name in REFERENCE), REFERENCE),
        )

    def catalog(self, *, lazy: bool = False) -> Catalog:
        """The catalog these columns hold; lazy: references made when first read (Rows). Raises
        ValueError when the columns do not line up (a damaged cache entry)."""
        for kind in (self.technologies, self.companies, self.items, self.references):
            if len({len(column) for column in kind}) > 1:
                raise ValueError("columns of different lengths")  # map() would quietly stop at the shortest
        if (self.numbers and min(self.numbers) < 0) or (self.sizes and min(self.sizes) < 0):
            raise ValueError("negative numbers in the stacks")  # (they would index from the end)
        items = made(StackItem, self.items)  # each distinct item once, shared by the stacks listing it
        in_stacks = list(map(items.__getitem__, self.numbers))
        starts, ends = spans(self.sizes)
        if len(ends) != (len(self.companies[0]) if self.companies else 0) or (
            (ends[-1] if ends else 0) != len(in_stacks)
        ):
            raise ValueError("the stacks do not add up")
        stacks = tuple(map(tuple, map(in_stacks.__getitem__, map(slice, starts, ends))))
        companies = (*self.companies[:STACK], stacks, *self.companies[STACK:])
        return Catalog(
            Meta(*self.meta),
            made(Technology, self.technologies),
            made(Company, companies),
            Rows(Reference, self.references) if lazy else made(Reference, self.references),
            tuple(Path(p) for p in self.paths),
        )


def spans(sizes: Sequence[int]) -> tuple[list[int], list[int]]:
    """Where each stack starts and ends among every stack's items one after another, from their sizes."""
    ends = list(accumulate(sizes))
    return [0, *ends[:-1]], ends


def column(entries: Sequence[Any], name: str) -> Sequence[Any]:
    """One field of every entry; read from the columns when the entries are not made yet (Rows, or a
    sequence of them in another order that can say its column too)."""
    read = getattr(entries, "column", None)
    if read is not None:
        return cast("Sequence[Any]", read(name))
    return tuple(map(attrgetter(name), entries))


def made(cls: type, columns: tuple[Column, ...]) -> tuple[Any, ...]:
    """Entries from columns of their fields' values, as unpickling makes objects: each slot set column by
    column at C speed (a frozen dataclass's __init__ sets them one by one through object.__setattr__:
    twice as slow, and a large catalog has hundreds of thousands). Fields that __init__ does not take
    get their defaults."""
    count = len(columns[0]) if columns else 0
    entries: tuple[Any, ...] = tuple(map(object.__new__, repeat(cls, count)))
    given = dict(zip(names(cls), columns, strict=True))
    for field in fields(cls):
        values = given[field.name] if field.init else repeat(field.default, count)
        deque(map(getattr(cls, field.name).__set__, entries, values), maxlen=0)
    return entries


class Rows(Lazy[Any]):
    """A kind's entries as columns of field values, each entry made when first read (and kept). A catalog
    of 100,000 companies has 300,000 references: making them all is a quarter of a warm start, and the
    first screen shows a few dozen. Reads like the tuple of entries it stands for."""

    def __init__(self, cls: type, columns: tuple[Column, ...]) -> None:
        self._cls, self._columns = cls, columns
        self._entries: list[Any] = [None] * (len(columns[0]) if columns else 0)
        self._whole = False

    def column(self, name: str) -> Column:
        """One field's values, without making the entries (if they are not made yet)."""
        if self._whole:
            return tuple(map(attrgetter(name), self._entries))
        return self._columns[names(self._cls).index(name)]

    @property
    def made(self) -> int:
        """How many entries have been made so far."""
        return len(self._entries) if self._whole else len(self._entries) - self._entries.count(None)

    def __len__(self) -> int:
        return len(self._entries)

    def _read(self, at: int) -> Any:
        found = self._entries[at]  # an IndexError here is the tuple's
        if found is None:  # (never once whole)
            found = self._entries[at] = self._cls(*(column[at] for column in self._columns))
        return found

    def __iter__(self) -> Iterator[Any]:
        if not self._whole:  # all at once, at C speed, keeping those made already
            entries = made(self._cls, self._columns)
            self._entries = [e if e is not None else m for e, m in zip(self._entries, entries, strict=True)]
            self._whole, self._columns = True, ()  # the entries hold the values now
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"Rows({len(self)} {self._cls.__name__} entries, {self.made} made)"
