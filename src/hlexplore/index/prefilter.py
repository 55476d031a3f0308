"""Which entries of a large kind match a query, found at C speed, so that only the best are scored in Python.

Each entry is one line: its folded keys joined by SEPARATOR. A term's matches are the lines a regular
expression finds (run by `map` over the lines, so no Python code runs per line), plus, for a fuzzy term
of four or more characters, the keys rapidfuzz scores as a typo of it. The expressions say exactly what
matching.term_score accepts, so the sets are the matches themselves: counting them needs no scoring.

A term that extends an earlier one (`clo` after `cl`) is looked for only in the earlier one's lines,
and when a single term's best band (keys that start with it, then keys with a word that starts with it,
then keys that contain it) holds enough entries to fill what is shown, only that band is looked at: every
entry outside it ranks lower. The first two bands are ranked without scoring each of their entries (see
Haystack.best).
"""

from __future__ import annotations

import heapq
import operator
import re
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import chain, compress, filterfalse, repeat
from typing import Generic, NamedTuple, TypeVar

from hlexplore.index.matching import (
    EXACT,
    PREFIX,
    SEPARATOR,
    SUBSEQUENCE,
    SUBSTRING,
    TYPO_CUTOFF,
    WORD_PREFIX,
    Query,
    Term,
    scattered,
    score_entry,
)
from hlexplore.interpreter import bulk

Cancelled = Callable[[], bool] | None  # asked between pieces of lines: True stops the search (Superseded)
T = TypeVar("T")


class Once(Generic[T]):
    """A table made once, by the first thread that asks for it, and seen by the others only whole."""

    def __init__(self) -> None:
        self._value: T | None = None
        self._lock = threading.Lock()

    @property
    def made(self) -> T | None:
        """The table if it is made, else None (nothing is made for asking)."""
        return self._value

    def get(self, make: Callable[[], T]) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    with bulk():  # a million keys: left out of the cycle collector's rounds once built
                        self._value = make()
        return self._value


class Sorted(NamedTuple):
    """Every key of every line, sorted: the keys starting with a text are a range of it."""

    keys: list[str]  # every key of every line, sorted
    positions: array[int]  # the line each is on
    places: array[int]  # where in its line (0: the label)
    sizes: array[int]  # its length

    @classmethod
    def of(cls, lines: list[str]) -> Sorted:
        keys, positions, places = every_key(lines)
        # Sorted in pieces, then merged: one sort of a million keys would hold Python's lock for a second,
        # and the explorer makes this table while the user may already be typing.
        pieces = [
            sorted(range(start, min(start + SORT_PIECE, len(keys))), key=keys.__getitem__)
            for start in range(0, len(keys), SORT_PIECE)
        ]
        order = list(heapq.merge(*pieces, key=keys.__getitem__))
        ordered = list(map(keys.__getitem__, order))
        return cls(
            ordered,
            array("i", map(positions.__getitem__, order)),
            array("i", map(places.__getitem__, order)),
            array("i", map(len, ordered)),
        )

    def starting(self, needle: str) -> tuple[int, int] | None:
        """Where the keys starting with needle are (None if no key can follow needle's last character)."""
        return prefix_range(self.keys, needle)


def every_key(lines: list[str]) -> tuple[list[str], array[int], array[int]]:
    """Every key of every line, with its line and its place in the line, at C speed: the lines joined
    and split, each line's count of keys repeated."""
    counts = list(map(operator.add, map(operator.methodcaller("count", SEPARATOR), lines), repeat(1)))
    keys = SEPARATOR.join(lines).split(SEPARATOR) if lines else []
    positions = array("i", chain.from_iterable(map(repeat, range(len(lines)), counts)))
    places = array("i", chain.from_iterable(map(range, counts)))
    return keys, positions, places


