"""Which entries can match a query, found at C speed, so that only those are scored in Python.

All folded keys of a kind are joined into one text, an entry per line and its keys apart by a unit
separator. A term's candidates are the lines a regular expression finds in it (the term's characters in
order within one key, or the term itself for the exact operators), plus, for a fuzzy term of four or
more characters, the keys whose start rapidfuzz scores as a typo of it. That is a superset of what
matching accepts (matching then decides, and ranks): the candidates never lose a match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hlexplore.index.matching import TYPO_CUTOFF, Query, Term

SEPARATOR = "\x1f"


def _line(keys: tuple[str, ...]) -> str:
    return SEPARATOR.join(k.replace("\n", " ").replace(SEPARATOR, " ") for k in keys)


class Haystack:
    def __init__(self, keys: list[tuple[str, ...]]) -> None:
        lines = [_line(k) for k in keys]
        self.blob = "\n".join(lines)
        self.line_at: dict[int, int] = {}  # offset of a line's start -> its entry's position
        offset = 0
        for position, line in enumerate(lines):
            self.line_at[offset] = position
            offset += len(line) + 1
        self.keys = [(position, key) for position, entry_keys in enumerate(keys) for key in entry_keys]
        self.size = len(keys)
        self._term = lru_cache(maxsize=64)(self._term_uncached)

    def candidates(self, query: Query) -> set[int]:
        """Positions of the entries that may match query (every group must, any term of a group may)."""
        found: set[int] | None = None
        for group in query.groups:
            either: set[int] = set()
            for term in group:
                either |= self._term(term)
            found = either if found is None else found & either
            if not found:
                return set()
        return found if found is not None else set(range(self.size))

    def _term_uncached(self, term: Term) -> frozenset[int]:
        needle = term.text
        if term.mode == "fuzzy":
            pattern = f"[^\n{SEPARATOR}]*?".join(re.escape(c) for c in needle)
        else:
            pattern = re.escape(needle)
        finder = re.compile(r"(?m)^[^\n]*?" + pattern)
        found = {self.line_at[m.start()] for m in finder.finditer(self.blob)}
        if term.mode == "fuzzy" and len(needle) >= 4:
            found |= self._typos(needle)
        return frozenset(found)

    def _typos(self, needle: str) -> set[int]:
        from rapidfuzz import fuzz, process

        starts = self._starts(len(needle) + 3)
        hits = process.extract(needle, starts, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=None)
        return {self.keys[index][0] for _choice, _score, index in hits}

    @lru_cache(maxsize=8)  # noqa: B019 - one Haystack per kind, kept as long as the index
    def _starts(self, length: int) -> list[str]:
        """Every key cut to length, as matching compares a typo with the start of a key."""
        return [key[:length] for _position, key in self.keys]
