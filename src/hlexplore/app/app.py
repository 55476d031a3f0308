"""The explorer application: screens, palette, and how links leave it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import date
from typing import Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker

from hlexplore import interpreter
from hlexplore.app import messages
from hlexplore.app.config_check import explorer_problems
from hlexplore.app.history import Place
from hlexplore.app.keymap import binding_ids, keyed_places
from hlexplore.app.links import (
    graphical_browser_available,
    launch_browser,
    link_name,
    plan_open,
    plan_sentence,
)
from hlexplore.app.providers import EntryCommands, LinkCommands
from hlexplore.app.screens.main import PANES, MainScreen
from hlexplore.app.signals import end_on_signals
from hlexplore.app.targets import Target
from hlexplore.app.workarounds import install as install_workarounds
from hlexplore.catalog.models import Entry
from hlexplore.index import CatalogIndex
from hlexplore.links.store import LinkHealth, health_of
from hlexplore.text import clean
from hlexplore.user.config import Config, set_value
from hlexplore.user.data import NOTE_LIMIT, UserData, split_key

install_workarounds()


class HLExploreApp(App[None]):
    CSS_PATH = "explorer.tcss"
    COMMANDS = App.COMMANDS | {EntryCommands, LinkCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.interrupt"),
    ]

    def __init__(
        self,
        index: CatalogIndex,
        compare: list[str] | None = None,
        user: UserData | None = None,
        config: Config | None = None,
        fresh: bool = False,
        catalog_messages: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.index = index
        self.last_input = 0.0  # when the user last pressed a key or used the mouse (time.monotonic)
        self.title = clean(index.title)
        self.start_with_comparison = compare
        self.user = user
        self.config = config or Config()
        self.fresh = fresh
        # read when first needed (by then, what is wrong with the file is told as it happens)
        self.links = LinkHealth(user.paths.links_file, self.tell_about_files) if user else None
        self.this_year = date.today().year  # what the insight view counts stale from
        self._warnings: list[str] = [
            *(catalog_messages or []),
            *self.config.problems,
            *(user.warnings if user else []),
        ]
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if user:
            for name, note in user.notes.items():
                found = split_key(name)
                if found:
                    index.annotate(found[0], found[1], [note])  # type: ignore[arg-type]

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def typing(self, within: float) -> bool:
        """Whether the user pressed a key or used the mouse in the last `within` seconds."""
        return time.monotonic() - self.last_input < within

    def on_mount(self) -> None:
        interpreter.share_the_lock_often()  # (workers prepare the search while the user types)
        interpreter.explorer_started()
        end_on_signals(self, self._end_by_signal)  # as q does: where the user was is saved
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self._warnings += explorer_problems(self.config, self.available_themes, self.binding_ids())
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        if self.user:
            self.user.listen(self.tell_about_files)
        for warning in self._warnings:
            self.say(warning, "warning", timeout=20)
        if self.start_with_comparison:
            self.compare(self.start_with_comparison)

    def binding_ids(self) -> set[str]:
        """Every binding id a keymap can name, on every screen of the explorer."""
        return binding_ids(type(self))

    def _theme_chosen(self, theme: Theme) -> None:
        """A theme chosen in the app is kept in the user's config file (the other lines are left alone)."""
        if self.user is None or theme.name == (self.config.theme or "textual-dark"):
            return
        path = self.user.paths.config_file
        try:
            set_value(path, "theme", theme.name)
        except (OSError, ValueError) as error:
            self.say(f"The theme was not saved in {path}: {error}", "warning", timeout=10)
            return
        self.config.theme = theme.name

    def _end_by_signal(self, number: int) -> None:
        self.save_session()
        self.exit(return_code=128 + number)

    async def action_quit(self) -> None:
        self.save_session()
        await super().action_quit()

    def save_session(self) -> None:
        if self.user is None:
            return
        self.user.save_session(self.main.session_state())

    def get_default_screen(self) -> Screen[Any]:
        session = {} if self.fresh or self.user is None else self.user.session
        return MainScreen(self.index, self.user, self.config, session)

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    # -- navigation from anywhere: places, back and forward -------------------------------------------

    def here(self) -> Place | None:
        """Where the user is: the place of the topmost screen that is one (dialogs are not)."""
        for screen in reversed(self.screen_stack):
            place = getattr(screen, "place", None)
            if callable(place):
                found = place()
                return found if isinstance(found, Place) else None
        return None

    def navigate(self, place: Place) -> None:
        """Go to a place from where the user is, remembering both (back returns here)."""
        self.main.history.visit(place, came_from=self.here())
        self.restore(place)

    def restore(self, place: Place) -> None:
        """Show a place as the user left it: its screen, its entry, its cursor."""
        from hlexplore.app.screens.compare import CompareScreen
        from hlexplore.app.screens.insight import InsightScreen

        while self.screen is not self.main:
            self.pop_screen()
        if place.screen == "explorer" and place.target is not None:
            self.main.go_to(place.target, focus_details=place.in_details, cursor=place.cursor)
        elif place.screen == "compare":
            self.clear_notifications()
            self.push_screen(CompareScreen(self.index, list(place.companies), place))
        elif place.screen == "insight":
            self.push_screen(InsightScreen(self.index, self.this_year, self.links, place))
        self.main.refresh_bindings()

    def can_go_back(self) -> bool:
        return self.main.history.can_go_back_from(self.here())

    def go_back(self) -> bool:
        """Back to the place before; False if there is none."""
        return self._go(self.main.history.back(self.here()))

    def action_go_forward(self) -> None:
        self.go_forward()

    def go_forward(self) -> bool:
        return self._go(self.main.history.forward(self.here()))

    def _go(self, place: Place | None) -> bool:
        if place is not None:
            self.restore(place)
        return place is not None

    def visit(self, target: Target) -> None:
        """Go to an entry in the explorer, from wherever the user is."""
        self.navigate(Place.entry(target))

    # -- the user's own ------------------------------------------------------------------------------

    def show_bookmarks(self) -> None:
        from hlexplore.app.screens.bookmarks import BookmarksScreen

        if self.user is None or isinstance(self.screen, BookmarksScreen):
            return
        self.push_screen(BookmarksScreen(self.index, self.user))

    def action_show_insight(self) -> None:
        self.show_insight()

    def show_insight(self) -> None:
        from hlexplore.app.screens.insight import InsightScreen

        if not isinstance(self.screen, InsightScreen):
            self.navigate(Place("insight"))

    def check_links(self) -> None:
        """Check every link now (the only way the explorer touches the network: the user asks)."""
        from hlexplore.app.screens.linkcheck import LinkCheckScreen

        if self.links is None:
            self.say("Link health is kept with your data, which this session does not use.", "warning")
            return
        if not isinstance(self.screen, LinkCheckScreen):
            self.push_screen(LinkCheckScreen(self.index.catalog, self.links))

    def edit_note(self, entry: Entry) -> None:
        from hlexplore.app.screens.note import NoteDialog

        if self.user is None:
            return
        user = self.user

        def save(text: str | None) -> None:
            if text is None:
                return
            saved = user.set_note(entry.kind, entry.id, text)  # (when it is not, the store says why)
            self.index.annotate(entry.kind, entry.id, [user.note(entry.kind, entry.id)])
            self.main.details.refresh_subject()
            if not saved:
                return
            if len(text.strip()) > NOTE_LIMIT:
                self.say(f"Note saved, cut to its first {NOTE_LIMIT:,} characters", "warning")
            else:
                self.say("Note saved" if text.strip() else "Note removed")

        title = f"Note on {self.index.label(entry)}"
        self.push_screen(NoteDialog(title, user.note(entry.kind, entry.id)), save)

    # -- comparisons -----------------------------------------------------------------------------------

    def compare(self, company_ids: list[str]) -> None:
        """Open the comparison of these companies; escape (back) comes back here."""
        self.navigate(Place("compare", companies=tuple(company_ids)))

    def ask_compare(self, left: str | None) -> None:
        """Pick the company to compare with `left`; with no left, pick both, one after the other.
        Escape in either picker cancels the whole question."""
        from hlexplore.app.screens.picker import CompanyPicker

        if left is None:

            def first(chosen: str | None) -> None:
                if chosen:
                    self.ask_compare(chosen)

            self.push_screen(CompanyPicker(self.index, "Compare which company?"), first)
            return
        name = self.index.companies[left].name

        def chosen(right: str | None) -> None:
            if right:
                self.compare([left, right])

        self.push_screen(CompanyPicker(self.index, f"Compare {clean(name)} with…", other=left), chosen)

    def _compare_command(self) -> None:
        while self.screen is not self.main:
            self.pop_screen()
        self.main.action_compare()

    def action_help(self) -> None:
        from hlexplore.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        places = [*keyed_places(), ("everywhere", type(self))]
        here = next((p for p in places if type(self.screen) is p[1]), None)  # the screen in front first
        if here is not None:
            places.remove(here)
            places.insert(0, here)
        self.push_screen(HelpScreen(places))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's own "Keys" (its key panel) would stand beside ours: one entry, ours, lists every key.
        yield from (command for command in super().get_system_commands(screen) if command.title != "Keys")
        main = self.main
        for kind, title in PANES:
            yield SystemCommand(f"Show {title}", f"Switch to the {title} pane", lambda k=kind: self._pane(k))
        yield SystemCommand("Keys", "Every key, where it works, and its keymap id", self.action_help)
        yield SystemCommand(
            "Bookmarks", "Everything you bookmarked (b bookmarks the highlighted entry)", self.show_bookmarks
        )
        yield SystemCommand(
            "Bookmark", "Bookmark the highlighted entry, or remove its bookmark", main.action_bookmark
        )
        yield SystemCommand(
            "Note…",
            "Write a note on the highlighted entry (shown in its details, searchable)",
            main.action_note,
        )
        yield SystemCommand(
            "Compare…",
            "Compare the marked companies, or the highlighted company with one you pick",
            self._compare_command,
        )
        yield SystemCommand(
            "Insight",
            "The catalog at a glance: most used, stacks by category, used together, time, health (i)",
            self.show_insight,
        )
        yield SystemCommand(
            "Check links",
            "Check every link of the catalog now (uses the network; escape cancels)",
            self.check_links,
        )
        yield SystemCommand("Back", "Go back to the previous entry", main.action_back)
        yield SystemCommand("Forward", "Go forward again", main.action_forward)
        yield SystemCommand("Open link", "Open the highlighted entry's link in the browser", main.action_open)
        yield SystemCommand(
            "Open archived copy",
            "Open the Wayback Machine's copies of the highlighted entry's link",
            lambda: main.action_open(archived=True),
        )
        yield SystemCommand(
            "Copy link", "Copy the highlighted entry's link to the clipboard", main.action_copy
        )

    def _pane(self, kind: str) -> None:
        while self.screen is not self.main:
            self.pop_screen()
        self.main.action_pane(kind)  # type: ignore[arg-type]

    # -- links ---------------------------------------------------------------------------------------

    def tell_about_files(self, message: str) -> None:
        """What went wrong with one of the user's files (a save that failed, a file set aside), from any
        thread."""
        if threading.get_ident() == self._thread_id:
            self.say(message, "warning", timeout=15)
        else:
            self.call_from_thread(self.say, message, "warning", 15)

    def say(
        self, message: str, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """Notify with catalog text as plain text: never markup."""
        self.notify(clean(message), severity=severity, markup=False, timeout=timeout)

    # -- what screens ask for (app/messages.py) ---------------------------------------------------------

    @on(Worker.StateChanged)
    def _own_worker_changed(self, event: Worker.StateChanged) -> None:
        messages.report_failure(self, event)

    @on(messages.Failed)
    def _failed(self, message: messages.Failed) -> None:
        """A background job that failed is said, never lost silently; the explorer goes on."""
        error = message.error
        self.say(
            f"Something went wrong in {message.job}: {type(error).__name__}: {error}", "error", timeout=20
        )

    @on(messages.Go)
    def _go_to(self, message: messages.Go) -> None:
        self.navigate(message.place)

    @on(messages.Visit)
    def _visit(self, message: messages.Visit) -> None:
        self.visit(message.target)

    @on(messages.Back)
    def _back(self) -> None:
        self.go_back()

    @on(messages.Forward)
    def _forward(self) -> None:
        self.go_forward()

    @on(messages.OpenEntry)
    def _open(self, message: messages.OpenEntry) -> None:
        self.open_entry(message.entry, archived=message.archived, direct=message.direct)

    @on(messages.CopyLink)
    def _copy(self, message: messages.CopyLink) -> None:
        self.copy_entry_link(message.entry)

    @on(messages.Compare)
    def _compare(self, message: messages.Compare) -> None:
        self.compare(message.companies)

    @on(messages.AskCompare)
    def _ask_compare(self, message: messages.AskCompare) -> None:
        self.ask_compare(message.left)

    @on(messages.ShowBookmarks)
    def _show_bookmarks(self) -> None:
        self.show_bookmarks()

    @on(messages.UserDataChanged)
    def _user_data_changed(self) -> None:
        self.main.details.refresh_subject()

    @on(messages.EditNote)
    def _edit_note(self, message: messages.EditNote) -> None:
        self.edit_note(message.entry)

    def open_entry(self, entry: Entry, archived: bool = False, direct: bool = False) -> None:
        check = health_of(entry, self.links) if self.links and not direct else None
        plan = plan_open(entry, archived=archived, health=check)
        if plan.refused:
            self.say(f"Not opened: {link_name(entry)} was not opened because {plan.refused}.", "error")
            return
        if self.is_web:
            self.open_url(plan.url)
            return
        if not graphical_browser_available():
            self.say(
                f"No browser here (no $BROWSER and no display), so {link_name(entry)} was not opened; "
                f"y copies it: {plan.url}",
                "warning",
                timeout=10,
            )
            return
        self.say(plan_sentence(entry, plan))
        self._open_in_background(plan.url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_in_background(self, url: str) -> None:
        if not launch_browser(url):
            self.call_from_thread(
                self.say, f"The browser could not be started. Press y to copy the link:\n{url}", "warning", 10
            )

    def copy_entry_link(self, entry: Entry) -> None:
        plan = plan_open(entry)
        if plan.refused:
            self.say(f"Not copied: {link_name(entry)} was not copied because {plan.refused}.", "warning")
            return
        self.copy_to_clipboard(plan.url)
        self.say(plan_sentence(entry, plan, "Copied") + " (through the terminal: OSC 52)")