class ShortKeys(NamedTuple):
    """The keys short enough to be typos of a short needle, by length (see Haystack._typos)."""

    by_size: dict[int, tuple[array[int], list[str]]]  # key length -> the lines, the keys

    @classmethod
    def of(cls, keys: list[str], positions: Sequence[int], sizes: Sequence[int]) -> ShortKeys:
        """From every key (in any order: a typo's lines are a set), its line and its length."""
        short: dict[int, tuple[array[int], list[str]]] = {}
        for size in range(LONG_KEYS_FROM + 3):  # each size's keys picked out at C speed
            chosen = list(map(size.__eq__, sizes))
            if any(chosen):
                short[size] = (array("i", compress(positions, chosen)), list(compress(keys, chosen)))
        return cls(short)

    def shorter_than(self, size: int) -> tuple[list[int], list[str]]:
        """The keys shorter than size characters, and the line each is on."""
        owners: list[int] = []
        keys: list[str] = []
        for length in range(size):
            if length in self.by_size:
                owners += self.by_size[length][0]
                keys += self.by_size[length][1]
        return owners, keys


class Words(NamedTuple):
    words: list[str]  # every word of some keys (a run of letters and digits: WORD), once, sorted
    starts: array[int]  # where each word's lines start in `lines`, and where the last one's end
    lines: array[int]  # the lines each word is in, in order, word after word

    def starting(self, needle: str) -> Sequence[int]:
        """The lines with a word starting with needle (a line more than once if more than one does)."""
        start, end = prefix_range(self.words, needle) or (0, 0)
        return self.lines[self.starts[start] : self.starts[end]]


class WordTable(NamedTuple):
    """Every word of every line, sorted: the lines with a word starting with a text are a lookup."""

    labels: Words  # the words of each line's label (its first key)
    others: Words  # the words of its other keys
    label_sizes: array[int]  # each line's label's length

    @classmethod
    def of(cls, lines: list[str], pause: Callable[[], object]) -> WordTable:
        """pause is called between pieces of lines. Words starting with a digit are left out: mostly
        numbers that each appear once (every reference id has one), they would take most of the table's
        memory, and a needle starting with a digit is looked for with the expression instead."""
        in_labels: dict[str, array[int]] = {}
        in_others: dict[str, array[int]] = {}
        label_sizes = array("i")
        for position, line in enumerate(lines):
            if position % WORDS_PIECE == 0:
                pause()
            cut = line.find(SEPARATOR)
            label_end = len(line) if cut < 0 else cut
            label_sizes.append(label_end)
            for words, found in (
                (in_labels, WORD.findall(line, 0, label_end)),
                (in_others, WORD.findall(line, cut + 1) if cut >= 0 else ()),
            ):
                for word in set(found):
                    if word[0].isdecimal():
                        continue
                    lines_of = words.get(word)
                    if lines_of is None:
                        words[word] = lines_of = array("i")
                    lines_of.append(position)
        return cls(_words(in_labels), _words(in_others), label_sizes)

    @staticmethod
    def holds(needle: str) -> bool:
        """Whether the table holds the words needle can start: it is made of letters and digits alone,
        and does not start with a digit."""
        return bool(WORD.fullmatch(needle)) and not needle[0].isdecimal()

    def lines_starting(self, needle: str) -> list[int]:
        """The lines with a word starting with needle (a line more than once if more than one does)."""
        return [*self.labels.starting(needle), *self.others.starting(needle)]


class FoundTerms:
    """The lines the last few terms matched (a later term that extends one is looked for only in them)."""

    def __init__(self) -> None:
        # (mode, text) -> the lines found, in order: arrays, which the cycle collector does not go through
        self._found: OrderedDict[tuple[str, str], array[int]] = OrderedDict()
        self._lock = threading.Lock()  # a superseded search may still be running in another thread

    def get(self, term: Term) -> array[int] | None:
        with self._lock:
            found = self._found.get((term.mode, term.text))
            if found is not None:
                self._found.move_to_end((term.mode, term.text))
            return found

    def keep(self, term: Term, found: array[int]) -> None:
        with self._lock:
            self._found[(term.mode, term.text)] = found
            while len(self._found) > 1 and (
                len(self._found) > KEPT_TERMS or sum(map(len, self._found.values())) > KEPT_LINES
            ):
                self._found.popitem(last=False)

    def within(self, term: Term) -> array[int] | None:
        """The fewest lines found for an earlier term that hold every match of term (None: all lines)."""
        within = WITHIN.get(term.mode, ())
        best: array[int] | None = None
        with self._lock:
            for (mode, text), found in self._found.items():
                if mode in within and term.text.startswith(text) and (best is None or len(found) < len(best)):
                    if mode == "fuzzy" and len(text) >= 4 and term.mode == "fuzzy":
                        continue  # its typos are not matches of the longer term
                    best = found
        return best


