"""Write a free-text note on an entry: ctrl+s saves, escape leaves without saving."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, TextArea

from hlexplore.app import messages
from hlexplore.app.widgets.rows import text
from hlexplore.catalog.models import Entry
from hlexplore.index import CatalogIndex
from hlexplore.user.data import NOTE_LIMIT, UserData


class NoteDialog(ModalScreen[str | None]):
    """Dismissed with the new text (empty removes the note) or None when cancelled."""

    # Not priority bindings: they run when the key reaches the dialog through the text area, after every
    # character typed before them (a fast typist or a paste followed by ctrl+s saves all of it).
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.title_text = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note"):
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        dialog = self.query_one("#note")
        dialog.border_title = text(self.title_text)
        dialog.border_subtitle = "ctrl+s saves · escape cancels · an empty note is removed"
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)
        self.set_focus(area)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


def edit_note(app: App[Any], index: CatalogIndex, user: UserData, entry: Entry) -> None:
    """Ask for an entry's note and keep what is written: in the user's notes and in the index (a note is
    searchable); the details show it again (UserDataChanged)."""

    def save(written: str | None) -> None:
        if written is None:
            return
        saved = user.set_note(entry.kind, entry.id, written)  # (when it is not, the store says why)
        index.annotate(entry.kind, entry.id, [user.note(entry.kind, entry.id)])
        app.post_message(messages.UserDataChanged())
        if not saved:
            return
        if len(written.strip()) > NOTE_LIMIT:
            messages.say(app, f"Note saved, cut to its first {NOTE_LIMIT:,} characters", "warning")
        else:
            messages.say(app, "Note saved" if written.strip() else "Note removed")

    title = f"Note on {index.label(entry)}"
    app.push_screen(NoteDialog(title, user.note(entry.kind, entry.id)), save)
