"""A pane listing one kind of entry, with its own live filter."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.events import Event, Key
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist
from textual.worker import get_current_worker

from hlexplore.app.targets import Target
from hlexplore.app.widgets.rows import entry_row, text
from hlexplore.catalog.models import Kind
from hlexplore.index import CatalogIndex
from hlexplore.index.catalog_index import Filtered, SearchResult

# Rows put in the list at a time: drawing a row costs about 0.05 ms, so a keystroke that put 500 in place
# spent 25 ms on rows nobody sees yet. More come as the cursor or the scroll nears the end of the list.
PAGE = 100
# Up to this many entries, filtering takes well under a millisecond: it runs in the key's own handler, so
# the list changes in the same frame as the filter text. Larger panes filter in a worker instead.
FILTER_INLINE_UP_TO = 5000
MUTED = "$foreground-muted"


class EntryList(OptionList):
    """The list part of a pane: on a list every key is a command (j, k, g, G, ...: the screen's, see
    MainScreen) and / opens the pane's filter; a key that is no command here says so (see MainScreen).

    A long list holds a window of its rows (see EntryPane): moving past either end of the window, or
    paging, brings the rows wanted first, so the cursor goes where the key says."""

    @property
    def pane(self) -> EntryPane:
        return cast("EntryPane", self.parent)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value > old_value and new_value >= self.max_scroll_y - self.size.height:  # the last screenful
            self.pane.near_the_end()
        elif new_value < old_value and new_value <= self.size.height:
            self.pane.near_the_start()

    def action_cursor_up(self) -> None:
        if self.highlighted == 0 and self.pane.near_the_start(then_up=True):
            return
        super().action_cursor_up()

    def action_cursor_down(self) -> None:
        if self.highlighted is not None and self.highlighted >= self.option_count - 1 and self.pane.more:
            self.pane.reach(self.pane.start + self.highlighted + 1)  # the next row, not a wrap to the first
            return
        super().action_cursor_down()

    def jump(self, last: bool) -> None:
        """To the first row, or the last of all the matches (not only of those in the list so far)."""
        self.pane.reach(None if last else 0)

    def action_page_down(self) -> None:
        if self.highlighted is not None:
            wanted = self.highlighted + max(1, self.scrollable_content_region.height)
            if wanted >= self.option_count and self.pane.more:
                self.pane.reach(self.pane.start + wanted)
                return
        super().action_page_down()  # type: ignore[no-untyped-call]  # (Textual's, unannotated)

    def action_page_up(self) -> None:
        if self.highlighted is not None:
            wanted = self.highlighted - max(1, self.scrollable_content_region.height)
            if wanted < 0 and self.pane.start > 0:
                self.pane.reach(self.pane.start + wanted)
                return
        super().action_page_up()  # type: ignore[no-untyped-call]


class SyncInput(Input):
    """An Input whose typed characters and backspace change the text the moment the app reads the key.

    Screens act on enter, escape, up and down with priority bindings, which run as soon as the app reads
    those keys, while an Input normally handles the keys before them later, from its own queue. So
    "redis<enter>" typed at machine speed (a paste, tmux, a macro) would find "r" in the filter, not "redis".
    """

    def _forward_event(self, event: Event) -> None:
        if isinstance(event, Key) and not event.is_forwarded:
            if event.is_printable and event.character is not None:
                selection = self.selection
                if selection.is_empty:
                    self.insert_text_at_cursor(event.character)
                else:
                    self.replace(event.character, *selection)
                return
            if event.key == "backspace":
                self.action_delete_left()
                return
        super()._forward_event(event)


class FilterFirst:
    """Mixed into a dialog whose filter takes every printable key (a picker, a list of entries): a key
    typed while its list has focus (after a click or tab) goes to the filter too, as in fzf."""

    def on_key(self, event: Key) -> None:
        dialog = cast("Screen[Any]", self)  # by the classes this is mixed into
        field = dialog.query_one(SyncInput)
        if event.is_printable and event.character and dialog.focused is not field:
            event.stop()
            dialog.set_focus(field)
            field.insert_text_at_cursor(event.character)


class FilterInput(SyncInput):
    """A pane's filter. Enter, escape, up, down and tab are the screen's priority bindings: see MainScreen.

    Input sets its virtual size (the text's width, for scrolling) on every keystroke, and Widget's
    virtual_size asks for a layout of the whole screen when it changes: a frame of its own, before the
    filter's list, of 6 ms at 120×40. A one-line filter of fixed size has no scroll bars for it to lay
    out, so here the new size is only stored."""

    virtual_size = Reactive(Size(0, 0), layout=False)


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

    def __init__(
        self,
        index: CatalogIndex,
        kind: Kind,
        title: str,
        *,
        id: str,
        query: str = "",
        highlight_matches: bool = True,
        history: list[str] | None = None,
    ) -> None:
        super().__init__(id=id)
        self.initial_query = query
        self.highlight_matches = highlight_matches
        self.history = list(history or [])  # past queries, oldest first
        self._recalling: int | None = None  # position in history while up/down recall
        self._typed = ""  # what was typed before recalling began
        self.index = index
        self.kind = kind
        self.total = index.count(kind)
        self.shown_query: str | None = None
        self._found = Filtered([], 0)  # what the list shows (its first rows: a page or a few)
        self._matched = ""
        self._start = 0  # the rank of the list's first row among the matches (see reach)
        self.border_title = title
        self._pending_select: str | None = None
        self.markable = kind == "company"
        self.marked: list[str] = []  # in the order they were marked
        self._positions: dict[str, tuple[int, ...]] = {}

    def compose(self) -> ComposeResult:
        yield FilterInput(
            self.initial_query,
            placeholder="/ filter",
            id=f"{self.kind}-filter",
            compact=True,
            select_on_focus=False,
        )
        # Filled here, before the first layout, so the first frame needs no second pass.
        found = self._search(self.initial_query)
        self.shown_query, self._found = self.initial_query, found
        self.border_subtitle = self._count(found)
        yield EntryList(*self._options(found.shown), id=f"{self.kind}-list")

    def on_mount(self) -> None:
        self.query_one(FilterInput).cursor_blink = not self.app.is_headless

    @property
    def query_text(self) -> str:
        return self.query_one(FilterInput).value

    @property
    def highlighted(self) -> Target | None:
        return Target.under_cursor(self.query_one(EntryList))

    def action_focus_filter(self) -> None:
        self.screen.set_focus(self.query_one(FilterInput))

    def clear_filter(self) -> bool:
        field = self.query_one(FilterInput)
        had_text = bool(field.value)
        field.value = ""
        return had_text

    def select(self, entry_id: str, keep_filter: bool = False) -> None:
        """Highlight an entry, clearing the filter if it hides the entry (unless keep_filter)."""
        entries = self.query_one(EntryList)
        try:
            entries.highlighted = entries.get_option_index(Target(self.kind, entry_id).option_id())
            return
        except OptionDoesNotExist:
            pass
        if self.query_text:
            if not keep_filter:
                self._pending_select = entry_id
                self.query_one(FilterInput).value = ""
            return
        place = self.index.place(self.kind, entry_id)  # past the rows shown so far: bring its rows
        if place is not None:
            self.reach(place)

    # -- filter history ------------------------------------------------------------------------------

    def catch_up(self) -> None:
        """Show the results for the filter's text now, if a keystroke's result is still on its way."""
        if self.shown_query != self.query_text:
            self._show(self.query_text, self._search(self.query_text))

    def recall(self, step: int) -> bool:
        """Up (-1) recalls older queries, down (+1) newer ones back to what was typed; False if none."""
        if not self.history or (step > 0 and self._recalling is None):
            return False
        field = self.query_one(FilterInput)
        if self._recalling is None:
            self._typed = field.value
            position = len(self.history) - 1
        else:
            position = self._recalling + step
        if position < 0:
            return True  # at the oldest: stay there
        if position >= len(self.history):
            self._recalling = None
            self._set_query(self._typed)
            return True
        self._recalling = position
        self._set_query(self.history[position])
        return True

    def _set_query(self, query: str) -> None:
        field = self.query_one(FilterInput)
        field.value = query
        field.cursor_position = len(query)

    def remember(self) -> str | None:
        """The query to keep in the history (when the user leaves the filter), if any."""
        self._recalling = None
        query = self.query_text.strip()
        if not query or self.history[-1:] == [query]:
            return None
        self.history = [q for q in self.history if q != query] + [query]
        return query

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        # rows and counts for the old query are no longer wanted
        self.workers.cancel_group(self, "more")
        self.workers.cancel_group(self, "count")
        if self.total <= FILTER_INLINE_UP_TO:
            self._show(event.value, self._search(event.value))
        else:
            self._run_filter(event.value)

    @work(thread=True, exclusive=True, group="filter")
    def _run_filter(self, query: str) -> None:
        worker = get_current_worker()  # the next keystroke cancels it: the index then stops scoring
        results = self._search(query, cancelled=lambda: worker.is_cancelled, count=False)
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._show, query, results)

    @work(thread=True, exclusive=True, group="count")
    def _run_count(self, query: str) -> None:
        worker = get_current_worker()  # the next keystroke cancels it: the index then stops counting
        matched = self.index.matched(self.kind, query, cancelled=lambda: worker.is_cancelled)
        if matched is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._counted, query, matched)

    def _search(
        self,
        query: str,
        cancelled: Callable[[], bool] | None = None,
        limit: int | None = None,
        count: bool = True,
        start: int = 0,
    ) -> Filtered:
        """What a query shows: `limit` matches from rank start on (the first page by default), and how
        many matched (without count, perhaps not yet: see CatalogIndex.filtered)."""
        return self.index.filtered(
            self.kind, query, limit=limit or PAGE, cancelled=cancelled, count=count, start=start
        )

    def _count_shown(self) -> None:
        """Count what the shown query matched, once its list is on the screen (the count's regular
        expressions hold Python's lock while they run; the next keystroke stops them). The lines it
        finds are kept: the next, longer query is looked for among them."""
        if self._found.matched is None and self.shown_query == self.query_text:
            self._run_count(self.shown_query)

    def _counted(self, query: str, matched: int) -> None:
        if query == self.shown_query and self._found.matched is None:
            self._found = Filtered(self._found.shown, matched)
            self.border_subtitle = self._count(self._found)

    # -- more rows -----------------------------------------------------------------------------------
    #
    # The list holds a window of the matches: the rows from rank `start` on (the best first). It starts
    # as the first page and grows as the cursor or the scroll nears its end. A jump (G, end, a page key
    # past the rows there, an entry far down) brings the rows it needs first: in a small pane every row
    # up to there, in a large one the page around it, with the window's start moved there.

    @property
    def start(self) -> int:
        """The rank of the list's first row among the matches."""
        return self._start

    @property
    def more(self) -> bool:
        """Whether more matches follow the list's last row."""
        matched = self._found.matched
        return matched is None or self._start + len(self._found.shown) < matched

    def near_the_end(self) -> None:
        """The cursor or the scroll came near the last row: add the next page, if more matched."""
        shown = len(self._found.shown)
        if not self.more or self.shown_query != self.query_text:
            return
        if self.total <= FILTER_INLINE_UP_TO:
            found = self._search(self.query_text, limit=shown + PAGE, start=self._start)
            self._add_more(self.query_text, self._start, found)
        else:
            self._find_more(self.query_text, self._start, shown + PAGE)

    @work(thread=True, exclusive=True, group="more")
    def _find_more(self, query: str, start: int, limit: int) -> None:
        worker = get_current_worker()
        found = self._search(query, cancelled=lambda: worker.is_cancelled, limit=limit, start=start)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._add_more, query, start, found)

    def _add_more(self, query: str, start: int, found: Filtered) -> None:
        """Add the rows past those shown (the first rows of a longer list are the same rows)."""
        shown = len(self._found.shown)
        if query != self.shown_query or query != self.query_text or start != self._start:
            return  # the filter or the window changed meanwhile
        if len(found.shown) <= shown:
            return  # another page came first
        matched = self._found.matched if found.matched is None else found.matched
        self._found = Filtered(found.shown, matched)
        self.query_one(EntryList).add_options(self._options(found.shown[shown:]))
        self.border_subtitle = self._count(self._found)

    def near_the_start(self, then_up: bool = False) -> bool:
        """The cursor or the scroll came to the first row of a window that starts past the first match:
        bring the rows before it (then move the cursor up one, if asked). False if there are none."""
        if self._start == 0 or self.shown_query != self.query_text:
            return False
        self._find_before(self.query_text, self._start, then_up)
        return True

    @work(thread=True, exclusive=True, group="more")
    def _find_before(self, query: str, start: int, then_up: bool) -> None:
        worker = get_current_worker()
        before = max(0, start - PAGE)
        found = self._search(query, cancelled=lambda: worker.is_cancelled, limit=start - before, start=before)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._add_before, query, start, before, found, then_up)

    def _add_before(self, query: str, start: int, before: int, found: Filtered, then_up: bool) -> None:
        if query != self.shown_query or query != self.query_text or start != self._start or not found.shown:
            return
        entries = self.query_one(EntryList)
        cursor = (entries.highlighted or 0) + len(found.shown) - (1 if then_up else 0)
        self._start = before
        self._found = Filtered([*found.shown, *self._found.shown], self._found.matched)
        entries.set_options([*self._options(found.shown), *entries.options])
        entries.highlighted = cursor
        entries.scroll_to_highlight(top=True)

    def reach(self, rank: int | None) -> None:
        """Put the cursor on the match of this rank (None: the last), bringing its rows if need be."""
        entries = self.query_one(EntryList)
        shown, matched = len(self._found.shown), self._found.matched
        if rank is None and matched is not None and self._start + shown >= matched:
            rank = matched - 1  # the last row is there
        if rank is not None and self._start <= rank < self._start + shown:
            entries.highlighted = rank - self._start
            return
        if rank is not None and rank < 0:
            rank = 0
        if self.total <= FILTER_INLINE_UP_TO:
            window = self._window(self.query_text, rank)
            if window is not None:
                self._reached(self.query_text, *window)
        else:
            self._reach_in_background(self.query_text, rank)

    @work(thread=True, exclusive=True, group="more")
    def _reach_in_background(self, query: str, rank: int | None) -> None:
        worker = get_current_worker()
        window = self._window(query, rank, cancelled=lambda: worker.is_cancelled)
        if window is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._reached, query, *window)

    def _window(
        self, query: str, rank: int | None, cancelled: Callable[[], bool] | None = None
    ) -> tuple[int, Filtered, int] | None:
        """The rows to show for the cursor to be on the match of this rank (None: the last): (the
        window's start, its rows, the rank the cursor goes to); None if cancelled or nothing matched."""
        matched = self._found.matched
        if matched is None:
            matched = self.index.matched(self.kind, query, cancelled=cancelled or (lambda: False))
        if not matched:
            return None
        rank = matched - 1 if rank is None else min(rank, matched - 1)
        if self.total <= FILTER_INLINE_UP_TO:  # every row up to there, and a page more
            start, limit = 0, min(matched, rank + PAGE)
        else:  # the page around it
            start = min(max(0, rank - PAGE // 2), max(0, matched - PAGE))
            limit = PAGE
        found = self._search(query, cancelled=cancelled, limit=limit, start=start)
        if cancelled is not None and cancelled():
            return None
        return start, Filtered(found.shown, matched), rank

    def _reached(self, query: str, start: int, found: Filtered, rank: int) -> None:
        if query != self.shown_query or query != self.query_text or not found.shown:
            return
        entries = self.query_one(EntryList)
        shown = len(self._found.shown)
        if start == self._start and len(found.shown) > shown:  # the same window, longer
            entries.add_options(self._options(found.shown[shown:]))
        elif start != self._start or len(found.shown) != shown:
            entries.set_options(self._options(found.shown))
        self._start, self._found = start, found
        self.border_subtitle = self._count(found)
        entries.highlighted = min(rank - start, len(found.shown) - 1)

    def _show(self, query: str, found: Filtered) -> None:
        if query != self.query_text and self.shown_query is not None:
            return  # a newer keystroke is on its way
        self.shown_query, self._found, self._start = query, found, 0
        entries = self.query_one(EntryList)
        if not query and self._pending_select is None and self.highlighted:
            # A cleared filter keeps the entry the user had reached, in the full list.
            self._pending_select = self.highlighted.id
        self._positions = {}
        empty = (
            []
            if found.shown or not query.strip()
            else [Option(text(f" {self.nothing}", MUTED), disabled=True)]
        )
        entries.set_options(self._options(found.shown) or empty)
        self.border_subtitle = self._count(found)
        if found.matched is None:
            self.call_after_refresh(self._count_shown)
        pending, self._pending_select = self._pending_select, None
        if found.shown:
            entries.highlighted = 0
            if pending:
                self.select(pending)
        self.post_message(self.Highlighted(self, self.highlighted))

    @property
    def nothing(self) -> str:
        """What the list and the details say when nothing is highlighted: why."""
        query = self.query_text.strip()
        if not query:
            return "Nothing selected." if self.total else "This catalog has none."
        shown = query if len(query) <= 40 else query[:39] + "…"
        return f"Nothing matches “{shown}”: escape clears the filter."

    def _options(self, results: list[SearchResult]) -> list[Option]:
        self._positions.update((r.entry.id, r.positions) for r in results)
        return [Option(self._row(r.entry.id), id=Target(self.kind, r.entry.id).option_id()) for r in results]

    def _row(self, entry_id: str) -> Content:
        entry = self.index.get(self.kind, entry_id)
        assert entry is not None
        marked = (entry_id in self.marked) if self.markable else None
        positions = self._positions.get(entry_id, ()) if self.highlight_matches else ()
        return entry_row(self.index, entry, positions, marked)

    def _count(self, found: Filtered) -> str:
        """The border's count: how many matched of how many (… while still being counted); how the rows
        come into the list is not the user's concern."""
        matched = "…" if found.matched is None else str(found.matched)
        self._matched = f"{matched}/{self.total}"
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
        if event.option_index >= event.option_list.option_count - max(1, PAGE // 4):
            self.near_the_end()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = Target.from_option_id(event.option.id)
        if target:
            self.post_message(self.Chosen(self, target))
