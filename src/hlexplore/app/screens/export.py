"""Ask where to write an export; enter writes, escape cancels."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from hlexplore.app.widgets.rows import text


class ExportDialog(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Static(
                text("Markdown is written here, and JSON beside it with the same name (.json)."),
                id="export-hint",
            )
            yield Input(str(self.suggested), id="export-path", select_on_focus=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        dialog = self.query_one("#export")
        dialog.border_title = "Export the comparison"
        dialog.border_subtitle = "enter writes · escape cancels"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(Path(value) if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
