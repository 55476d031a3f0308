"""Display text for entries. Catalog strings become Content as plain text: never markup, never escapes."""

from __future__ import annotations

from functools import lru_cache

from textual.content import Content

from hlexplore.catalog.models import Company, Entry, Reference, Technology
from hlexplore.index import CatalogIndex
from hlexplore.text import clean

MATCH_STYLE = "bold underline $text-accent"


def text(value: str, style: str = "") -> Content:
    content = Content(clean(value))
    return content.stylize(style) if style else content


def with_matches(value: str, positions: tuple[int, ...], highlight: bool = True) -> Content:
    content = text(value)
    if highlight:
        for position in positions:
            content = content.stylize(MATCH_STYLE, position, position + 1)
    return content


MARK = "●"


def entry_row(
    index: CatalogIndex, entry: Entry, positions: tuple[int, ...] = (), marked: bool | None = None
) -> Content:
    """One line in a pane: what the entry is called, matched characters marked, and a hint.

    Every row starts with a one-column gutter, so rows stand off the pane's border and line up with its
    filter: the mark when the entry is marked (marked is None where entries cannot be marked), else blank.
    """
    gutter = text(MARK, "bold $text-accent") if marked else text(" ")
    return Content.assemble(gutter, _entry_row(index, entry, positions))


def _entry_row(index: CatalogIndex, entry: Entry, positions: tuple[int, ...]) -> Content:
    label = with_matches(index.label(entry), positions)
    if isinstance(entry, Technology):
        return Content.assemble(_count(index.usage_count(entry.id), _widths(index)[0]), label)
    if isinstance(entry, Company):
        return Content.assemble(_count(len(entry.stack), _widths(index)[1]), label)
    return Content.assemble(label, text(f"  {reference_hint(index, entry)}", "$foreground-muted"))


def _count(count: int, width: int) -> Content:
    return text(f"{count:>{width}} " if count else f"{'·':>{width}} ", "$foreground-muted")


@lru_cache(maxsize=4)
def _widths(index: CatalogIndex) -> tuple[int, int]:
    """Columns for the counts of a catalog's technologies (users) and companies (stack sizes), so names
    line up: two at least, more in a catalog where a technology has 10,000 users."""
    most_used = max((index.usage_count(t.id) for t in index.technologies.values()), default=0)
    largest_stack = max(map(len, (c.stack for c in index.companies.values())), default=0)
    return max(2, len(str(most_used))), max(2, len(str(largest_stack)))


def reference_hint(index: CatalogIndex, ref: Reference) -> str:
    owner = index.owner(ref)
    year = f" {ref.year}" if ref.year else ""
    return f"{ref.ref_kind}{year} · {owner.name if owner else ref.owner}"
