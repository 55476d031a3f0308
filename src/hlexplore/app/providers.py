"""Command palette providers: jump to any entry, open any link."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from hlexplore.app.links import entry_url
from hlexplore.app.targets import Target
from hlexplore.app.widgets.rows import text, with_matches
from hlexplore.catalog.models import Entry
from hlexplore.index.catalog_index import Resolution
from hlexplore.index.matching import EXACT
from hlexplore.text import clean

if TYPE_CHECKING:
    from hlexplore.app.app import HLExploreApp

KIND_NAMES = {"company": "company", "technology": "technology", "reference": "reference"}
SHOWN = 25


def _score(score: float) -> float:
    return max(0.01, min(1.0, score / (EXACT + 100)))


class _CatalogProvider(Provider):
    @property
    def explorer(self) -> HLExploreApp:
        return self.app  # type: ignore[return-value]

    def _label(self, entry: Entry, positions: tuple[int, ...] = ()) -> Content:
        index = self.explorer.index
        return Content.assemble(
            with_matches(index.label(entry), positions),
            text(f"  {KIND_NAMES[entry.kind]}", "$foreground-muted"),
        )


class EntryCommands(_CatalogProvider):
    """Jump to a company, technology or reference by (fuzzy) name."""

    async def discover(self) -> Hits:
        index = self.explorer.index
        for result in index.filter("company", ""):
            entry = result.entry
            yield DiscoveryHit(
                self._label(entry),
                partial(self.explorer.visit, Target(entry.kind, entry.id)),
                text=index.label(entry),
                help="go to this company",
            )

    async def search(self, query: str) -> Hits:
        """The entry the command line would answer for (hlexplore show QUERY: an exact name, id or alias,
        a unique prefix, a clear near miss) first, then the filter's matches."""
        index = self.explorer.index
        meant = await asyncio.to_thread(index.resolve, query)  # a miss in a large catalog takes a while
        if meant.entry is not None and not meant.exact and link_query(query) != query:
            meant = Resolution("missing")  # "open redis" is the link command's, unless a name says so
        if meant.entry is not None:
            entry = meant.entry
            why = f"closest name to \u201c{clean(query.strip())}\u201d" if meant.guessed else "this name"
            yield Hit(
                1.0,
                self._label(entry),
                partial(self.explorer.visit, Target(entry.kind, entry.id)),
                text=index.label(entry),
                help=escape(f"go to this {entry.kind} ({why})"),
            )
        for result in index.search(query, limit=SHOWN):
            entry = result.entry
            if entry is meant.entry:
                continue
            yield Hit(
                _score(result.score),
                self._label(entry, result.positions),
                partial(self.explorer.visit, Target(entry.kind, entry.id)),
                text=index.label(entry),
                help=f"go to this {entry.kind}",
            )


def link_query(query: str) -> str:
    """What to look for in "open redis": the command's own words are not part of the name."""
    first, _, rest = query.strip().partition(" ")
    if rest and len(first) >= 2 and ("open".startswith(first.casefold()) or first.casefold() == "archived"):
        return rest
    return query


class LinkCommands(_CatalogProvider):
    """Open the link of any entry, or its archived copy."""

    async def search(self, query: str) -> Hits:
        index = self.explorer.index
        for result in index.search(link_query(query), limit=SHOWN):
            entry = result.entry
            url = entry_url(entry)
            if not url:
                continue
            label = self._label(entry, result.positions)
            score = _score(result.score) * 0.9  # below "go to" for the same entry
            yield Hit(
                score,
                Content.assemble(text("Open "), label),
                partial(self.explorer.open_entry, entry),
                text=f"Open {index.label(entry)}",
                help=escape(clean(url)),
            )
            yield Hit(
                score * 0.9,
                Content.assemble(text("Open archived copy of "), label),
                partial(self.explorer.open_entry, entry, archived=True),
                text=f"Open archived copy of {index.label(entry)}",
                help="the Wayback Machine's copies",
            )
