"""The explorer's main screen: three filtered lists, the details of what is highlighted, and history."""

from __future__ import annotations

import time
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import DescendantBlur, DescendantFocus, Resize
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.worker import Worker, get_current_worker

from hlexplore import interpreter
from hlexplore.app import messages
from hlexplore.app.history import History, Place
from hlexplore.app.keys import HintsUnboundKeys
from hlexplore.app.messages import explorer
from hlexplore.app.targets import Target
from hlexplore.app.widgets.details import DetailsView
from hlexplore.app.widgets.entry_pane import FILTER_INLINE_UP_TO, EntryList, EntryPane, FilterInput
from hlexplore.catalog.models import Entry, Kind, is_kind
from hlexplore.index import CatalogIndex
from hlexplore.text import clean
from hlexplore.user.config import Config
from hlexplore.user.data import UserData

PANES: tuple[tuple[Kind, str], ...] = (
    ("company", "Companies"),
    ("technology", "Technologies"),
    ("reference", "References"),
)
NARROW_WIDTH, SHORT_HEIGHT, TINY_WIDTH = 110, 30, 70
TYPING = 0.3  # seconds after a key or a mouse action during which background search work holds back


class PaneTabs(Static):
    """Which pane shows, and how to reach the others, when only one fits (a narrow or short terminal):
    `1 Companies  2 Technologies  3 References   tab next · ? keys`, the current one marked."""

    def __init__(self, current: Kind, *, id: str) -> None:
        super().__init__(id=id)
        self.current = current

    def on_mount(self) -> None:
        self.show_current(self.current)

    def show_current(self, kind: Kind) -> None:
        self.current = kind
        parts: list[Content] = []
        for number, (pane_kind, title) in enumerate(PANES, start=1):
            label = Content(f" {number} {title} ")
            if pane_kind == kind:
                label = label.stylize("bold reverse $accent")
            else:
                label = label.stylize(f"$text-muted @click=screen.pane('{pane_kind}')")
            parts.append(label)
        parts.append(Content("   tab next pane · / filter · ? keys").stylize("$text-muted"))
        self.update(Content("").join(parts))


