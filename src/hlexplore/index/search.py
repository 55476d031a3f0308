"""Finding entries: each kind's search lines (every entry's folded names, joined), its Haystack
(index/prefilter.py: which lines can match, at C speed), the scoring of the few that can
(index/matching.py), counting, the user's annotations, and resolving a name a user typed (index/names.py).
docs/search.md says how, and what the tests hold it to."""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, count
from operator import eq, not_
from typing import Literal, NamedTuple, overload

from hlexplore.catalog.columns import column
from hlexplore.catalog.models import KINDS, Entry, Kind
from hlexplore.index.entries import Entries
from hlexplore.index.matching import SEPARATOR, Matchable, Query, match_entry, parse_query, score_entry
from hlexplore.index.names import Names
from hlexplore.index.prefilter import Haystack, Superseded
from hlexplore.interpreter import bulk
from hlexplore.text import compact, fold

# Kinds with this many entries are searched through the prefilter (below, scoring them all takes about
# a millisecond and the prefilter would only add its own cost).
PREFILTER_FROM = 2000


class Filtered(NamedTuple):
    shown: list[SearchResult]  # the best matches, best first (as many as asked for)
    matched: int | None  # how many matched in all (None: not counted, see CatalogIndex.filtered)


@dataclass(frozen=True, slots=True)
class SearchResult:
    entry: Entry
    score: float
    positions: tuple[int, ...] = ()

    @property
    def kind(self) -> Kind:
        return self.entry.kind


@dataclass(frozen=True, slots=True)
class Resolution:
    status: Literal["found", "ambiguous", "missing"]
    entry: Entry | None = None
    candidates: tuple[Entry, ...] = ()
    exact: bool = False  # the name is the entry's (or the candidates') name, id or alias, not a prefix
    guessed: bool = False  # found as the one clearly nearest to a misspelt name (say so to the user)


