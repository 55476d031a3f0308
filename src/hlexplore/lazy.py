"""Sequences whose items are made from their position only when read: a large catalog's lists are long,
and a screen shows a few dozen of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")


class Lazy(Sequence[T]):
    """Reads like a tuple (and is equal to the tuple of its items); subclasses say how long they are and
    how one item is made (`_read`, given the position as asked for: negative or out of range, it raises as
    a tuple would)."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, list, Lazy)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def _read(self, at: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, at: int) -> T: ...
    @overload
    def __getitem__(self, at: slice) -> tuple[T, ...]: ...
    def __getitem__(self, at: int | slice) -> T | tuple[T, ...]:
        if isinstance(at, slice):
            return tuple(map(self._read, range(*at.indices(len(self)))))
        return self._read(at)


class Picked(Lazy[T]):
    """Some items of a sequence, by their positions in it, read from it only when read here (a list of
    120,000 stale references made into a tuple costs as much as the view that shows 200 of them)."""

    def __init__(self, items: Sequence[T], positions: Sequence[int]) -> None:
        self._items, self._positions = items, positions

    def __len__(self) -> int:
        return len(self._positions)

    def _read(self, at: int) -> T:
        return self._items[self._positions[at]]

    def column(self, name: str) -> list[Any]:
        """One field of each item, read from the items' columns when they can say it (see columns.column)."""
        read = getattr(self._items, "column", None)
        every = read(name) if read is not None else [getattr(item, name) for item in self._items]
        return list(map(every.__getitem__, self._positions))
