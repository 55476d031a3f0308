"""Catalog problems: each names the file and the place, and all of a file's problems travel together."""

from __future__ import annotations

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