class Search:
    """Every query over the entries' names; what it builds (lines, haystacks, name tables) is made at a
    kind's first query, once, by whichever thread wants it first."""

    def __init__(self, entries: Entries) -> None:
        self._entries = entries
        self._extra: dict[tuple[str, str], tuple[str, ...]] = {}
        self._haystacks: dict[Kind, Haystack] = {}
        self._name_tables: dict[Kind, Names] = {}
        self._lines_by_kind: dict[Kind, list[str]] = {}
        # a kind's lines and haystack are made once, by the first thread that wants them (the explorer
        # prepares them in one worker while the first keystroke's search may already want them in another)
        self._making = {kind: threading.RLock() for kind in KINDS}
        self._shown_keys: dict[tuple[str, str], tuple[Matchable, ...]] = {}

    def _lines(self, kind: Kind) -> list[str]:
        """Each entry's folded search keys, joined by SEPARATOR, in the kind's order: built at the kind's
        first query (not on the way to the first frame, and not for kinds never searched)."""
        if kind not in self._lines_by_kind:
            with self._making[kind]:
                if kind not in self._lines_by_kind:
                    with bulk():
                        self._lines_by_kind[kind] = self._every_line(kind)
        return self._lines_by_kind[kind]

    def _every_line(self, kind: Kind) -> list[str]:
        """Every entry's line (_line), the common ones from the columns at C speed: an entry whose keys
        are only its name and its id (no native name, no alias, nothing the user added) has the line
        fold(name) SEPARATOR fold(id). The others are made one by one."""
        order = self._entries.order[kind]
        names = column(order, "title" if kind == "reference" else "name")
        ids = column(order, "id")
        lines = list(map(SEPARATOR.join, zip(map(fold, names), map(fold, ids), strict=True)))
        others = set(compress(count(), map(eq, names, ids)))  # (one key, not two)
        others.update(compress(count(), map(not_, names)), compress(count(), map(not_, ids)))
        for field in {"company": ("native_name", "aliases"), "technology": ("aliases",)}.get(kind, ()):
            others.update(compress(count(), column(order, field)))
        if self._extra:
            positions = self._entries.positions_of(kind)
            others.update(positions[i] for k, i in self._extra if k == kind and i in positions)
        if SEPARATOR in "".join(names) or SEPARATOR in "".join(ids):
            others.update(at for at, line in enumerate(lines) if line.count(SEPARATOR) != 1)
        for at in others:
            lines[at] = self._line(order[at])
        return lines

    def _line(self, entry: Entry) -> str:
        return SEPARATOR.join(fold(text).replace(SEPARATOR, " ") for text in self._key_texts(entry))

    def _matchables(self, entry: Entry) -> tuple[Matchable, ...]:
        """An entry's keys with their maps to the label, for highlighting (kept for the last few thousand
        entries shown)."""
        key = (entry.kind, entry.id)
        found = self._shown_keys.pop(key, None) or tuple(Matchable.of(t) for t in self._key_texts(entry))
        self._shown_keys[key] = found  # last: the most recently shown
        if len(self._shown_keys) > 4096:
            self._shown_keys.pop(next(iter(self._shown_keys)), None)
        return found

    def prepare(
        self, kind: Kind, typos: bool = False, words: bool = False, pause: Callable[[], object] | None = None
    ) -> None:
        """Build what the kind's first query needs ahead of it; with typos, what its first query of four
        letters or more needs too; with words, the table that makes a large kind's word lookups quick
        (calling pause between pieces of it: see Haystack.prepare_words)."""
        self._lines(kind)
        if len(self._entries.order[kind]) >= PREFILTER_FROM:
            if typos:
                self.haystack(kind).prepare()
            if words:
                self.haystack(kind).prepare_words(pause or (lambda: None))

    def haystack(self, kind: Kind) -> Haystack:
        if kind not in self._haystacks:
            with self._making[kind]:
                if kind not in self._haystacks:
                    self._haystacks[kind] = Haystack(self._lines(kind))
        return self._haystacks[kind]

    def _key_texts(self, entry: Entry) -> list[str]:
        texts = [self._entries.label(entry), *entry.names, *self._extra.get((entry.kind, entry.id), ())]
        return list(dict.fromkeys(t for t in texts if t))

    def annotate(self, kind: Kind, entry_id: str, texts: Iterable[str]) -> None:
        """More texts to find an entry by (e.g. the user's note on it); replaces the earlier ones."""
        entry = self._entries.get(kind, entry_id)
        if entry is None:
            return
        self._extra[(kind, entry_id)] = tuple(t for t in texts if t)
        self._shown_keys.pop((kind, entry_id), None)
        if kind in self._lines_by_kind:
            self._lines_by_kind[kind][self._entries.positions_of(kind)[entry_id]] = self._line(entry)
        self._haystacks.pop(kind, None)  # what it found came from the old texts
        self._name_tables.pop(kind, None)

    def count(self, kind: Kind) -> int:
        return len(self._entries.order[kind])

    def entries(self, kind: Kind) -> list[Entry]:
        """Every entry of a kind in its useful order: companies by name, technologies by use."""
        return list(self._entries.order[kind])

    def filter(
        self, kind: Kind, text: str, limit: int | None = None, cancelled: Callable[[], bool] | None = None
    ) -> list[SearchResult]:
        """The entries of one kind matching text, best first; an empty text lists all in order."""
        return self.filtered(kind, text, limit, cancelled).shown

    def filtered(
        self,
        kind: Kind,
        text: str,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
        count: bool = True,
        start: int = 0,
    ) -> Filtered:
        """The best `limit` matches of text among one kind's entries (all if None), and how many matched;
        from start on, the matches after the best `start` (a list's later rows, its last page).

        cancelled is asked now and then while a large kind is scored: when it says so (a newer keystroke
        superseded this query), filtering stops and returns nothing. Without count, matched may be None
        when the best were found without finding every match (count them with `matched`)."""
        query = parse_query(text)
        order = self._entries.order[kind]
        if query.empty:
            rows = order[start : start + limit] if limit else order[start:]
            return Filtered([SearchResult(entry, 0.0) for entry in rows], len(order))
        if start and limit:
            limit += start
        lines = self._lines(kind)
        matched: int | None = None
        tiers: Sequence[tuple[float, Iterable[int]]] = [(0.0, range(len(order)))]
        if len(order) >= PREFILTER_FROM:
            haystack = self.haystack(kind)
            try:
                best = haystack.best(query, limit, cancelled) if limit else None
                if best is not None:  # the best are in the band of keys or words starting with the word
                    return Filtered(
                        self._results(query, order, best[start:]),
                        self.matched(kind, text, cancelled) if count else None,
                    )
                found = haystack.matches(query, cancelled)
                matched = len(found)
                tiers = (
                    haystack.tiers(query, found, cancelled) if limit and matched > limit else [(0.0, found)]
                )
            except Superseded:
                return Filtered([], 0)
        scored: list[tuple[float, int]] = []
        done = 0
        for most, ranks in tiers:
            if limit and len(scored) >= limit and heapq.nlargest(limit, scored)[-1][0] > most:
                break  # no entry left can reach the best `limit`
            for rank in ranks:
                done += 1
                if cancelled is not None and done % 1024 == 0 and cancelled():
                    return Filtered([], 0)
                score = score_entry(query, lines[rank].split(SEPARATOR))
                if score is not None:
                    scored.append((score, -rank))
        best = heapq.nlargest(limit, scored) if limit else sorted(scored, reverse=True)
        return Filtered(
            self._results(query, order, best[start:]), len(scored) if matched is None else matched
        )

    @overload
    def matched(self, kind: Kind, text: str) -> int: ...
    @overload
    def matched(self, kind: Kind, text: str, cancelled: Callable[[], bool] | None) -> int | None: ...
    def matched(self, kind: Kind, text: str, cancelled: Callable[[], bool] | None = None) -> int | None:
        """How many of one kind's entries match text (None if cancelled() said to stop before the end)."""
        query = parse_query(text)
        if query.empty:
            return len(self._entries.order[kind])
        if len(self._entries.order[kind]) >= PREFILTER_FROM:
            haystack = self.haystack(kind)
            try:
                return len(haystack.matches(query, cancelled))
            except Superseded:
                return None
        return self.filtered(kind, text).matched or 0

    def _results(
        self, query: Query, order: Sequence[Entry], best: list[tuple[float, int]]
    ) -> list[SearchResult]:
        """(score, -rank) pairs as results; only these are matched again, for their positions."""
        shown = []
        for score, rank in best:
            entry = order[-rank]
            hit = match_entry(query, self._matchables(entry))
            shown.append(SearchResult(entry, score, hit.positions if hit else ()))
        return shown

    def search(self, text: str, kinds: Iterable[Kind] = KINDS, limit: int | None = 20) -> list[SearchResult]:
        """Across kinds, best first (companies before technologies before references on a tie)."""
        merged = []
        for order, kind in enumerate(kinds):  # (the best `limit` of each kind hold the best of all)
            merged += [(r.score, -order, r) for r in self.filtered(kind, text, limit, count=False).shown]
        merged.sort(key=lambda r: (r[0], r[1]), reverse=True)
        found = [r[2] for r in merged]
        return found[:limit] if limit else found

    def resolve(self, name: str, kinds: Iterable[Kind] = KINDS, guess: bool = True) -> Resolution:
        """What a user means by name: exact names, ids and aliases first (then the same without
        separators: `my sql`), then a unique prefix, then (with guess) the entry clearly nearest to a
        misspelt name (see _near_miss) or the filter's one match; else the nearest as candidates.

        A name means a company or a technology before a reference's title: references are looked in only
        when no company or technology has the name (exact, then without separators, then as a prefix), so
        `show netflix` is the company even beside a talk titled "Netflix", and answering it does not make
        the search lines of every reference first (300,000 of them at scale).

        Looked up in each kind's haystack (index.names), not by a pass over every entry in Python."""
        kinds = tuple(kinds)
        wanted, squeezed = fold(name.strip()), compact(name)
        if not wanted:
            return Resolution("missing")
        named: tuple[Kind, ...] = tuple(k for k in kinds if k != "reference")
        titled: tuple[Kind, ...] = tuple(k for k in kinds if k == "reference")
        for tier in (named, titled):
            if not tier:
                continue
            exact = self._named(tier, lambda names: names.equal(wanted))
            if not exact and squeezed:
                exact = self._named(tier, lambda names: names.squeezed(squeezed))
            if len(exact) == 1:
                return Resolution("found", exact[0], exact=True)
            if exact:
                return Resolution("ambiguous", candidates=tuple(exact), exact=True)
            prefix = self._named(tier, lambda names: names.starting(wanted))
            if len(prefix) == 1:
                return Resolution("found", prefix[0])
            if prefix:
                return Resolution("ambiguous", candidates=tuple(prefix[:12]))
        nearest = self._near_miss(squeezed, kinds) if guess else None
        if nearest is not None:
            return Resolution("found", nearest, guessed=True)
        close = [r.entry for r in self.search(name, kinds, limit=5)]
        if len(close) == 1 and guess:  # the filter's one match (its letters scattered in a name: pgsql)
            return Resolution("found", close[0], guessed=True)
        if not close:
            close = self._named(kinds, lambda names: names.like(squeezed, 5))[:5]
        return Resolution("missing", candidates=tuple(close))

    def _names(self, kind: Kind) -> Names:
        if kind not in self._name_tables:
            haystack = self.haystack(kind)
            with self._making[kind]:
                self._name_tables.setdefault(kind, Names(haystack))
        return self._name_tables[kind]

    def _named(self, kinds: tuple[Kind, ...], find: Callable[[Names], list[int]]) -> list[Entry]:
        """The entries find gives in each kind's names, kind after kind, each kind's in its order."""
        return [self._entries.order[kind][at] for kind in kinds for at in find(self._names(kind))]

    def _near_miss(self, squeezed: str, kinds: tuple[Kind, ...]) -> Entry | None:
        """The entry a misspelt name means, when one is clearly the nearest: a key (name, id, alias)
        within a small edit distance for the name's length (a letter left out, doubled, changed, two
        swapped; separators do not count), and every other entry at least one edit further. Ties are
        no answer; the result does not depend on the order of the catalog or the hash seed."""
        if len(squeezed) < 3:
            return None
        allowed = 1 if len(squeezed) <= 4 else 2 if len(squeezed) <= 9 else 3
        ranked = sorted(
            (distance, kind, entry.id, entry)
            for kind in kinds
            for at, distance in self._names(kind).nearest(squeezed, allowed + 1).items()
            for entry in (self._entries.order[kind][at],)
        )
        if not ranked:
            return None
        distance, *_, best = ranked[0]
        if distance > allowed or (len(ranked) > 1 and ranked[1][0] <= distance):
            return None
        return best
