"""Which entries of a large kind match a query, found at C speed, so that only the best are scored in Python.

Each entry is one line: its folded keys joined by SEPARATOR. A term's matches are the lines a regular
expression finds (run by `map` over the lines, so no Python code runs per line), plus, for a fuzzy term
of four or more characters, the keys rapidfuzz scores as a typo of it. The expressions say exactly what
matching.term_score accepts, so the sets are the matches themselves: counting them needs no scoring.

A term that extends an earlier one (`clo` after `cl`) is looked for only in the earlier one's lines,
and when a single term's best band (keys that start with it, then keys that contain it) holds enough
entries to fill what is shown, only that band is scored: every entry outside it ranks lower.
"""

from __future__ import annotations

import heapq
import operator
import re
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator
from itertools import compress
from typing import NamedTuple

from hlexplore.index.matching import EXACT, PREFIX, SEPARATOR, TYPO_CUTOFF, Query, Term, scattered


class Sorted(NamedTuple):
    keys: list[str]  # every key of every line, sorted
    positions: array[int]  # the line each is on
    places: array[int]  # where in its line (0: the label)


NARROWING = ("fuzzy", "substring", "prefix")  # modes where a longer term matches a subset of a shorter
BANDED = ("fuzzy", "substring")  # modes where every key starting with the term scores in the prefix band
LONG_KEYS_FROM = 9  # needles this long can be typos of long keys too (see Haystack._typos)
KEPT_TERMS, KEPT_LINES = 32, 1_000_000  # terms whose matching lines are kept, and their lines in all


def _expression(term: Term) -> re.Pattern[str]:
    if term.mode == "fuzzy":
        return scattered(term.text)
    start, needle, end = f"(?:^|{SEPARATOR})", re.escape(term.text), f"(?={SEPARATOR}|\\Z)"
    forms = {"substring": needle, "prefix": start + needle, "suffix": needle + end}
    return re.compile(forms.get(term.mode, start + needle + end))


