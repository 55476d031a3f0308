"""Query matching: fzf's operators, ranked so exact and prefix matches beat scattered ones.

A query is words separated by spaces; every word must match (AND). A word may be alternatives
joined by `|` (OR). Operators, as in fzf: `'word` substring only, `^word` prefix, `word$` suffix,
`!word` must not contain. Matching ignores case and accents.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from hlexplore.text import fold, fold_with_map

Mode = Literal["fuzzy", "substring", "prefix", "suffix", "equal"]

# Score bands: any match in a higher band outranks every match in a lower one.
EXACT, PREFIX, WORD_PREFIX, SUBSTRING, SUBSEQUENCE, TYPO = 1000, 900, 800, 700, 400, 200
TYPO_CUTOFF = 75
MAX_QUERY = 256


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    mode: Mode = "fuzzy"
    negate: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: groups are ANDed, the terms inside a group are ORed."""

    text: str
    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded

    def extends(self, other: Query) -> bool:
        """True when every match of self is also a match of other (so other's results can be narrowed)."""
        return not other.excluded and self.text.startswith(other.text) and "|" not in self.text


def _term(word: str) -> Term | None:
    negate = word.startswith("!")
    if negate:
        word = word[1:]
    mode: Mode = "substring" if negate else "fuzzy"
    if word.startswith("'"):
        word, mode = word[1:], "substring"
    if word.startswith("^"):
        word, mode = word[1:], "prefix"
    if word.endswith("$") and len(word) > 1:
        word, mode = word[:-1], ("equal" if mode == "prefix" else "suffix")
    folded = fold(word)
    return Term(folded, mode, negate) if folded else None


@lru_cache(maxsize=512)
def parse_query(text: str) -> Query:
    text = text[:MAX_QUERY]
    groups: list[tuple[Term, ...]] = []
    excluded: list[Term] = []
    for word in text.split():
        terms = [t for t in (_term(part) for part in word.split("|")) if t is not None]
        if not terms:
            continue
        if len(terms) == 1 and terms[0].negate:
            excluded.append(terms[0])
        else:
            groups.append(tuple(t for t in terms if not t.negate))
    return Query(text, tuple(g for g in groups if g), tuple(excluded))


@dataclass(frozen=True, slots=True)
class Hit:
    score: float
    positions: tuple[int, ...]


def _subsequence(needle: str, hay: str) -> list[int] | None:
    """Positions of needle's characters in hay, preferring a tight run that ends late and starts late."""
    positions, start = [], 0
    for char in needle:
        found = hay.find(char, start)
        if found < 0:
            return None
        positions.append(found)
        start = found + 1
    # Walk back from the end to tighten the match (fzf does the same).
    end = positions[-1]
    tight, index = [], end
    for char in reversed(needle):
        index = hay.rfind(char, 0, index + 1)
        tight.append(index)
        index -= 1
    return sorted(tight)


def match_term(term: Term, hay: str) -> Hit | None:
    """Score one folded term against one folded text."""
    needle, n = term.text, len(term.text)
    if term.mode == "equal":
        return Hit(EXACT, tuple(range(n))) if hay == needle else None
    if term.mode == "prefix":
        return Hit(PREFIX + n / max(len(hay), 1), tuple(range(n))) if hay.startswith(needle) else None
    if term.mode == "suffix":
        if not hay.endswith(needle):
            return None
        return Hit(SUBSTRING, tuple(range(len(hay) - n, len(hay))))
    if hay == needle:
        return Hit(EXACT, tuple(range(n)))
    if hay.startswith(needle):
        return Hit(PREFIX + n / len(hay), tuple(range(n)))
    at = hay.find(needle)
    if at >= 0:
        word_start = _word_start(hay, needle, at)
        if word_start >= 0:
            return Hit(WORD_PREFIX + n / len(hay), tuple(range(word_start, word_start + n)))
        return Hit(SUBSTRING - at / len(hay), tuple(range(at, at + n)))
    if term.mode == "substring":
        return None
    positions = _subsequence(needle, hay)
    if positions is not None and positions[-1] - positions[0] < max(2 * n, n + 6):
        spread = positions[-1] - positions[0] + 1
        return Hit(SUBSEQUENCE + 100 * n / spread - positions[0] / len(hay), tuple(positions))
    if n >= 4:
        from rapidfuzz import fuzz  # imported on the first typo, not at start-up (sys.modules after that)

        ratio = fuzz.ratio(needle, hay[: n + 3])
        if ratio >= TYPO_CUTOFF:
            return Hit(TYPO + ratio, ())
    return None


def _word_start(hay: str, needle: str, at: int) -> int:
    """The first place after the start where needle begins a word (after a non-alphanumeric), or -1.

    Only the needle's occurrences are looked at (from `at`, the first), not every character of hay."""
    while at >= 0:
        if at > 0 and not hay[at - 1].isalnum() and hay[at].isalnum():
            return at
        at = hay.find(needle, at + 1)
    return -1


@dataclass(frozen=True, slots=True)
class Matchable:
    """A text an entry can be found by, folded once; the first is the one shown."""

    text: str
    folded: str
    index_map: tuple[int, ...] | None  # folded position -> text position; None: the same

    @classmethod
    def of(cls, text: str) -> Matchable:
        folded, index = fold_with_map(text)
        return cls(text, folded, None if index is None else tuple(index))

    def source(self, position: int) -> int:
        return position if self.index_map is None else self.index_map[position]


def match_entry(query: Query, keys: tuple[Matchable, ...]) -> Hit | None:
    """Score an entry by its keys; positions refer to the first key (the label) when it matched there."""
    for term in query.excluded:
        if any(term.text in key.folded for key in keys):
            return None
    total, label_positions = 0.0, set()
    for group in query.groups:
        best: tuple[float, int, Hit] | None = None
        for term in group:
            for k, key in enumerate(keys):
                hit = match_term(term, key.folded)
                # a match on the shown label is worth a little more than one on an alias
                if hit and (best is None or hit.score - k * 0.01 > best[0]):
                    best = (hit.score - k * 0.01, k, hit)
        if best is None:
            return None
        total += best[0]
        shown = best[2] if best[1] == 0 else _on_label(group, keys[0])
        if shown is not None:
            label_positions.update(keys[0].source(p) for p in shown.positions)
    if not query.groups:
        total = 1.0
    return Hit(total, tuple(sorted(label_positions)))


def _on_label(group: tuple[Term, ...], label: Matchable) -> Hit | None:
    """Where a group matched on the label, for highlighting, when an alias scored higher."""
    hits = [h for h in (match_term(term, label.folded) for term in group) if h is not None]
    return max(hits, key=lambda h: h.score) if hits else None
