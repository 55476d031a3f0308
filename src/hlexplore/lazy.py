"""Sequences whose items are made from their position only when read: a large catalog's lists are long,
and a screen shows a few dozen of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class Lazy(Sequence[T]):
    """Reads like a tuple; subclasses say how long they are and how one item is made (`_read`, given the
    position as asked for: negative or out of range, it raises as a tuple would)."""

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
