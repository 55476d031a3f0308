"""Catalog problems: each names the file and the place, and all of a file's problems travel together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    where: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        location = self.path
        if self.line is not None:
            location += f":{self.line}"
            if self.column is not None:
                location += f":{self.column}"
        parts = [location, self.where, self.message] if self.where else [location, self.message]
        return ": ".join(parts)


class CatalogError(Exception):
    """A catalog that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    def summary(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        paths = sorted({problem.path for problem in self.problems})
        return f"{count} {noun} in {', '.join(paths)}"


def suggest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The closest valid names to word, best first; of names as close, the first in sorted order (the
    same answer whatever order choices come in: often a set, in the hash seed's order)."""
    from rapidfuzz import process  # only when something is wrong: not on the way to the first frame

    found = process.extract(word, list(choices), limit=None, score_cutoff=60)
    ranked = sorted(found, key=lambda hit: (-hit[1], hit[0]))
    return [choice for choice, _score, _index in ranked[:limit]]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = suggest(word, choices, limit=1)
    return f' (did you mean "{close[0]}"?)' if close else ""
