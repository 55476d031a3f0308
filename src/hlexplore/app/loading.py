"""While a large catalog is parsed for the first time: a screen that says so, counts the seconds and can be
left with q or ctrl+c (the parse runs in a thread; the explorer opens when it is done)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.content import Content
from textual.widgets import LoadingIndicator, Static

from hlexplore.app.signals import end_on_signals
from hlexplore.text import clean


class LoadingApp(App[bool]):
    """Returns True when the load finished, False when the user left."""

    CSS = """
    Screen { align: center middle; }
    #loading-text { width: auto; max-width: 80; padding: 1 2; border: round $accent; }
    LoadingIndicator { height: 3; }
    """
    BINDINGS = [
        Binding("q", "leave", "Quit"),
        Binding("ctrl+c", "leave", "Quit", priority=True),
    ]

    def __init__(self, worker: threading.Thread, announced: list[tuple[Path, int, bool]]) -> None:
        super().__init__()
        self.worker = worker
        self.announced = announced  # (path, size, merging) of each file as the load reaches it
        self.started = time.monotonic()

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="loading-text")
        yield LoadingIndicator()

    def on_mount(self) -> None:
        end_on_signals(self, self._end_by_signal)
        self.title = "hlexplore"
        self._tick()
        self.set_interval(0.25, self._tick)

    def _tick(self) -> None:
        if not self.worker.is_alive():
            self.exit(True)
            return
        seconds = time.monotonic() - self.started
        path, size, merging = self.announced[-1]  # the file being read now
        shown = f"{size / 1024 / 1024:.0f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"
        if merging:
            said = f"Merging {path.name} ({shown}) over the catalog: {seconds:.0f} s\nq or ctrl+c leaves."
        else:
            said = (
                f"Reading {path.name} ({shown}) for the first time: {seconds:.0f} s\n"
                "Later starts read it from the cache in seconds. q or ctrl+c leaves."
            )
        self.query_one("#loading-text", Static).update(Content(clean(said)))  # a file name is not markup

    def action_leave(self) -> None:
        self.exit(False)

    def _end_by_signal(self, number: int) -> None:
        self.exit(False, return_code=128 + number)
