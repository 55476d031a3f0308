"""Checking the catalog's links from the explorer: asked for by the user, in a worker, with progress;
escape cancels (what was checked is kept)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState

from hlexplore.app import messages
from hlexplore.app.widgets.rows import text
from hlexplore.catalog.models import Catalog
from hlexplore.links.check import OUTCOMES, LinkCheck, Progress, check_all, summary, targets
from hlexplore.links.store import LinkHealth

MUTED = "$foreground-muted"
SAVE_EVERY = 20  # results written to the store as they come, so a cancel or a crash loses little


class LinkCheckScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "stop", "Cancel / close", priority=True, id="links.stop"),
        Binding("enter", "close", "Close", priority=True, id="links.close"),
    ]

    def __init__(
        self, catalog: Catalog, health: LinkHealth, concurrency: int = 8, timeout: float = 10.0
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.health = health
        self.concurrency = concurrency
        self.timeout = timeout
        self.results: list[LinkCheck] = []
        self._unsaved: list[LinkCheck] = []
        self._worker: Worker[None] | None = None
        self.finished = False

    def compose(self) -> ComposeResult:
        with Vertical(id="link-check"):
            yield Static(id="link-check-status")
            yield ProgressBar(id="link-check-bar", show_eta=False)
            yield Static(id="link-check-counts")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        dialog = self.query_one("#link-check")
        dialog.border_title = "Checking links"
        dialog.border_subtitle = "escape cancels (what was checked is kept)"
        found = targets([self.catalog])
        self.query_one(ProgressBar).update(total=max(1, len(found)), progress=0)
        self._status(f"{len(found)} addresses, {self.concurrency} at a time, {self.timeout:g} s each at most")
        self._worker = self._check(found)

    def _status(self, message: str) -> None:
        self.query_one("#link-check-status", Static).update(text(message))

    @work(exclusive=True, group="link-check", exit_on_error=False)
    async def _check(self, found: list[Any]) -> None:
        await check_all(found, self.concurrency, self.timeout, self._seen)

    def _seen(self, result: LinkCheck, progress: Progress) -> None:
        self.results.append(result)
        self._unsaved.append(result)
        if len(self._unsaved) >= SAVE_EVERY:
            self._save()
        self.query_one(ProgressBar).update(progress=progress.finished)
        self._show_counts()

    def _save(self) -> None:
        if self._unsaved:
            self.health.record(self._unsaved)
            self._unsaved = []

    def _show_counts(self) -> None:
        counts = summary(self.results)
        parts = [text(f"{counts[o]} {o}  ", MUTED if not counts[o] else "") for o in OUTCOMES]
        short = counts["short links no longer resolving"]
        parts.append(text(f"\n{short} short links no longer resolving", MUTED))
        self.query_one("#link-check-counts", Static).update(Content.assemble(*parts))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._worker or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.CANCELLED,
            WorkerState.ERROR,
        ):
            return
        event.stop()  # (said here, in the dialog's status: not again by the app)
        self._save()
        self.finished = True
        done = {WorkerState.SUCCESS: "Done", WorkerState.CANCELLED: "Cancelled", WorkerState.ERROR: "Stopped"}
        broken = sum(1 for r in self.results if r.broken and not r.short)
        message = f"{done[event.state]}: {len(self.results)} checked, {broken} broken."
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            message += f" ({event.worker.error})"
        self._status(message + " Insight › Health lists them; the details mark each link.")
        self.query_one("#link-check").border_subtitle = "enter or escape closes"
        self.post_message(messages.UserDataChanged())

    def action_stop(self) -> None:
        if self._worker is not None and not self.finished:
            self._worker.cancel()
            return
        self.dismiss()

    def action_close(self) -> None:
        if self.finished:
            self.dismiss()
