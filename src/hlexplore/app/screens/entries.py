"""Entries to go to, filtered like the other panes: the bookmarks, or what is behind a chart's bar."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from hlexplore.app.messages import explorer
from hlexplore.app.targets import Target
from hlexplore.app.widgets.entry_pane import FilterFirst, SyncInput
from hlexplore.app.widgets.rows import text, with_matches
from hlexplore.catalog.models import KINDS
from hlexplore.index import CatalogIndex

MUTED = "$foreground-muted"


class EntriesScreen(FilterFirst, ModalScreen[None]):
    """Entries in a given order; typing filters them, enter goes to the highlighted one in the explorer."""

    BINDINGS = [
        Binding("escape", "close", "Close", priority=True, id="entries.close"),
        Binding("down", "move(1)", "Down", show=False, priority=True, id="entries.down"),
        Binding("up", "move(-1)", "Up", show=False, priority=True, id="entries.up"),
        Binding("enter", "go", "Go", priority=True, id="entries.go"),
    ]
    HINT = "enter goes there · escape closes"
    EMPTY = "Nothing here."

    def __init__(self, index: CatalogIndex, title: str = "", shown: list[Target] | None = None) -> None:
        super().__init__()
        self.index = index
        self.title_text = title
        self.shown = list(shown or [])
        self._query = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="entries-dialog"):
            yield SyncInput(placeholder="type to filter", classes="entries-filter", compact=True)
            yield OptionList(classes="entries-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(".entries-dialog").border_subtitle = self.HINT
        self.set_focus(self.query_one(Input))
        self._show("")

    def targets(self) -> list[Target]:
        return [t for t in self.shown if self.index.get(t.kind, t.id) is not None]

    def _show(self, query: str) -> None:
        self._query = query
        listed = self.targets()
        self.query_one(".entries-dialog").border_title = Content(f"{self.title_text} ({len(listed)})")
        if query.strip():
            wanted = set(listed)
            scored = [
                (result.score, Target(kind, result.entry.id), result.positions)
                for kind in KINDS
                for result in self.index.filter(kind, query)
                if Target(kind, result.entry.id) in wanted
            ]
            rows = [(target, positions) for _score, target, positions in sorted(scored, key=lambda r: -r[0])]
        else:
            rows = [(target, ()) for target in listed]
        options = self.query_one(OptionList)
        options.clear_options()
        for target, positions in rows:
            entry = self.index.get(target.kind, target.id)
            assert entry is not None
            prompt = Content.assemble(
                text(f"{target.kind:<11}", MUTED), with_matches(self.index.label(entry), positions)
            )
            options.add_option(Option(prompt, id=target.option_id()))
        if not listed:
            options.add_option(Option(text(self.EMPTY, MUTED), disabled=True))
        options.highlighted = 0 if rows else None

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    def pointed(self) -> Target | None:
        return Target.under_cursor(self.query_one(OptionList))

    def refilter(self) -> None:
        self._show(self.query_one(Input).value)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_go(self) -> None:
        if self._query != self.query_one(Input).value:  # what was typed just before enter counts
            self.refilter()
        target = self.pointed()
        if target:
            self.dismiss()
            explorer(self.app).visit(target)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_go()

    def action_close(self) -> None:
        self.dismiss()
