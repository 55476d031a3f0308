"""Pick a company with a fuzzy filter: the one to compare with, best candidates first."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from hlexplore.app import messages
from hlexplore.app.widgets.entry_pane import FilterFirst, SyncInput
from hlexplore.app.widgets.rows import text, with_matches
from hlexplore.index import CatalogIndex
from hlexplore.text import clean

MUTED = "$foreground-muted"


class CompanyPicker(FilterFirst, ModalScreen[str | None]):
    """Before anything is typed: the companies most similar to `other` (with why), then the rest by name."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True, id="picker.cancel"),
        Binding("down", "move(1)", "Down", show=False, priority=True, id="picker.down"),
        Binding("up", "move(-1)", "Up", show=False, priority=True, id="picker.up"),
        Binding("enter", "choose", "Choose", priority=True, id="picker.choose"),
    ]

    def __init__(self, index: CatalogIndex, title: str, other: str | None = None) -> None:
        super().__init__()
        self.index = index
        self.title_text = title
        self.other = other
        self._shown = ""
        self._similar = {s.company.id: s for s in index.similar(other, limit=None)} if other else {}

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield SyncInput(placeholder="type to filter companies", id="picker-filter", compact=True)
            yield OptionList(*self._options(""), id="picker-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        dialog = self.query_one("#picker")
        dialog.border_title = text(self.title_text)
        dialog.border_subtitle = "↑↓ choose · enter compares · escape cancels"
        self.set_focus(self.query_one(Input))
        self.query_one(OptionList).highlighted = 0 if self.query_one(OptionList).option_count else None

    def _options(self, query: str) -> list[Option]:
        if query.strip():
            found = [r for r in self.index.filter("company", query) if r.entry.id != self.other]
            return [self._option(r.entry.id, r.positions) for r in found]
        similar = [s.company.id for s in self._similar.values()]
        rest = [
            c.id for c in self.index.entries("company") if c.id not in self._similar and c.id != self.other
        ]
        return [self._option(company_id) for company_id in similar + rest]

    def _option(self, company_id: str, positions: tuple[int, ...] = ()) -> Option:
        company = self.index.companies[company_id]
        name = with_matches(company.display_name, positions)
        if self.other is None:
            return Option(name, id=company_id)
        found = self._similar.get(company_id)
        if found is None:
            return Option(
                Content.assemble(text("      "), name, text("  nothing in common", MUTED)), id=company_id
            )
        shared = ", ".join(t.name for t in found.shared[:4])
        more = f" +{len(found.shared) - 4}" if len(found.shared) > 4 else ""
        prompt = Content.assemble(
            text(f"{found.score:.2f}  ", MUTED),
            name,
            text(f"  {len(found.shared)} shared: {shared}{more}", MUTED),
        )
        return Option(prompt, id=company_id)

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._show(self.query_one(Input).value)

    def _show(self, query: str) -> None:
        if query == self._shown:
            return
        self._shown = query
        options = self.query_one(OptionList)
        options.set_options(self._options(query))
        options.highlighted = 0 if options.option_count else None

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_choose(self) -> None:
        self._show(self.query_one(Input).value)  # what was typed just before enter counts
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.app.bell()
            return
        self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_compare(app: App[Any], index: CatalogIndex, left: str | None) -> None:
    """Pick the company to compare with `left`, then compare them (messages.Compare); with no left, pick
    both, one after the other. Escape in either picker cancels the whole question."""
    if left is None:

        def first(chosen: str | None) -> None:
            if chosen:
                ask_compare(app, index, chosen)

        app.push_screen(CompanyPicker(index, "Compare which company?"), first)
        return

    def second(right: str | None) -> None:
        if right:
            app.post_message(messages.Compare([left, right]))

    title = f"Compare {clean(index.companies[left].name)} with…"
    app.push_screen(CompanyPicker(index, title, other=left), second)
