"""Sets of companies as Python integers (bit r set: the company of rank r is in), and counting over them.

Similarity has to count, for every company, how many of one company's technologies it shares. With one
technology in nearly every stack of a large catalog, going through the users one by one is hundreds of
thousands of steps in Python; as integers, each technology is a handful of operations on a few kilobytes,
done in C. Counts are kept bit-sliced: plane k holds bit k of every company's count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import compress

ONE = ord("1")


def bitset(ranks: Iterable[int], size: int) -> int:
    """The set of these ranks (each below size)."""
    digits = bytearray(b"0") * size
    for rank in ranks:
        digits[rank] = ONE
    digits.reverse()  # the most significant digit first, as int() reads it
    return int(digits or b"0", 2)


def members(bits: int) -> Iterator[int]:
    """The ranks in a set (not negative), smallest first: picked out at C speed."""
    digits = format(bits, "b").encode()[::-1]
    return compress(range(len(digits)), map(ONE.__eq__, digits))


def add(planes: list[int], bits: int) -> None:
    """Count one more for every member of bits, in bit-sliced counts (planes[k]: bit k of each count)."""
    for k, plane in enumerate(planes):
        planes[k] = plane ^ bits
        bits &= plane  # the carry
        if not bits:
            return
    planes.append(bits)


def counted(planes: list[int], count: int, within: int) -> int:
    """The members of within whose count is exactly count (at least one)."""
    if count >> len(planes):
        return 0
    for k, plane in enumerate(planes):
        within &= plane if count >> k & 1 else ~plane
    return within