class MainScreen(HintsUnboundKeys, Screen[None]):
    """Focus moves with set_focus, never Widget.focus(): focus() is deferred, so keys typed quickly after
    "2" or "/" (or pasted) would still reach the widget that had focus before."""

    AUTO_FOCUS = ""  # on_mount focuses the current pane's list, unless a key typed ahead moved focus

    # Every key of the explorer is a priority binding of this screen: it runs when the key arrives, in the
    # order keys arrive, so "2/redis" or "jj<enter>" typed at machine speed (a paste, a macro, tmux) acts
    # exactly as when typed slowly. (Widget bindings run later, when the key bubbles up, and focus may
    # have moved by then.) A focused filter still gets the printable keys: Textual leaves keys that an
    # Input consumes to the Input, so "2", "o" or "j" can be typed into a filter.
    # Every key of the explorer is a priority binding of this screen: it runs when the key arrives, in the
    # order keys arrive, so "2/redis" or "jj<enter>" typed at machine speed (a paste, a macro, tmux) acts
    # exactly as when typed slowly. (Widget bindings run later, when the key bubbles up, and focus may
    # have moved by then.)
    #
    # One keyboard model: on a list (and in the details) every key is a command, and / opens the pane's
    # filter; in a filter every printable key is text (Textual leaves the keys an Input consumes to the
    # Input, priority or not), enter goes back to the list with the filter kept, escape clears it and,
    # when it is empty, goes back to the list. Up and down move the list from the filter too, as in fzf;
    # alt+up and alt+down recall earlier filters.
    BINDINGS = [
        Binding("1", "pane('company')", "Companies", show=False, priority=True, id="main.companies"),
        Binding("2", "pane('technology')", "Technologies", show=False, priority=True, id="main.technologies"),
        Binding("3", "pane('reference')", "References", show=False, priority=True, id="main.references"),
        Binding("tab", "cycle(1)", "Next pane", show=False, priority=True, id="main.next_pane"),
        Binding(
            "shift+tab", "cycle(-1)", "Previous pane", show=False, priority=True, id="main.previous_pane"
        ),
        Binding("j,down", "move(1)", "Down", show=False, priority=True, id="main.down"),
        Binding("k,up", "move(-1)", "Up", show=False, priority=True, id="main.up"),
        Binding("g,home", "end(False)", "First", show=False, priority=True, id="main.first"),
        Binding("G,end", "end(True)", "Last", show=False, priority=True, id="main.last"),
        Binding("pagedown", "page(1)", "Page down", show=False, priority=True, id="main.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, priority=True, id="main.page_up"),
        Binding("enter", "leave_filter", "To the list", priority=True, id="main.leave_filter"),
        Binding("enter", "details", "Details", priority=True, id="main.details"),
        Binding("enter", "follow", "Follow", priority=True, id="main.follow"),
        Binding("slash", "filter", "Filter", priority=True, id="main.filter"),
        Binding("escape", "escape", "Clear filter / back", show=False, priority=True, id="main.escape"),
        Binding("alt+up", "recall(-1)", "Earlier filter", show=False, priority=True, id="main.older_filter"),
        Binding("alt+down", "recall(1)", "Later filter", show=False, priority=True, id="main.newer_filter"),
        Binding("backspace,alt+left", "back", "Back", id="main.back"),
        Binding("alt+right", "forward", "Forward", show=False, priority=True, id="main.forward"),
        Binding("o", "open", "Open", tooltip="Open the link in the browser", priority=True, id="main.open"),
        Binding("O", "open(True)", "Open archived", show=False, priority=True, id="main.open_archived"),
        Binding("y", "copy", "Copy", tooltip="Copy the link", show=False, priority=True, id="main.copy"),
        Binding("space", "mark", "Mark", show=False, priority=True, id="main.mark"),
        Binding("U", "clear_marks", "Clear marks", show=False, priority=True, id="main.clear_marks"),
        Binding("c", "compare", "Compare", priority=True, id="main.compare"),
        Binding("b", "bookmark", "Bookmark", show=False, priority=True, id="main.bookmark"),
        Binding("B", "bookmarks", "Bookmarks", show=False, priority=True, id="main.bookmarks"),
        Binding("n", "note", "Note", show=False, priority=True, id="main.note"),
        Binding("i", "app.show_insight", "Insight", priority=True, id="main.insight"),
    ]
    UNBOUND_HINT = "/ filters this pane, ? lists every key"

    def __init__(
        self,
        index: CatalogIndex,
        user: UserData | None = None,
        config: Config | None = None,
        session: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.index = index
        self.user = user
        self.config = config or Config()
        self.session = session or {}
        self.history = History()
        self._details_next: tuple[Kind, Target | None] | None = None  # the details' next entry, and its pane
        last_pane = self.session.get("pane")
        start = self.config.start_pane or last_pane
        self.current_kind: Kind = start if is_kind(start) else "company"  # (the config checks its own)
        if self.config.details == "below":
            self.add_class("-details-below")
        stats = (len(index.companies), len(index.technologies), len(index.references))
        self.title = clean(index.title)
        self.sub_title = "{} companies · {} technologies · {} references".format(*stats)

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield PaneTabs(self.current_kind, id="pane-tabs")
        with Horizontal(id="body"):
            with Vertical(id="lists"):
                filters = self.session.get("filters", {})
                for number, (kind, title) in enumerate(PANES, start=1):
                    pane = EntryPane(
                        self.index,
                        kind,
                        f"{number} {title}",
                        id=f"{kind}-pane",
                        query=str(filters.get(kind, "")) if isinstance(filters, dict) else "",
                        highlight_matches=self.config.highlight_matches,
                        history=self.user.queries(kind) if self.user else [],
                    )
                    yield pane.set_class(kind == self.current_kind, "-current")
            details = DetailsView(self.index, id="details", user=self.user)
            yield details
        yield Footer(compact=True)

    def on_mount(self) -> None:
        highlighted = self.session.get("highlighted", {})
        if isinstance(highlighted, dict):
            for kind, _title in PANES:
                entry_id = highlighted.get(kind)
                if isinstance(entry_id, str) and self.index.get(kind, entry_id):
                    self.pane(kind).select(entry_id, keep_filter=True)
        shown = Target.from_option_id(str(self.session.get("details", "")))
        if shown is None or self.index.get(shown.kind, shown.id) is None:
            shown = self.pane(self.current_kind).highlighted
        self.details.show(shown)
        if self.focused is None:  # keys typed ahead while starting (e.g. "/") may have moved it already
            self.set_focus(self.pane(self.current_kind).query_one(EntryList))
        if any(self.pane(kind).total > FILTER_INLINE_UP_TO for kind, _title in PANES):
            self.call_after_refresh(self._prepare_search)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        messages.report_failure(self, event)  # (the search's preparation failing must not go unsaid)

    @work(thread=True, group="prepare", exit_on_error=False)
    def _prepare_search(self) -> None:
        """A large catalog's search keys, built after the first frame so the first keystroke finds them."""
        kinds = [self.current_kind, *(k for k, _title in PANES if k != self.current_kind)]
        for kind in kinds:
            self.index.prepare(kind)
        for kind in kinds:  # then what the first typo needs
            self.index.prepare(kind, typos=True)
        for kind in kinds:  # then, while the user is not typing, what makes a word's lines a lookup
            self.index.prepare(kind, words=True, pause=self._after_typing)
        self._after_typing()
        if not get_current_worker().is_cancelled:
            interpreter.settled()  # (what it built, and the references it read, are kept for good)

    def _after_typing(self) -> None:
        """Between pieces of the search's background work: give the app Python's lock, and hold back
        while the user is typing (a keystroke's list waits for the lock as long as the work holds it)."""
        time.sleep(0)
        while explorer(self.app).typing(within=TYPING) and not get_current_worker().is_cancelled:
            time.sleep(TYPING / 4)

    def session_state(self) -> dict[str, Any]:
        """Where the user is, to reopen there next time."""
        highlighted = {}
        for kind, _title in PANES:
            target = self.pane(kind).highlighted
            if target:
                highlighted[kind] = target.id
        return {
            "pane": self.current_kind,
            "filters": {kind: self.pane(kind).query_text for kind, _title in PANES},
            "highlighted": highlighted,
            "details": self.details.subject.option_id() if self.details.subject else "",
        }

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
        self.query_one(PaneTabs).show_current(kind)
        self._show_pane_details(kind)

    def _show_pane_details(self, kind: Kind) -> None:
        pane = self.pane(kind)
        self.details.show(pane.highlighted, nothing=pane.nothing)

    def place(self) -> Place | None:
        """Where the user is, for back and forward: the entry in the details, and the details' cursor."""
        found = self.query(DetailsView)
        if not found:
            return None  # not composed yet (a comparison asked for at launch opens before)
        subject = found.first().subject
        if subject is None:
            return None
        row = self.details.highlighted
        return Place.entry(subject, self.focused is self.details, None if row is None else (row, 0))

    def pointed_entry(self, links: bool = True) -> Entry | None:
        """What o, O, y (links), b and n act on: on a list, its highlighted entry; in the details, the
        entry they show, or for links the reference under the cursor (a reference row is a link of its
        own: the article or the talk)."""
        target: Target | None
        if self.focused is self.details:
            pointed = self.details.pointed
            target = pointed if links and pointed and pointed.kind == "reference" else self.details.subject
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
        if event.widget is not self.focused:
            return  # focus has moved on since (keys typed ahead): the pane it is in now is current
        for pane in event.widget.ancestors_with_self:
            if isinstance(pane, EntryPane):
                if pane.kind != self.current_kind:
                    self._set_current(pane.kind)
                return

    @on(DescendantBlur)
    def _left_a_widget(self, event: DescendantBlur) -> None:
        if isinstance(event.widget, FilterInput):
            for pane in event.widget.ancestors:
                if isinstance(pane, EntryPane):
                    query = pane.remember()
                    if query and self.user:
                        self.user.remember_query(pane.kind, query)
                    return

    @on(EntryPane.Highlighted)
    def _pane_highlighted(self, event: EntryPane.Highlighted) -> None:
        # While the user works in the details, a late filter result must not replace what they read.
        if event.pane.kind == self.current_kind and self.focused is not self.details:
            # After the list's new frame is painted, and once for several moves made before then.
            if self._details_next is None:
                self.call_after_refresh(self._show_details_next)
            self._details_next = (event.pane.kind, event.target)

    def _show_details_next(self) -> None:
        if self._details_next is not None:
            kind, target = self._details_next
            if kind == self.current_kind and self.focused is not self.details:
                self.details.show(target, nothing=self.pane(kind).nothing)
        self._details_next = None

    @on(EntryPane.Chosen)
    def _pane_chosen(self, event: EntryPane.Chosen) -> None:
        self.details.show(event.target)
        self.set_focus(self.details)

    @on(DetailsView.Follow)
    def _details_follow(self, event: DetailsView.Follow) -> None:
        self.post_message(messages.Go(Place.entry(event.target, in_details=True)))

    @on(DetailsView.OpenLink)
    def _details_open(self, event: DetailsView.OpenLink) -> None:
        entry = self.index.get(event.target.kind, event.target.id)
        if entry:
            # The user chose this row: the link itself, even when it was broken at its last check.
            self.post_message(messages.OpenEntry(entry, archived=event.archived, direct=True))

    def go_to(
        self, target: Target, focus_details: bool = False, cursor: tuple[int, int] | None = None
    ) -> None:
        """Show an entry: its pane becomes current with the entry highlighted, and its details (with
        their cursor on the row it was on, when coming back)."""
        pane = self.pane(target.kind)
        pane.select(target.id)
        self._set_current(target.kind)
        self.details.show(target)
        if cursor is not None and cursor[0] < self.details.option_count:
            self.details.highlighted = cursor[0]
            self.details.scroll_to_highlight()
        if focus_details:
            self.set_focus(self.details)
        else:
            self.set_focus(pane.query_one(EntryList))
        self.refresh_bindings()

    # -- actions -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_filter = isinstance(self.focused, FilterInput)
        if action == "end":
            return not in_filter  # home and end move the cursor in the filter
        if action == "recall":
            return in_filter
        if action == "back":  # backspace deletes in the filter (not a priority binding, for that reason)
            return explorer(self.app).can_go_back() or None
        if action == "leave_filter":
            return in_filter
        if action == "details":
            return self.focused is not self.details and not in_filter
        if action == "follow":
            return self.focused is self.details
        if action == "forward":
            return self.history.can_go_forward or None
        return True

    def action_pane(self, kind: Kind) -> None:
        self._set_current(kind)  # first: on a narrow screen this makes the pane visible, so focusable
        self.set_focus(self.pane(kind).query_one(EntryList))

    def action_leave_filter(self) -> None:
        """From a filter back to its list, the filter and the highlighted row kept (a second enter goes
        into the details)."""
        self._catch_up()
        self.set_focus(self.pane(self.current_kind).query_one(EntryList))

    def action_details(self) -> None:
        """On a list: into the highlighted entry's details."""
        self._catch_up()
        target = self.pane(self.current_kind).highlighted
        if target:
            self.details.show(target)
            self.set_focus(self.details)

    def action_follow(self) -> None:
        target = self.details.pointed
        if target is None:  # a row that expands a list, compares or opens a link
            self.details.action_select()
            return
        # At once, not by message: a key typed right after enter acts where it leads (backspace goes back).
        explorer(self.app).go(Place.entry(target, in_details=True))

    def action_filter(self) -> None:
        self.pane(self.current_kind).action_focus_filter()

    def action_cycle(self, step: int) -> None:
        """Companies, Technologies, References, the details, and round again."""
        self._catch_up()
        stops: list[Kind | None] = [kind for kind, _ in PANES] + [None]
        here = stops.index(None if self.focused is self.details else self.current_kind)
        kind = stops[(here + step) % len(stops)]
        if kind is None:
            self.set_focus(self.details)
        else:
            self.action_pane(kind)

    def _list_or_details(self) -> OptionList:
        """What up and down move: the focused list or details, or the list under the focused filter."""
        if isinstance(self.focused, OptionList):
            return self.focused
        return self.pane(self.current_kind).query_one(EntryList)

    def _catch_up(self) -> None:
        """From a filter: first show the results for all that was typed (see FilterInput)."""
        if isinstance(self.focused, FilterInput):
            self.pane(self.current_kind).catch_up()

    def action_move(self, step: int) -> None:
        """Up and down move the list (from its filter too), or the details."""
        self._catch_up()
        target = self._list_or_details()
        target.action_cursor_down() if step > 0 else target.action_cursor_up()

    def action_page(self, step: int) -> None:
        self._catch_up()
        target = self._list_or_details()
        target.action_page_down() if step > 0 else target.action_page_up()

    def action_recall(self, step: int) -> None:
        """In a filter: an earlier (-1) or a later (+1) filter of this pane, as a shell's history."""
        pane = self.pane(self.current_kind)
        if not pane.recall(step) and step < 0:
            messages.say(self, "No earlier filters in this pane.")

    def action_end(self, last: bool) -> None:
        target = self._list_or_details()
        if isinstance(target, EntryList):
            target.jump(last)
        else:
            target.action_last() if last else target.action_first()

    def action_escape(self) -> None:
        """In a filter: clear it, then leave it. On a list: clear its filter, then back. In the
        details: back, then to the list."""
        pane = self.pane(self.current_kind)
        if isinstance(self.focused, FilterInput):
            if not pane.clear_filter():
                self.set_focus(pane.query_one(EntryList))
            return
        if self.focused is not self.details and pane.clear_filter():
            return
        if explorer(self.app).can_go_back():
            self.action_back()
        elif self.focused is self.details:
            self.action_pane(self.current_kind)

    # Back and forward at once, not by message, for the same reason: keys typed ahead act in their order.
    def action_back(self) -> None:
        explorer(self.app).go_back()

    def action_forward(self) -> None:
        explorer(self.app).go_forward()

    def action_open(self, archived: bool = False) -> None:
        archived = archived or (self.focused is self.details and self.details.on_archive_row)
        entry = self.pointed_entry()
        if entry is None:
            self.notify("Nothing is highlighted.", severity="warning")
            return
        self.post_message(messages.OpenEntry(entry, archived=archived))

    def action_mark(self) -> None:
        """Mark the highlighted company for a comparison (and move down, to mark the next quickly)."""
        pane = self.pane(self.current_kind)
        target = pane.highlighted
        if not pane.markable or self.focused is self.details:
            messages.say(self, "Marks are for companies: press 1, then space on each company to compare.")
            return
        if target is None:
            return
        pane.toggle_mark(target.id)
        pane.query_one(EntryList).action_cursor_down()
        if len(pane.marked) == 2 and target.id in pane.marked:
            messages.say(
                self, "Two companies marked: c compares them (mark more for a matrix); U clears the marks."
            )

    def action_clear_marks(self) -> None:
        pane = self.pane("company")
        count = len(pane.marked)
        pane.clear_marks()
        if count:
            messages.say(self, f"Cleared {count} mark{'s' if count != 1 else ''}.")
        else:
            messages.say(self, "No companies are marked (space marks the highlighted one).")

    def company_at_hand(self) -> str | None:
        """The company the user is looking at: the row under the cursor, or the details' subject."""
        candidates = [self.details.pointed, self.details.subject] if self.focused is self.details else []
        candidates += [self.pane(self.current_kind).highlighted, self.details.subject]
        return next((t.id for t in candidates if t and t.kind == "company"), None)

    def action_compare(self) -> None:
        """With two or more companies marked, compare them; otherwise ask what to compare with."""
        marked = self.pane("company").marked
        if len(marked) >= 2:
            self.post_message(messages.Compare(list(marked)))
        else:
            self.post_message(messages.AskCompare(marked[0] if marked else self.company_at_hand()))

    @on(DetailsView.Compare)
    def _details_compare(self, event: DetailsView.Compare) -> None:
        self.post_message(messages.Compare([event.left, event.right]))

    def action_bookmark(self) -> None:
        entry = self.pointed_entry(links=False)
        if entry is None or self.user is None:
            messages.say(self, "Nothing is highlighted.", "warning")
            return
        now = self.user.toggle_bookmark(entry.kind, entry.id)
        name = self.index.label(entry)
        messages.say(
            self, f"Bookmarked {name} (B lists bookmarks)" if now else f"Removed the bookmark on {name}"
        )
        self.details.refresh_subject()

    def action_bookmarks(self) -> None:
        self.post_message(messages.ShowBookmarks())

    def action_note(self) -> None:
        entry = self.pointed_entry(links=False)
        if entry is None or self.user is None:
            messages.say(self, "Nothing is highlighted.", "warning")
            return
        self.post_message(messages.EditNote(entry))

    def action_copy(self) -> None:
        entry = self.pointed_entry()
        if entry is None:
            self.notify("Nothing is highlighted.", severity="warning")
            return
        self.post_message(messages.CopyLink(entry))