WORD = re.compile(r"[^\W_]+")  # what the "word" expression takes for a word: letters and digits


# For a term of a mode, the modes of earlier terms whose lines hold all of its matches when their text
# starts its text: a key starting with "scal" has a word starting with it, so contains it, so has its
# letters in order. (A fuzzy term's typos are left out: they are not matches of a longer term.)
WITHIN = {
    "fuzzy": ("fuzzy",),
    "substring": ("substring", "fuzzy"),
    "word": ("word", "substring", "fuzzy"),
    "prefix": ("prefix", "word", "substring", "fuzzy"),
}
BANDED = ("fuzzy", "substring")  # modes where every key starting with the term scores in the prefix band
LONG_KEYS_FROM = 9  # needles this long can be typos of long keys too (see Haystack._typos)
WORDS_OVER_GREP = 20  # a line looked up in the word table costs about a twentieth of one grepped
WORDS_PIECE = 256  # lines put in the word table between pauses (a millisecond or two)
SORT_PIECE = 32768  # keys sorted at once (about 10 ms) when the sorted keys are made
GREP_PIECE = 16384  # lines looked through at once (a few milliseconds)
KEPT_TERMS, KEPT_LINES = 32, 1_000_000  # terms whose matching lines are kept, and their lines in all


def _expression(term: Term) -> re.Pattern[str]:
    """What finds the term in a line. The text comes first, so the engine looks for it at C speed; what
    must stand before it is checked behind it ("word": the term starts a word, as matching._word_start
    says, or a key)."""
    if term.mode == "fuzzy":
        return scattered(term.text)
    needle = re.escape(term.text)
    key_start = f"(?<=(?<![^{SEPARATOR}]){needle})"  # not after anything but the separator
    word_start = f"(?<=(?<![^\\W_]){needle})"  # not after a letter or a digit
    end = f"(?={SEPARATOR}|\\Z)"
    forms = {
        "substring": needle,
        "prefix": needle + key_start,
        "word": needle + word_start,
        "suffix": needle + end,
        "equal": needle + key_start + end,
    }
    return re.compile(forms[term.mode])


class Superseded(Exception):
    """A search stopped because the one who asked for it no longer wants it (its `cancelled` said so)."""


