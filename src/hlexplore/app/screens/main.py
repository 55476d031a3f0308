"""The explorer's main screen: three filtered lists, the details of what is highlighted, and history."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header

from hlexplore.app.history import History
from hlexplore.app.targets import Target
from hlexplore.app.widgets.details import DetailsView
from hlexplore.app.widgets.entry_pane import EntryList, EntryPane
from hlexplore.catalog.models import Entry, Kind
from hlexplore.index import CatalogIndex

PANES: tuple[tuple[Kind, str], ...] = (
    ("company", "Companies"),
    ("technology", "Technologies"),
    ("reference", "References"),
)
NARROW_WIDTH, SHORT_HEIGHT, TINY_WIDTH = 110, 30, 70


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("1", "pane('company')", "Companies", show=False, id="main.companies"),
        Binding("2", "pane('technology')", "Technologies", show=False, id="main.technologies"),
        Binding("3", "pane('reference')", "References", show=False, id="main.references"),
        Binding("tab", "cycle(1)", "Next pane", show=False, id="main.next_pane"),
        Binding("shift+tab", "cycle(-1)", "Previous pane", show=False, id="main.previous_pane"),
        Binding("escape", "escape", "Clear / back", show=False, id="main.escape"),
        Binding("backspace,alt+left", "back", "Back", id="main.back"),
        Binding("alt+right", "forward", "Forward", show=False, id="main.forward"),
        Binding("o", "open", "Open", id="main.open"),
        Binding("O", "open(True)", "Open archived", show=False, id="main.open_archived"),
        Binding("y", "copy", "Copy link", id="main.copy"),
    ]

    def __init__(self, index: CatalogIndex) -> None:
        super().__init__()
        self.index = index
        self.history = History()
        self.current_kind: Kind = "company"
        stats = (len(index.companies), len(index.technologies), len(index.references))
        self.title = index.title
        self.sub_title = "{} companies · {} technologies · {} references".format(*stats)

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="body"):
            with Vertical(id="lists"):
                for number, (kind, title) in enumerate(PANES, start=1):
                    yield EntryPane(self.index, kind, f"{number} {title}", id=f"{kind}-pane")
            yield DetailsView(self.index, id="details")
        yield Footer()

    def on_mount(self) -> None:
        self._set_current(self.current_kind)
        self.pane(self.current_kind).query_one(EntryList).focus()

    # -- what is where -------------------------------------------------------------------------------

    def pane(self, kind: Kind) -> EntryPane:
        return self.query_one(f"#{kind}-pane", EntryPane)

    @property
    def details(self) -> DetailsView:
        return self.query_one(DetailsView)

    def _set_current(self, kind: Kind) -> None:
        self.current_kind = kind
        for pane_kind, _ in PANES:
            self.pane(pane_kind).set_class(pane_kind == kind, "-current")
        self.details.show(self.pane(kind).highlighted)

    def pointed_entry(self) -> Entry | None:
        """What o, O and y act on: the linked row under the cursor in details, else what is shown."""
        target: Target | None
        if self.focused is self.details:
            target = self.details.pointed or self.details.subject
        else:
            target = self.pane(self.current_kind).highlighted
        return self.index.get(target.kind, target.id) if target else None

    # -- layout --------------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        width, height = event.size
        self.set_class(width < NARROW_WIDTH or height < SHORT_HEIGHT, "-narrow")
        self.set_class(width < TINY_WIDTH, "-tiny")

    # -- following the data --------------------------------------------------------------------------

    @on(DescendantFocus)
    def _focus_moved(self, event: DescendantFocus) -> None:
        for pane in event.widget.ancestors_with_self:
            if isinstance(pane, EntryPane):
                if pane.kind != self.current_kind:
                    self._set_current(pane.kind)
                return

    @on(EntryPane.Highlighted)
    def _pane_highlighted(self, event: EntryPane.Highlighted) -> None:
        if event.pane.kind == self.current_kind:
            self.details.show(event.target)

    @on(EntryPane.Chosen)
    def _pane_chosen(self, event: EntryPane.Chosen) -> None:
        self.details.show(event.target)
        self.details.focus()

    @on(DetailsView.Follow)
    def _details_follow(self, event: DetailsView.Follow) -> None:
        self.history.visit(event.target, came_from=self.details.subject)
        self.go_to(event.target, focus_details=True)

    def go_to(self, target: Target, focus_details: bool = False) -> None:
        """Show an entry: its pane becomes current with the entry highlighted, and its details."""
        pane = self.pane(target.kind)
        pane.select(target.id)
        self._set_current(target.kind)
        self.details.show(target)
        if focus_details:
            self.details.focus()
        elif self.focused is not self.details:
            pane.query_one(EntryList).focus()
        self.refresh_bindings()

    def visit(self, target: Target) -> None:
        """Go to an entry and remember it (the palette and other screens come here)."""
        self.history.visit(target, came_from=self.details.subject)
        self.go_to(target)

    # -- actions -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.history.can_go_back or None
        if action == "forward":
            return self.history.can_go_forward or None
        return True

    def action_pane(self, kind: Kind) -> None:
        self.pane(kind).query_one(EntryList).focus()

    def action_cycle(self, step: int) -> None:
        stops: list[Widget] = [self.pane(kind).query_one(EntryList) for kind, _ in PANES]
        stops.append(self.details)
        kinds = [kind for kind, _ in PANES]
        here = len(stops) - 1 if self.focused is self.details else kinds.index(self.current_kind)
        stops[(here + step) % len(stops)].focus()

    def action_escape(self) -> None:
        if self.focused is not self.details and self.pane(self.current_kind).clear_filter():
            return
        if self.history.can_go_back:
            self.action_back()
        elif self.focused is self.details:
            self.action_pane(self.current_kind)

    def action_back(self) -> None:
        target = self.history.back()
        if target:
            self.go_to(target, focus_details=self.focused is self.details)

    def action_forward(self) -> None:
        target = self.history.forward()
        if target:
            self.go_to(target, focus_details=self.focused is self.details)

    def action_open(self, archived: bool = False) -> None:
        entry = self.pointed_entry()
        if entry is None:
            self.notify("Nothing is highlighted.", severity="warning")
            return
        self.app.open_entry(entry, archived=archived)  # type: ignore[attr-defined]

    def action_copy(self) -> None:
        entry = self.pointed_entry()
        if entry is None:
            self.notify("Nothing is highlighted.", severity="warning")
            return
        self.app.copy_entry_link(entry)  # type: ignore[attr-defined]
