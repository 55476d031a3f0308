"""Display text for entries. Catalog strings become Content as plain text: never markup, never escapes."""

from __future__ import annotations

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

    marked is None where entries cannot be marked; otherwise the row starts with a one-column gutter.
    """
    row = _entry_row(index, entry, positions)
    if marked is None:
        return row
    return Content.assemble(text(MARK, "bold $text-accent") if marked else text(" "), row)


def _entry_row(index: CatalogIndex, entry: Entry, positions: tuple[int, ...]) -> Content:
    label = with_matches(index.label(entry), positions)
    if isinstance(entry, Technology):
        count = index.usage_count(entry.id)
        return Content.assemble(text(f"{count:>2} " if count else " · ", "$foreground-muted"), label)
    if isinstance(entry, Company):
        size = f"{len(entry.stack):>2} " if entry.stack else " · "
        return Content.assemble(text(size, "$foreground-muted"), label)
    return Content.assemble(label, text(f"  {reference_hint(index, entry)}", "$foreground-muted"))


def reference_hint(index: CatalogIndex, ref: Reference) -> str:
    owner = index.owner(ref)
    year = f" {ref.year}" if ref.year else ""
    return f"{ref.ref_kind}{year} · {owner.name if owner else ref.owner}"
