"""A pane listing one kind of entry, with its own live filter."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from hlexplore.app.targets import Target
from hlexplore.app.widgets.rows import entry_row
from hlexplore.catalog.models import Kind
from hlexplore.index import CatalogIndex
from hlexplore.index.catalog_index import SearchResult

SHOWN = 500  # rows put in the list at most; the count says how many matched
# Up to this many entries, filtering takes well under a millisecond: it runs in the key's own handler, so
# the list changes in the same frame as the filter text. Larger panes filter in a worker instead.
FILTER_INLINE_UP_TO = 5000


class EntryList(OptionList):
    """The list part of a pane; typing a letter that is not a key of the explorer starts filtering.

    Its keys (j, k, g, G, ...) are the screen's: see MainScreen.
    """

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isalnum() and event.key not in self.app.active_bindings:
            event.stop()
            self.parent.start_filter(event.character)  # type: ignore[union-attr]


class FilterInput(Input):
    """A pane's filter. Escape, up and down are the screen's: see MainScreen."""


class EntryPane(Vertical):
    """Shows index.filter(kind, query) for the query typed in its filter."""

    @dataclass
    class Highlighted(Message):
        pane: EntryPane
        target: Target | None

    @dataclass
    class Chosen(Message):
        pane: EntryPane
        target: Target

    def __init__(self, index: CatalogIndex, kind: Kind, title: str, *, id: str) -> None:
        super().__init__(id=id)
        self.index = index
        self.kind = kind
        self.total = len(index.entries(kind))
        self.shown_query: str | None = None
        self._matched = ""
        self.border_title = title
        self._pending_select: str | None = None
        self.markable = kind == "company"
        self.marked: list[str] = []  # in the order they were marked
        self._positions: dict[str, tuple[int, ...]] = {}

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="/ filter", id=f"{self.kind}-filter", compact=True, select_on_focus=False
        )
        # Filled here, before the first layout, so the first frame needs no second pass.
        results = self.index.filter(self.kind, "")
        self.shown_query = ""
        self.border_subtitle = self._count(results)
        yield EntryList(*self._options(results), id=f"{self.kind}-list")

    def on_mount(self) -> None:
        self.query_one(FilterInput).cursor_blink = not self.app.is_headless

    @property
    def query_text(self) -> str:
        return self.query_one(FilterInput).value

    @property
    def highlighted(self) -> Target | None:
        entries = self.query_one(EntryList)
        if entries.highlighted is None:
            return None
        return Target.from_option_id(entries.get_option_at_index(entries.highlighted).id)

    def action_focus_filter(self) -> None:
        self.screen.set_focus(self.query_one(FilterInput))

    def start_filter(self, character: str) -> None:
        field = self.query_one(FilterInput)
        self.screen.set_focus(field)
        field.insert_text_at_cursor(character)

    def clear_filter(self) -> bool:
        field = self.query_one(FilterInput)
        had_text = bool(field.value)
        field.value = ""
        return had_text

    def select(self, entry_id: str) -> None:
        """Highlight an entry, clearing the filter if it hides the entry."""
        entries = self.query_one(EntryList)
        try:
            entries.highlighted = entries.get_option_index(Target(self.kind, entry_id).option_id())
        except OptionDoesNotExist:
            if self.query_text:
                self._pending_select = entry_id
                self.query_one(FilterInput).value = ""

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.total <= FILTER_INLINE_UP_TO:
            self._show(event.value, self.index.filter(self.kind, event.value))
        else:
            self._run_filter(event.value)

    @work(thread=True, exclusive=True, group="filter")
    def _run_filter(self, query: str) -> None:
        results = self.index.filter(self.kind, query)
        self.app.call_from_thread(self._show, query, results)

    def _show(self, query: str, results: list[SearchResult]) -> None:
        if query != self.query_text and self.shown_query is not None:
            return  # a newer keystroke is on its way
        self.shown_query = query
        entries = self.query_one(EntryList)
        if not query and self._pending_select is None and self.highlighted:
            # A cleared filter keeps the entry the user had reached, in the full list.
            self._pending_select = self.highlighted.id
        entries.clear_options()
        entries.add_options(self._options(results))
        self.border_subtitle = self._count(results)
        pending, self._pending_select = self._pending_select, None
        if results:
            entries.highlighted = 0
            if pending:
                self.select(pending)
        self.post_message(self.Highlighted(self, self.highlighted))

    def _options(self, results: list[SearchResult]) -> list[Option]:
        shown = results[:SHOWN]
        self._positions = {r.entry.id: r.positions for r in shown}
        return [Option(self._row(r.entry.id), id=Target(self.kind, r.entry.id).option_id()) for r in shown]

    def _row(self, entry_id: str) -> Content:
        entry = self.index.get(self.kind, entry_id)
        assert entry is not None
        marked = (entry_id in self.marked) if self.markable else None
        return entry_row(self.index, entry, self._positions.get(entry_id, ()), marked)

    def _count(self, results: list[SearchResult]) -> str:
        more = f" (first {SHOWN})" if len(results) > SHOWN else ""
        self._matched = f"{len(results)}/{self.total}{more}"
        return self._matched + self._marks_note()

    def _marks_note(self) -> str:
        return f" · {len(self.marked)} marked" if self.marked else ""

    # -- marks ---------------------------------------------------------------------------------------

    def toggle_mark(self, entry_id: str) -> bool:
        """Mark or unmark an entry; True if it is marked now."""
        if entry_id in self.marked:
            self.marked.remove(entry_id)
        else:
            self.marked.append(entry_id)
        self._redraw_row(entry_id)
        return entry_id in self.marked

    def clear_marks(self) -> bool:
        had, self.marked = self.marked, []
        for entry_id in had:
            self._redraw_row(entry_id)
        return bool(had)

    def _redraw_row(self, entry_id: str) -> None:
        entries = self.query_one(EntryList)
        with suppress(OptionDoesNotExist):  # filtered out: drawn marked when it shows again
            entries.replace_option_prompt(Target(self.kind, entry_id).option_id(), self._row(entry_id))
        self.border_subtitle = self._matched + self._marks_note()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self, Target.from_option_id(event.option.id)))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = Target.from_option_id(event.option.id)
        if target:
            self.post_message(self.Chosen(self, target))