class Haystack:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.size = len(lines)
        self._found: OrderedDict[tuple[str, str], frozenset[int]] = OrderedDict()  # (mode, text) -> lines
        self._short: dict[int, tuple[array[int], list[str]]] | None = None  # key length -> lines, keys
        self._sorted: Sorted | None = None  # every key in order, for the keys starting with a term
        self._lock = threading.Lock()

    def matches(self, query: Query) -> set[int]:
        """Positions of the entries that match query: every group does (any of its terms), no exclusion."""
        found: set[int] | None = None
        for group in query.groups:
            either: set[int] = set()
            for term in group:
                either |= self.term(term)
            found = either if found is None else found & either
            if not found:
                return set()
        found = set(range(self.size)) if found is None else found
        for term in query.excluded:
            found.difference_update(self.grep(_expression(Term(term.text, "substring")), found))
        return found

    def band(self, query: Query, found: set[int], wanted: int) -> Collection[int]:
        """The part of found that holds the best `wanted` matches of a one-term query: the entries with a
        key starting with the term if there are enough, else those with a key containing it, else all."""
        term = query.alone
        if term is None or term.mode not in BANDED or len(found) <= wanted:
            return found
        for band in (Term(term.text, "prefix"), Term(term.text, "substring")):
            inside = self.term(band) & found
            if len(inside) >= wanted:
                return inside
        return found

    def term(self, term: Term) -> frozenset[int]:
        key = (term.mode, term.text)
        with self._lock:  # a superseded search may still be running in another thread
            if key in self._found:
                self._found.move_to_end(key)
                return self._found[key]
            earlier = self._earlier(term)
        found = set(self.grep(_expression(term), earlier))
        if term.mode == "fuzzy" and len(term.text) >= 4:
            found |= self._typos(term.text)
        result = frozenset(found)
        with self._lock:
            self._found[key] = result
            # the last few terms' lines, within a bound: a set of a term matching most of 300,000
            # references holds 12 MB of numbers
            while len(self._found) > 1 and (
                len(self._found) > KEPT_TERMS or sum(map(len, self._found.values())) > KEPT_LINES
            ):
                self._found.popitem(last=False)
        return result

    def _earlier(self, term: Term) -> frozenset[int] | None:
        """The lines of the longest earlier term that every match of term is among (None: all lines)."""
        if term.mode not in NARROWING:
            return None
        best: frozenset[int] | None = None
        longest = 0
        for (mode, text), found in self._found.items():
            if mode == term.mode and len(text) > longest and term.text.startswith(text):
                if mode == "fuzzy" and len(text) >= 4:
                    continue  # its typos are not matches of the longer term
                best, longest = found, len(text)
        return best

    def grep(self, expression: re.Pattern[str], among: Iterable[int] | None = None) -> list[int]:
        """Positions of the lines expression finds something in (among some positions only, if given)."""
        if among is None:
            return list(compress(range(self.size), map(expression.search, self.lines)))
        ordered = sorted(among)
        lines = self.lines
        return list(compress(ordered, map(expression.search, [lines[p] for p in ordered])))

    def _typos(self, needle: str) -> set[int]:
        """Lines with a key whose start rapidfuzz scores as a typo of needle (as matching does).

        ratio is 2·common/(len(needle) + len(start)); a start of len(needle) + 3 characters reaches
        TYPO_CUTOFF only with `common` at least 0.75·len(needle) + 1.125, which for a needle of up to
        LONG_KEYS_FROM - 1 characters is the whole needle in order within those characters: a scattered
        match already found. So short needles are compared with the short keys only."""
        from rapidfuzz import fuzz, process

        length = len(needle) + 3
        if len(needle) < LONG_KEYS_FROM:
            owners, keys = self._short_keys(length)
        else:
            owners, keys = [], []
            for position, key in self._keys():
                owners.append(position)
                keys.append(key[:length])
        hits = process.extract(needle, keys, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=None)
        return {owners[index] for _choice, _score, index in hits}

    def _keys(self) -> Iterator[tuple[int, str]]:
        """Every key, with the position of its line (the sorted table's strings: each key made once)."""
        table = self._sorted_keys()
        return zip(table.positions, table.keys, strict=True)

    def prepare(self) -> None:
        """Build the tables that typos and the best prefix matches are looked up in (before they are
        first needed)."""
        self._sorted_keys()
        self._short_keys(0)

    def best_starting(self, term: Term, wanted: int) -> list[tuple[float, int]] | None:
        """The best `wanted` matches of a one-term query as (score, -position), best first, when the
        entries with a key starting with the term are that many: every other entry scores lower (as
        band() says). None when they are fewer.

        The keys starting with the term are a range of the sorted keys; such a key scores as in
        matching.term_score, less 0.01 for each key before it in its entry (matching._group_best)."""
        if term.mode not in BANDED or not term.text or term.text[-1] == chr(0x10FFFF):
            return None
        table = self._sorted_keys()
        needle = term.text
        start = bisect_left(table.keys, needle)
        end = bisect_left(table.keys, needle[:-1] + chr(ord(needle[-1]) + 1), start)
        if end - start < wanted:
            return None
        best: dict[int, float] = {}
        n = len(needle)
        for key, position, k in zip(
            table.keys[start:end], table.positions[start:end], table.places[start:end], strict=True
        ):
            score = (EXACT if len(key) == n else PREFIX + n / len(key)) - k * 0.01
            if score > best.get(position, -1.0):
                best[position] = score
        if len(best) < wanted:
            return None
        return heapq.nlargest(wanted, zip(best.values(), map(operator.neg, best), strict=True))

    def _sorted_keys(self) -> Sorted:
        if self._sorted is None:
            keys, positions, places = [], array("i"), array("i")
            for position, line in enumerate(self.lines):
                for place, key in enumerate(line.split(SEPARATOR)):
                    keys.append(key)
                    positions.append(position)
                    places.append(place)
            order = sorted(range(len(keys)), key=keys.__getitem__)
            self._sorted = Sorted(  # whole: another thread may read it as soon as it is set
                list(map(keys.__getitem__, order)),
                array("i", map(positions.__getitem__, order)),
                array("i", map(places.__getitem__, order)),
            )
        return self._sorted

    def _short_keys(self, shorter_than: int) -> tuple[list[int], list[str]]:
        """The keys shorter than shorter_than characters, and the line each is on."""
        if self._short is None:
            short: dict[int, tuple[array[int], list[str]]] = {}
            for position, key in self._keys():
                if len(key) < LONG_KEYS_FROM + 3:
                    owners, keys = short.setdefault(len(key), (array("i"), []))
                    owners.append(position)
                    keys.append(key)
            self._short = short  # whole: another thread may read it as soon as it is set
        owners: list[int] = []
        keys: list[str] = []
        for size in range(shorter_than):
            found = self._short.get(size, ((), ()))
            owners += found[0]
            keys += found[1]
        return owners, keys
