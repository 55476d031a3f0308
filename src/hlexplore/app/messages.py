"""What screens ask of the explorer, as messages (they bubble up to HLExploreApp, which acts on them),
and the two questions they ask it, as a typed view of the app. Screens never import the app module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, cast

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from hlexplore.app.history import Place
from hlexplore.app.targets import Target
from hlexplore.catalog.models import Entry
from hlexplore.index import CatalogIndex
from hlexplore.text import clean


@dataclass
class Go(Message):
    """Go to a place (and remember it in the history)."""

    place: Place


@dataclass
class Visit(Message):
    """Go to an entry from wherever the user is."""

    target: Target


@dataclass
class OpenEntry(Message):
    """Open an entry's link (archived: its archived copies; direct: even if it was broken)."""

    entry: Entry
    archived: bool = False
    direct: bool = False


@dataclass
class CopyLink(Message):
    entry: Entry


@dataclass
class Compare(Message):
    """Compare these companies (ids)."""

    companies: list[str]


@dataclass
class AskCompare(Message):
    """Pick the company to compare with left (with no left, both)."""

    left: str | None


class ShowBookmarks(Message):
    pass


class ShowInsight(Message):
    pass


class ShowHelp(Message):
    """The keys of the screen in front, then every other screen's."""


class CheckLinks(Message):
    """Check every link now (the user asked: the only way the explorer touches the network)."""


@dataclass
class EditNote(Message):
    entry: Entry


@dataclass
class Failed(Message):
    """A background job failed (one that does not end the app: exit_on_error=False)."""

    job: str
    error: BaseException


def report_failure(node: MessagePump, event: Worker.StateChanged) -> None:
    """Pass a failed worker on to the app as Failed (a worker's state changes reach only the node that
    started it): call it from the node's Worker.StateChanged handler."""
    error = event.worker.error
    if event.state == WorkerState.ERROR and error is not None:
        node.post_message(Failed(event.worker.group or event.worker.name or "a background job", error))


class UserDataChanged(Message):
    """A bookmark, a note or a link's health changed: the details show it again."""


class Explorer(Protocol):
    """What screens ask the explorer when they need its answer at once: the messages above are for
    everything else. (A screen that dismisses itself first goes on through this: its messages would
    no longer be delivered.)"""

    def typing(self, within: float) -> bool: ...

    def can_go_back(self) -> bool: ...

    def go_back(self) -> bool: ...

    def go_forward(self) -> bool: ...

    def go(self, place: Place) -> None: ...

    def visit(self, target: Target) -> None: ...

    @property
    def index(self) -> CatalogIndex: ...


def explorer(app: App[Any]) -> Explorer:
    return cast(Explorer, app)


def say(
    widget: Widget | App[Any],
    message: str,
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    """Notify with catalog text as plain text: never markup."""
    widget.notify(clean(message), severity=severity, markup=False, timeout=timeout)
