"""Query matching: fzf's operators, ranked so exact and prefix matches beat scattered ones.

A query is words separated by spaces; every word must match (AND). A word may be alternatives
joined by `|`, or by a lone `|` between words as fzf writes it (OR). Operators, as in fzf: `'word`
substring only, `^word` prefix, `word$` suffix, `!word` must not contain. Matching ignores case and accents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from hlexplore.text import fold, fold_with_map

# "word" (a key has a word starting with the text) is the prefilter's, not a query's
Mode = Literal["fuzzy", "substring", "prefix", "suffix", "equal", "word"]

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

    @property
    def alone(self) -> Term | None:
        """The query's only term, when it has one (exclusions aside)."""
        return self.groups[0][0] if len(self.groups) == 1 and len(self.groups[0]) == 1 else None


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
def _words(text: str) -> list[str]:
    """The query's words, with a lone `|` joining the words on either side into one (`a | b` is `a|b`);
    a `|` with no word on one side joins nothing."""
    words: list[str] = []
    joining = False
    for word in text.split():
        if word == "|":
            joining = bool(words)
        elif joining:
            words[-1] += "|" + word
            joining = False
        else:
            words.append(word)
    return words


def parse_query(text: str) -> Query:
    """fzf's syntax: spaces separate terms, all required; `a | b` (or `a|b`) is one term either of whose
    parts will do; `'exact`, `^prefix`, `suffix$` and `!not` (a `!not` inside an either-or is left out)."""
    text = text[:MAX_QUERY]
    groups: list[tuple[Term, ...]] = []
    excluded: list[Term] = []
    for word in _words(text):
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


# Keys of one entry are joined by this in the search lines (index/prefilter.py), so no key may hold it;
# str.split() treats it as whitespace, so no query term does either.
SEPARATOR = "\x1f"
# A scattered match: the term's characters in order within one key, at most GAP others between two.
GAP = 5


@lru_cache(maxsize=256)
def scattered(needle: str) -> re.Pattern[str]:
    """The term's characters in order within one key, each at most GAP characters after the last."""
    return re.compile(f"[^{SEPARATOR}]{{0,{GAP}}}?".join(re.escape(c) for c in needle))


def _scattered_positions(needle: str, hay: str) -> list[int] | None:
    """Where a scattered match is, tightened from its end (fzf does the same), or None."""
    found = scattered(needle).search(hay)
    if found is None:
        return None
    tight, index = [], found.end() - 1
    for char in reversed(needle):
        index = hay.rfind(char, 0, index + 1)
        tight.append(index)
        index -= 1
    return tight[::-1]


def term_score(term: Term, hay: str) -> float | None:
    """Score one folded term against one folded key; None when it does not match."""
    needle, n = term.text, len(term.text)
    if term.mode == "equal":
        return EXACT if hay == needle else None
    if term.mode == "prefix":
        return PREFIX + n / max(len(hay), 1) if hay.startswith(needle) else None
    if term.mode == "suffix":
        return SUBSTRING if hay.endswith(needle) else None
    if hay == needle:
        return EXACT
    if hay.startswith(needle):
        return PREFIX + n / len(hay)
    at = hay.find(needle)
    if at >= 0:
        if _word_start(hay, needle, at) >= 0:
            return WORD_PREFIX + n / len(hay)
        return SUBSTRING - at / len(hay)
    if term.mode == "substring":
        return None
    positions = _scattered_positions(needle, hay)
    if positions is not None:
        return SUBSEQUENCE + 100 * n / (positions[-1] - positions[0] + 1) - positions[0] / len(hay)
    if n >= 4 and (ratio := typo_ratio(needle, hay)) >= TYPO_CUTOFF:
        return TYPO + ratio
    return None


def typo_ratio(needle: str, hay: str) -> float:
    """How alike needle and the start of hay are (0-100): a typo when at least TYPO_CUTOFF."""
    return _ratio()(needle, hay[: len(needle) + 3])


@lru_cache(maxsize=1)
def _ratio() -> Callable[[str, str], float]:
    from rapidfuzz import fuzz  # imported on the first typo, not at start-up

    return fuzz.ratio


def _positions(term: Term, hay: str, score: float) -> tuple[int, ...]:
    """Where a term that scored `score` on hay matched (for highlighting)."""
    n = len(term.text)
    if score >= PREFIX or term.mode == "equal":
        return tuple(range(n))
    if term.mode == "suffix":
        return tuple(range(len(hay) - n, len(hay)))
    if score > SUBSTRING:  # at the start of a word
        at = _word_start(hay, term.text, hay.find(term.text))
        return tuple(range(at, at + n))
    if score > SUBSTRING - 1:
        at = hay.find(term.text)
        return tuple(range(at, at + n))
    if score > TYPO + 100:
        return tuple(_scattered_positions(term.text, hay) or ())
    return ()


def match_term(term: Term, hay: str) -> Hit | None:
    """Score one folded term against one folded key, with the matched positions."""
    score = term_score(term, hay)
    return None if score is None else Hit(score, _positions(term, hay, score))


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
        return cls(text, folded.replace(SEPARATOR, " "), None if index is None else tuple(index))

    def source(self, position: int) -> int:
        return position if self.index_map is None else self.index_map[position]


def _best(query: Query, keys: Sequence[str]) -> tuple[float, list[tuple[int, Term, float]]] | None:
    """An entry's score over its folded keys, and for each group the key and term that scored best."""
    for term in query.excluded:
        if any(term.text in key for key in keys):
            return None
    total, chosen = 0.0, []
    for group in query.groups:
        best = _group_best(group, keys)
        if best is None:
            return None
        total += best[0]
        chosen.append(best[1:])
    return (total if query.groups else 1.0), chosen


def _group_best(group: tuple[Term, ...], keys: Sequence[str]) -> tuple[float, int, Term, float] | None:
    """A group's best (weighted score, key index, term, score) over the keys, or None."""
    best: tuple[float, int, Term, float] | None = None
    for term in group:
        for k, key in enumerate(keys):
            score = term_score(term, key)
            # a match on the shown label is worth a little more than one on an alias
            if score is not None and (best is None or score - k * 0.01 > best[0]):
                best = (score - k * 0.01, k, term, score)
    return best


def score_entry(query: Query, keys: Sequence[str]) -> float | None:
    """An entry's score over its folded keys (label first), without positions: what ranking needs."""
    if not query.excluded and len(query.groups) == 1:  # one word, as while typing: no sum to keep
        alone = _group_best(query.groups[0], keys)
        return None if alone is None else alone[0]
    best = _best(query, keys)
    return None if best is None else best[0]


def match_entry(query: Query, keys: tuple[Matchable, ...]) -> Hit | None:
    """Score an entry by its keys; positions refer to the first key (the label) when it matched there."""
    best = _best(query, [key.folded for key in keys])
    if best is None:
        return None
    total, chosen = best
    label = keys[0]
    positions: set[int] = set()
    for group, (k, term, score) in zip(query.groups, chosen, strict=True):
        shown = _positions(term, label.folded, score) if k == 0 else _on_label(group, label)
        positions.update(label.source(p) for p in shown)
    return Hit(total, tuple(sorted(positions)))


def _on_label(group: tuple[Term, ...], label: Matchable) -> tuple[int, ...]:
    """Where a group matched on the label, for highlighting, when an alias scored higher."""
    hits = [h for h in (match_term(term, label.folded) for term in group) if h is not None]
    return max(hits, key=lambda h: h.score).positions if hits else ()
