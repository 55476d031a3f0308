"""Which entries of one kind a name a user typed means.

Keys equal to the name, or starting with it, are what the kind's Haystack finds for an "equal" or a
"prefix" term (at C speed, with no table to build first); near misses are looked for by rapidfuzz in
every key squeezed (separators dropped), made the first time a name is not found. So a lookup is never
a pass over every entry in Python: `hlexplore show` at a hundred thousand companies answers in about
the time it takes to load them.
"""

from __future__ import annotations

import re
from array import array
from itertools import chain, compress, repeat

from hlexplore.index.matching import SEPARATOR, Term
from hlexplore.index.prefilter import Haystack
from hlexplore.interpreter import bulk


class Names:
    def __init__(self, haystack: Haystack) -> None:
        self._haystack = haystack
        self._squeezed: tuple[list[str], array[int], array[int]] | None = None  # keys, lines, places

    def equal(self, folded: str) -> list[int]:
        """The positions (in the kind's order) of the entries with a key that is folded."""
        return list(self._haystack.term(Term(folded, "equal")))

    def starting(self, folded: str) -> list[int]:
        """The positions of the entries with a key that starts with folded."""
        return list(self._haystack.term(Term(folded, "prefix")))

    def squeezed(self, squeezed: str) -> list[int]:
        """The positions of the entries with a key that squeezes to squeezed (`my sql` for `mysql`)."""
        keys, lines, _places = self._squeezed_keys()
        return sorted(set(compress(lines, map(squeezed.__eq__, keys))))

    def nearest(self, squeezed: str, within: int) -> dict[int, int]:
        """Each entry with a squeezed key at most within edits from squeezed (a letter left out, doubled,
        changed, two swapped), with its smallest distance."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        keys, lines, _places = self._squeezed_keys()
        nearest: dict[int, int] = {}
        for _key, distance, at in process.extract(
            squeezed, keys, scorer=OSA.distance, score_cutoff=within, limit=None
        ):
            owner = lines[at]
            nearest[owner] = min(distance, nearest.get(owner, distance))
        return nearest

    def like(self, squeezed: str, limit: int) -> list[int]:
        """The positions of the entries whose label is most like squeezed (for "did you mean")."""
        from rapidfuzz import fuzz, process

        keys, lines, places = self._squeezed_keys()
        labels = {at: keys[at] for at in compress(range(len(keys)), map((0).__eq__, places))}
        found = process.extract(squeezed, labels, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
        return [lines[at] for _label, _score, at in found]

    def _squeezed_keys(self) -> tuple[list[str], array[int], array[int]]:
        """Every key squeezed, with its line and its place in the line (0: the label): the lines joined
        into one text, squeezed by one regular expression and split, so no Python code runs per key."""
        if self._squeezed is None:
            lines = self._haystack.lines
            counts = [line.count(SEPARATOR) + 1 for line in lines]
            with bulk():
                keys = _SQUEEZABLE.sub("", SEPARATOR.join(lines)).split(SEPARATOR) if lines else []
                owners = array("i", chain.from_iterable(map(repeat, range(len(lines)), counts)))
                places = array("i", chain.from_iterable(map(range, counts)))
            self._squeezed = keys, owners, places
        return self._squeezed


# text.squeeze's separators, but not the one between keys (which \s would take too)
_SQUEEZABLE = re.compile(rf"(?:[^\S{SEPARATOR}]|[\-_.·/])+")
