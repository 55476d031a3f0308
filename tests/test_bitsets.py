"""Bitsets of company ranks and bit-sliced counts (what similarity counts with), against plain counting."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from hlexplore.index.bitsets import add, bitset, counted, members

SIZE = 300
sets = st.lists(st.sets(st.integers(0, SIZE - 1)), max_size=70)


@given(ranks=st.sets(st.integers(0, SIZE - 1)))
def test_a_bitset_holds_its_ranks_and_gives_them_back_in_order(ranks: set[int]) -> None:
    bits = bitset(ranks, SIZE)
    assert list(members(bits)) == sorted(ranks)
    assert bits.bit_count() == len(ranks)


@given(groups=sets, outside=st.sets(st.integers(0, SIZE - 1)))
def test_bit_sliced_counts_are_the_counts(groups: list[set[int]], outside: set[int]) -> None:
    planes: list[int] = []
    for group in groups:
        add(planes, bitset(group, SIZE))
    counts = Counter(rank for group in groups for rank in group)
    within = ~bitset(outside, SIZE)  # every rank but these
    for count in range(1, len(groups) + 2):
        expected = sorted(r for r, c in counts.items() if c == count and r not in outside)
        assert list(members(counted(planes, count, within))) == expected


def test_an_empty_bitset() -> None:
    assert bitset([], 0) == 0 and bitset([], 10) == 0 and list(members(0)) == []
