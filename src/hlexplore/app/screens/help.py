"""Every key the explorer answers to, grouped by screen and purpose, filterable, with its keymap id."""

from __future__ import annotations

from rich.cells import cell_len
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from hlexplore.app.keys import MODEL, HintsUnboundKeys, bindings_of
from hlexplore.app.widgets.entry_pane import SyncInput
from hlexplore.app.widgets.rows import text
from hlexplore.text import fold

MUTED = "$foreground-muted"
INTRO = f"{MODEL}\nFilters: 'exact ^prefix suffix$ !not, and a | b for either."

# What each binding is for, by the part of its id after the screen's name; the groups show in this order.
PURPOSES: dict[str, tuple[str, ...]] = {
    "panes and moving": (
        "companies",
        "technologies",
        "references",
        "next_pane",
        "previous_pane",
        "down",
        "up",
        "left",
        "right",
        "first",
        "last",
        "page_down",
        "page_up",
        "view1",
        "view2",
        "view3",
        "view4",
        "view5",
        "j",
        "k",
        "to_list",
    ),
    "filter": ("filter", "leave_filter", "escape", "older_filter", "newer_filter", "category"),
    "following and history": ("details", "follow", "go", "back", "forward", "choose"),
    "links": ("open", "open_archived", "copy"),
    "comparing": ("mark", "clear_marks", "compare", "differences", "shared", "swap", "export"),
    "yours": ("bookmark", "bookmarks", "note", "remove", "save"),
    "insight": ("insight",),
    "help, closing and quitting": ("help", "quit", "close", "interrupt", "cancel", "stop"),
}


def purpose(binding_id: str) -> str:
    name = binding_id.split(".", 1)[-1]
    return next((group for group, names in PURPOSES.items() if name in names), "other")


def binding_rows(
    app: App[object], places: list[tuple[str, type[DOMNode]]], keymap: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """(keys, description, where, id) for every binding with an id, with the user's keymap applied."""
    rows: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for where, node in places:
        bindings = bindings_of(node)
        if keymap:
            bindings.apply_keymap(keymap)
        by_id: dict[str, list[Binding]] = {}
        for _key, binding in bindings:
            if binding.id and binding.id not in seen:
                by_id.setdefault(binding.id, []).append(binding)
        for binding_id, group in by_id.items():
            seen.add(binding_id)
            keys = ", ".join(app.get_key_display(b) for b in group)
            rows.append((keys, group[0].description or binding_id, where, binding_id))
    return rows


class HelpScreen(HintsUnboundKeys, ModalScreen[None]):
    """The keys as a list under headings (screen, then purpose); / filters it, as a pane's filter."""

    BINDINGS = [
        Binding("escape", "escape", "Close", priority=True, id="help.close"),
        Binding("question_mark,q", "dismiss", "Close", show=False, id="help.quit"),
        Binding("slash", "filter", "Filter", priority=True, id="help.filter"),
        Binding("enter", "to_list", "To the list", show=False, priority=True, id="help.to_list"),
        Binding("down", "move(1)", "Down", show=False, priority=True, id="help.down"),
        Binding("up", "move(-1)", "Up", show=False, priority=True, id="help.up"),
        Binding("j", "move(1)", "Down", show=False, id="help.j"),
        Binding("k", "move(-1)", "Up", show=False, id="help.k"),
    ]
    UNBOUND_HINT = "/ filters the keys, escape closes"

    def __init__(self, places: list[tuple[str, type[DOMNode]]]) -> None:
        super().__init__()
        self.places = places
        self._rows: list[tuple[str, str, str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(text(INTRO), id="help-intro")
            yield SyncInput(placeholder="/ filter the keys", id="help-filter", compact=True)
            yield OptionList(id="help-keys")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"
        self.query_one("#help").border_subtitle = "/ filters · escape closes"
        rows = binding_rows(self.app, self.places, dict(self.app._keymap))
        palette = self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ""))
        rows.append((palette, "Command palette", "everywhere", "(App.COMMAND_PALETTE_BINDING)"))
        self._rows = rows
        self._show("")
        self.set_focus(self.query_one(OptionList))

    def _show(self, query: str) -> None:
        words = fold(query).split()
        rows = [r for r in self._rows if all(w in fold(" ".join(r)) for w in words)]
        key_width = max((cell_len(r[0]) for r in rows), default=4)
        what_width = max((cell_len(r[1]) for r in rows), default=4)
        groups: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
        wheres = list(dict.fromkeys(r[2] for r in self._rows))
        order = [*PURPOSES, "other"]
        for row in sorted(rows, key=lambda r: (wheres.index(r[2]), order.index(purpose(r[3])))):
            groups.setdefault((row[2], purpose(row[3])), []).append(row)
        options: list[Option] = []
        for (where, group), members in groups.items():
            options.append(Option(text(f"{where} · {group}", "bold $text-primary"), disabled=True))
            for keys, what, _where, binding_id in members:
                prompt = Content.assemble(
                    text(f"  {keys:<{key_width}}  "), text(f"{what:<{what_width}}  "), text(binding_id, MUTED)
                )
                options.append(Option(prompt, id=f"{binding_id}@{where}"))
        if not options:
            shown = query.strip()[:40]
            nothing = f"No key matches “{shown}”: escape clears the filter."
            options.append(Option(text(nothing, MUTED), disabled=True))
        listed = self.query_one(OptionList)
        listed.set_options(options)
        listed.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    def action_filter(self) -> None:
        self.set_focus(self.query_one(Input))

    def action_to_list(self) -> None:
        self.set_focus(self.query_one(OptionList))

    def action_move(self, step: int) -> None:
        keys = self.query_one(OptionList)
        keys.action_cursor_down() if step > 0 else keys.action_cursor_up()

    def action_escape(self) -> None:
        """In the filter: clear it, then back to the list. On the list: close."""
        field = self.query_one(Input)
        if self.focused is field:
            if field.value:
                field.value = ""
            else:
                self.set_focus(self.query_one(OptionList))
            return
        self.dismiss()
