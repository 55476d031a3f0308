"""The command palette: jump to any entry, open any link (providers), and the explorer's own commands."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.message import Message

from hlexplore.app import messages
from hlexplore.app.links import entry_url
from hlexplore.app.navigation import Navigator
from hlexplore.app.screens.main import PANES
from hlexplore.app.targets import Target
from hlexplore.app.widgets.rows import text, with_matches
from hlexplore.catalog.models import Entry
from hlexplore.index.catalog_index import Resolution
from hlexplore.index.matching import EXACT
from hlexplore.text import clean

KIND_NAMES = {"company": "company", "technology": "technology", "reference": "reference"}
SHOWN = 25


def _score(score: float) -> float:
    return max(0.01, min(1.0, score / (EXACT + 100)))


class _CatalogProvider(Provider):
    @property
    def explorer(self) -> messages.Explorer:
        return messages.explorer(self.app)

    def _open(self, entry: Entry, archived: bool = False) -> None:
        self.app.post_message(messages.OpenEntry(entry, archived=archived))

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
                partial(self._open, entry),
                text=f"Open {index.label(entry)}",
                help=escape(clean(url)),
            )
            yield Hit(
                score * 0.9,
                Content.assemble(text("Open archived copy of "), label),
                partial(self._open, entry, archived=True),
                text=f"Open archived copy of {index.label(entry)}",
                help="the Wayback Machine's copies",
            )


def system_commands(navigator: Navigator) -> Iterator[SystemCommand]:
    """The explorer's own commands, beside Textual's (whose "Keys" ours replaces: one entry lists every
    key). Each asks the app by a message, or acts on the explorer's screen once it is in front."""
    app, main = navigator.app, navigator.main

    def post(message: Message) -> Callable[[], object]:
        return partial(app.post_message, message)

    def in_front(action: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            navigator.to_main()
            action()

        return run

    for kind, title in PANES:
        yield SystemCommand(
            f"Show {title}", f"Switch to the {title} pane", in_front(partial(main.action_pane, kind))
        )
    yield SystemCommand("Keys", "Every key, where it works, and its keymap id", post(messages.ShowHelp()))
    yield SystemCommand(
        "Bookmarks",
        "Everything you bookmarked (b bookmarks the highlighted entry)",
        post(messages.ShowBookmarks()),
    )
    yield SystemCommand(
        "Bookmark", "Bookmark the highlighted entry, or remove its bookmark", main.action_bookmark
    )
    yield SystemCommand(
        "Note…", "Write a note on the highlighted entry (shown in its details, searchable)", main.action_note
    )
    yield SystemCommand(
        "Compare…",
        "Compare the marked companies, or the highlighted company with one you pick",
        in_front(main.action_compare),
    )
    yield SystemCommand(
        "Insight",
        "The catalog at a glance: most used, stacks by category, used together, time, health (i)",
        post(messages.ShowInsight()),
    )
    yield SystemCommand(
        "Check links",
        "Check every link of the catalog now (uses the network; escape cancels)",
        post(messages.CheckLinks()),
    )
    yield SystemCommand("Back", "Go back to the previous entry", main.action_back)
    yield SystemCommand("Forward", "Go forward again", main.action_forward)
    yield SystemCommand("Open link", "Open the highlighted entry's link in the browser", main.action_open)
    yield SystemCommand(
        "Open archived copy",
        "Open the Wayback Machine's copies of the highlighted entry's link",
        partial(main.action_open, archived=True),
    )
    yield SystemCommand("Copy link", "Copy the highlighted entry's link to the clipboard", main.action_copy)