class Haystack:
    """One kind's lines and the tables made over them, each when first needed: the terms found lately
    (FoundTerms), the sorted keys (Sorted), the short keys (ShortKeys) and the words (WordTable).

    Every search takes `cancelled`, asked between pieces of lines: when it says so the search raises
    Superseded (nothing half-found is kept)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.size = len(lines)
        self._found = FoundTerms()
        self._sorted: Once[Sorted] = Once()
        self._short: Once[ShortKeys] = Once()
        self._words: Once[WordTable] = Once()

    def matches(self, query: Query, cancelled: Cancelled = None) -> Collection[int]:
        """Positions of the entries that match query: every group does (any of its terms), no exclusion."""
        if query.alone and not query.excluded:
            return self.term(query.alone, cancelled)
        found: set[int] | None = None
        for group in query.groups:
            either: set[int] = set()
            for term in group:
                either.update(
                    self.term(term, cancelled) if found is None else self._among(term, found, cancelled)
                )
            found = either if found is None else found & either
            if not found:
                return set()
        found = set(range(self.size)) if found is None else found
        for term in query.excluded:
            found.difference_update(
                self.grep(_expression(Term(term.text, "substring")), sorted(found), cancelled)
            )
        return found

    def tiers(
        self, query: Query, matches: Collection[int], cancelled: Cancelled = None
    ) -> list[tuple[float, Collection[int]]]:
        """found split by the most each entry can score, highest first.

        For each word of the query that is one fuzzy or substring term, matching.term_score scores a key
        in bands: a key starting with the term (at most EXACT), a word starting with it (below
        WORD_PREFIX + 1), containing it (at most SUBSTRING), the rest (at most SUBSEQUENCE + 100). Other
        words may score up to EXACT wherever they match. An entry's most is the sum over the words."""
        found = matches if isinstance(matches, set) else set(matches)
        parts = [(0.0, found)]
        for group in query.groups:
            bands = self._bands(group, found, cancelled)
            parts = [
                (most + top, inside)
                for most, lines in parts
                for top, band in bands
                if (inside := lines & band)
            ]
        return sorted(parts, key=lambda part: -part[0])

    def _bands(
        self, group: tuple[Term, ...], found: set[int], cancelled: Cancelled
    ) -> list[tuple[float, set[int]]]:
        if len(group) != 1 or group[0].mode not in BANDED:
            return [(EXACT, found)]
        text = group[0].text
        starting = found.intersection(self.term(Term(text, "prefix"), cancelled))
        left = found - starting
        with_word = self._word_lines(text)
        if with_word is not None and len(with_word) <= WORDS_OVER_GREP * len(left):
            words = left.intersection(with_word)
        elif text[0].isalnum():
            words = set(self.grep(_expression(Term(text, "word")), sorted(left), cancelled))
        else:
            words = set()  # no word starts with it
        left -= words
        if len(text) == 1 or group[0].mode == "substring":
            within = left  # each of them holds the text
        else:
            within = set(self.grep(_expression(Term(text, "substring")), sorted(left), cancelled))
        return [
            (EXACT, starting),
            (WORD_PREFIX + 1, words),
            (SUBSTRING, within),
            (SUBSEQUENCE + 100, left - within),
        ]

    def term(self, term: Term, cancelled: Cancelled = None) -> array[int]:
        """The lines a term matches, in order (the last few terms' are kept)."""
        kept = self._found.get(term)
        if kept is not None:
            return kept
        earlier = self._found.within(term)
        table = self._sorted.made
        starting = table.starting(term.text) if term.mode == "prefix" and table is not None else None
        words = self._word_lines(term.text) if term.mode == "word" else None
        if (
            table is not None and starting is not None
        ):  # the keys starting with it: a range of the sorted keys
            found = sorted(set(table.positions[starting[0] : starting[1]]))
        elif words is not None:  # so are the words starting with it, in the word table
            found = sorted(set(words))
        else:
            found = self.grep(_expression(term), earlier, cancelled)
        if (
            term.mode == "fuzzy"
            and len(term.text) >= 4
            and (typos := self._typos(term.text).difference(found))
        ):
            found = sorted(typos.union(found))
        result = array("i", found)
        self._found.keep(term, result)
        return result

    def _among(self, term: Term, found: set[int], cancelled: Cancelled) -> Iterable[int]:
        """The lines of found that term matches: looked for in found alone, unless the term's lines are
        kept (the first word of a query is looked for everywhere and kept, the others are not)."""
        kept = self._found.get(term)
        if kept is not None:
            return found.intersection(kept)
        inside = self.grep(_expression(term), sorted(found), cancelled)
        if term.mode == "fuzzy" and len(term.text) >= 4:
            return found.intersection(self._typos(term.text)).union(inside)
        return inside

    def grep(
        self, expression: re.Pattern[str], among: Sequence[int] | None = None, cancelled: Cancelled = None
    ) -> list[int]:
        """Positions of the lines expression finds something in, in order (among some positions only, in
        order, if given).

        In pieces: a regular expression holds Python's lock until it has gone through all the lines it
        was given, and the app paints in another thread; between pieces, cancelled() is asked and a
        search that is no longer wanted stops (Superseded)."""
        positions: Sequence[int] = range(self.size) if among is None else among
        lines, found = self.lines, list[int]()
        for start in range(0, len(positions), GREP_PIECE):
            if cancelled is not None and cancelled():
                raise Superseded
            piece = positions[start : start + GREP_PIECE]
            found += compress(piece, map(expression.search, map(lines.__getitem__, piece)))
        return found

    def _typos(self, needle: str) -> set[int]:
        """Lines with a key whose start rapidfuzz scores as a typo of needle (as matching does).

        ratio is 2·common/(len(needle) + len(start)); a start of len(needle) + 3 characters reaches
        TYPO_CUTOFF only with `common` at least 0.75·len(needle) + 1.125, which for a needle of up to
        LONG_KEYS_FROM - 1 characters is the whole needle in order within those characters: a scattered
        match already found. So short needles are compared with the short keys only."""
        from rapidfuzz import fuzz, process

        length = len(needle) + 3
        if len(needle) < LONG_KEYS_FROM:
            owners, keys = self.short_keys().shorter_than(length)
        else:
            table = self.sorted_keys()
            owners, keys = list(table.positions), [key[:length] for key in table.keys]
        hits = process.extract(needle, keys, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=None)
        return {owners[index] for _choice, _score, index in hits}

    def sorted_keys(self) -> Sorted:
        return self._sorted.get(lambda: Sorted.of(self.lines))

    def short_keys(self) -> ShortKeys:
        return self._short.get(self._short_keys)

    def _short_keys(self) -> ShortKeys:
        table = self._sorted.made  # (its keys, when made: else the lines' keys, unsorted)
        if table is not None:
            return ShortKeys.of(table.keys, table.positions, table.sizes)
        keys, positions, _places = every_key(self.lines)
        return ShortKeys.of(keys, positions, array("i", map(len, keys)))

    def prepare(self) -> None:
        """Build the tables that typos and the best prefix matches are looked up in (before they are
        first needed)."""
        self.sorted_keys()
        self.short_keys()

    def prepare_words(self, pause: Callable[[], object] = lambda: None) -> None:
        """Build the word table, which makes a word's lines a lookup instead of a search (the search
        works without it). pause is called between pieces: it may wait, so that a user's keystrokes are
        not kept waiting for Python's lock by this."""
        self._words.get(lambda: WordTable.of(self.lines, pause))

    def best(self, query: Query, wanted: int, cancelled: Cancelled = None) -> list[tuple[float, int]] | None:
        """The best `wanted` matches of a one-term query as (score, -position), best first, when they are
        all in the band of entries with a key starting with the term or in the band of those with a word
        starting with it: any entry outside a band scores lower than every entry in it (see
        matching.term_score). None when neither band holds `wanted` entries.

        The keys starting with the term are a range of the sorted keys, scored by their length and place
        alone (as matching.term_score and _group_best would score them), shortest first. In the word band,
        an entry's score is its label's when only its label has such a word: then it depends on the
        label's length alone, and only the entries with other keys that may score are scored in full.
        None as well until the sorted keys are made (see prepare)."""
        term = query.alone
        if term is None or query.excluded or term.mode not in BANDED:
            return None
        table = self._sorted.made
        if table is None:
            return None  # not made yet (see prepare): the caller's way is quicker than making it now
        starting = table.starting(term.text)
        if starting is None:
            return None
        start, end = starting
        if end - start >= wanted:
            found = self._best_starting(table, term.text, start, end, wanted)
            if found is not None:
                return found
        return self._best_word_starts(query, term.text, (start, end), wanted, cancelled)

    def _word_lines(self, needle: str) -> Sequence[int] | None:
        """The lines with a word starting with needle, in the order of the word table (a line more than
        once if it has more than one such word); None when the table does not hold needle's words or is
        not built yet."""
        table = self._word_table_for(needle)
        return None if table is None else table.lines_starting(needle)

    def _word_table_for(self, needle: str) -> WordTable | None:
        table = self._words.made
        return table if table is not None and WordTable.holds(needle) else None

    def _best_starting(
        self, table: Sorted, needle: str, start: int, end: int, wanted: int
    ) -> list[tuple[float, int]] | None:
        """The best `wanted` entries with a key starting with needle, or None if fewer have one.

        Shorter keys score higher, so the shortest are scored first: when the last of the best `wanted`
        scores higher than any key not yet scored could, those are the best."""
        n, sizes = len(needle), table.sizes
        picked = 4 * wanted
        while True:
            chosen: Iterable[int] = range(start, end)
            bound = 0.0  # the most a key not chosen can score
            if picked < end - start:
                chosen = heapq.nsmallest(picked + 1, chosen, key=sizes.__getitem__)
                size = sizes[chosen.pop()]
                bound = EXACT if size == n else PREFIX + n / size
            best: dict[int, float] = {}
            for i in chosen:
                size, position = sizes[i], table.positions[i]
                score = (EXACT if size == n else PREFIX + n / size) - table.places[i] * 0.01
                if score > best.get(position, -1.0):
                    best[position] = score
            if len(best) >= wanted:
                top = heapq.nlargest(wanted, zip(best.values(), map(operator.neg, best), strict=True))
                if top[-1][0] > bound:
                    return top
            if not bound:
                return None  # every key was scored: fewer entries than wanted
            picked *= 4

    def _best_word_starts(
        self, query: Query, needle: str, keys: tuple[int, int], wanted: int, cancelled: Cancelled
    ) -> list[tuple[float, int]] | None:
        """The best `wanted` entries with a word starting with needle, or None if fewer have one (keys:
        the range of the sorted keys starting with it)."""
        if not needle[0].isalnum():
            return None  # no word starts with it
        starting = set(self.sorted_keys().positions[keys[0] : keys[1]])
        by_label, full = self._word_starts(needle, starting, cancelled)
        if len(by_label) + len(full) < wanted:
            return None
        if len(full) > 4 * wanted:
            return None  # too many to score one by one: the caller scores the band
        lines_of = self.lines
        scored: list[tuple[float, int]] = []
        for p in full:
            score = score_entry(query, lines_of[p].split(SEPARATOR))
            if score is not None:
                scored.append((score, -p))
        n = len(needle)
        scored += [(WORD_PREFIX + n / size, -p) for size, p in heapq.nsmallest(wanted, by_label)]
        return heapq.nlargest(wanted, scored)

    def _word_starts(
        self, needle: str, starting: set[int], cancelled: Cancelled
    ) -> tuple[list[tuple[int, int]], Collection[int]]:
        """The lines with a word starting with needle, in two parts: (label size, line) for those where
        only the label has such a word, which alone decides their score, and the lines to score in full
        (those with a key starting with it, `starting`, and those with such a word in another key)."""
        table = self._word_table_for(needle)
        if table is not None:
            full = starting.union(table.others.starting(needle))
            decided = set(table.labels.starting(needle)).difference(full)
            return list(zip(map(table.label_sizes.__getitem__, decided), decided, strict=True)), full
        rest = list(filterfalse(starting.__contains__, self.term(Term(needle, "word"), cancelled)))
        lines = list(map(self.lines.__getitem__, rest))
        # the label's length: where the separator is, or the line's length when it has one key
        label_sizes = list(
            map(
                operator.mod,
                map(str.find, lines, repeat(SEPARATOR)),
                map(operator.add, map(len, lines), repeat(1)),
            )
        )
        # no word starting with it after the label: it is in the label
        by_label = list(map(operator.not_, map(_expression(Term(needle, "word")).search, lines, label_sizes)))
        everything = list(compress(rest, map(operator.not_, by_label))) + sorted(starting)
        return list(compress(zip(label_sizes, rest, strict=True), by_label)), everything


def _words(lines_of: dict[str, array[int]]) -> Words:
    words = sorted(lines_of)
    starts, lines = array("i", [0]), array("i")
    for word in words:
        lines += lines_of[word]
        starts.append(len(lines))
    return Words(words, starts, lines)


def prefix_range(ordered: list[str], needle: str) -> tuple[int, int] | None:
    """Where the strings starting with needle are in ordered (None if no string can follow needle's last
    character)."""
    if not needle or needle[-1] == chr(0x10FFFF):
        return None
    start = bisect_left(ordered, needle)
    return start, bisect_left(ordered, needle[:-1] + chr(ord(needle[-1]) + 1), start)
