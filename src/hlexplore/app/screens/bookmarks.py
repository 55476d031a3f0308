"""Everything the user bookmarked, filtered like the other panes; enter goes there, b removes one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from hlexplore.app.targets import Target
from hlexplore.app.widgets.entry_pane import SyncInput
from hlexplore.app.widgets.rows import text, with_matches
from hlexplore.catalog.models import KINDS
from hlexplore.index import CatalogIndex
from hlexplore.user.data import UserData, split_key

MUTED = "$foreground-muted"
KIND_LABEL = {"company": "company", "technology": "technology", "reference": "reference"}


class BookmarksScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", priority=True, id="bookmarks.close"),
        Binding("down", "move(1)", "Down", show=False, priority=True, id="bookmarks.down"),
        Binding("up", "move(-1)", "Up", show=False, priority=True, id="bookmarks.up"),
        Binding("enter", "go", "Go", priority=True, id="bookmarks.go"),
        Binding("ctrl+d", "remove", "Remove", priority=True, id="bookmarks.remove"),
    ]

    def __init__(self, index: CatalogIndex, user: UserData) -> None:
        super().__init__()
        self.index = index
        self.user = user
        self._shown = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks"):
            yield SyncInput(placeholder="type to filter your bookmarks", id="bookmarks-filter", compact=True)
            yield OptionList(id="bookmarks-list")

    def on_mount(self) -> None:
        dialog = self.query_one("#bookmarks")
        dialog.border_subtitle = "enter goes there · ctrl+d removes · escape closes"
        self.set_focus(self.query_one(Input))
        self._show("")

    def targets(self) -> list[Target]:
        """Bookmarked entries that exist in the catalog, newest first."""
        found = []
        for name, _when in sorted(self.user.bookmarks.items(), key=lambda item: item[1], reverse=True):
            parts = split_key(name)
            if parts and self.index.get(*parts):  # type: ignore[arg-type]
                found.append(Target(*parts))  # type: ignore[arg-type]
        return found

    def _show(self, query: str) -> None:
        self._shown = query
        marked = self.targets()
        self.query_one("#bookmarks").border_title = f"Bookmarks ({len(marked)})"
        if query.strip():
            wanted = set(marked)
            scored = [
                (result.score, Target(kind, result.entry.id), result.positions)
                for kind in KINDS
                for result in self.index.filter(kind, query)
                if Target(kind, result.entry.id) in wanted
            ]
            rows = [(target, positions) for _score, target, positions in sorted(scored, key=lambda r: -r[0])]
        else:
            rows = [(target, ()) for target in marked]
        options = self.query_one(OptionList)
        options.clear_options()
        for target, positions in rows:
            entry = self.index.get(target.kind, target.id)
            assert entry is not None
            prompt = Content.assemble(
                text(f"{KIND_LABEL[target.kind]:<11}", MUTED),
                with_matches(self.index.label(entry), positions),
            )
            options.add_option(Option(prompt, id=target.option_id()))
        if not marked:
            options.add_option(
                Option(text("No bookmarks yet: b bookmarks the highlighted entry.", MUTED), disabled=True)
            )
        options.highlighted = 0 if rows else None

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    def _pointed(self) -> Target | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return Target.from_option_id(options.get_option_at_index(options.highlighted).id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_go(self) -> None:
        if self._shown != self.query_one(Input).value:  # what was typed just before enter counts
            self._show(self.query_one(Input).value)
        target = self._pointed()
        if target:
            self.dismiss()
            self.app.visit(target)  # type: ignore[attr-defined]

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_go()

    def action_remove(self) -> None:
        target = self._pointed()
        if target:
            self.user.toggle_bookmark(target.kind, target.id)
            self._show(self.query_one(Input).value)
            self.app.main.details.refresh_subject()  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.dismiss()
