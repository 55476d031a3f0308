"""Every key the explorer answers to, where it works, and its keymap id."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from hlexplore.app.widgets.rows import text

INTRO = (
    "Type in a pane's filter to narrow it: words match anywhere, 'exact, ^prefix, suffix$, !not, a | b.\n"
    "enter on a list shows the details; enter on a row of the details follows it or opens its link.\n"
    "Lists also scroll with pageup and pagedown; a filter edits like a shell line (ctrl+a, ctrl+e, ctrl+w)."
)


def binding_rows(
    places: list[tuple[str, DOMNode]], keymap: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """(keys, description, where, id) for every binding with an id, with the user's keymap applied."""
    rows: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for where, node in places:
        bindings: BindingsMap = node._bindings.copy()
        if keymap:
            bindings.apply_keymap(keymap)
        by_id: dict[str, list[Binding]] = {}
        for _key, binding in bindings:
            if binding.id and binding.id not in seen:
                by_id.setdefault(binding.id, []).append(binding)
        for binding_id, group in by_id.items():
            seen.add(binding_id)
            keys = ", ".join(node.app.get_key_display(b) for b in group)
            rows.append((keys, group[0].description or binding_id, where, binding_id))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, places: list[tuple[str, DOMNode]]) -> None:
        super().__init__()
        self.places = places

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(text(INTRO), id="help-intro")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"
        self.query_one("#help").border_subtitle = "escape closes"
        table = self.query_one(DataTable)
        rows = binding_rows([*self.places, ("this help", self)], dict(self.app._keymap))
        palette = self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ""))
        rows.append((palette, "Command palette", "everywhere", "(App.COMMAND_PALETTE_BINDING)"))
        headers = ("Key", "What it does", "Where", "Keymap id")
        for column, header in enumerate(headers):
            width = max(cell_len(header), *(cell_len(row[column]) for row in rows))
            table.add_column(header, width=width)
        for row in rows:
            table.add_row(*(text(cell) for cell in row))
        table.focus()
