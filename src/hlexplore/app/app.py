"""The explorer application: its screens, what they ask of it (app/messages.py), and the user's session.

What it does is elsewhere: moving between places (navigation.py), opening links (links.py), the palette
(providers.py), notes (screens/note.py), picking companies to compare (screens/picker.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import date
from functools import cached_property
from typing import Any

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker

from hlexplore import interpreter
from hlexplore.app import links, messages
from hlexplore.app.config_check import explorer_problems
from hlexplore.app.history import Place
from hlexplore.app.keymap import binding_ids, keyed_places
from hlexplore.app.navigation import Navigator
from hlexplore.app.providers import EntryCommands, LinkCommands, system_commands
from hlexplore.app.screens.main import MainScreen
from hlexplore.app.signals import end_on_signals
from hlexplore.app.targets import Target
from hlexplore.app.workarounds import install as install_workarounds
from hlexplore.index import CatalogIndex
from hlexplore.links.store import LinkHealth, health_of
from hlexplore.text import clean
from hlexplore.user.config import Config, set_value
from hlexplore.user.data import UserData, split_key

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
        self._warnings = [*(catalog_messages or []), *self.config.problems, *(user.warnings if user else [])]
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        for name, note in user.notes.items() if user else ():
            if found := split_key(name):
                index.annotate(*found, [note])

    def get_default_screen(self) -> Screen[Any]:
        session = {} if self.fresh or self.user is None else self.user.session
        return MainScreen(self.index, self.user, self.config, session)

    def on_mount(self) -> None:
        interpreter.share_the_lock_often()  # (workers prepare the search while the user types)
        interpreter.explorer_started()
        end_on_signals(self, self._end_by_signal)  # as q does: where the user was is saved
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self._warnings += explorer_problems(self.config, self.available_themes, binding_ids(type(self)))
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        if self.user:
            self.user.listen(self.tell_about_files)
        for warning in self._warnings:
            self.say(warning, "warning", timeout=20)
        if self.start_with_comparison:
            self.navigator.navigate(Place("compare", companies=tuple(self.start_with_comparison)))

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    @cached_property
    def navigator(self) -> Navigator:
        return Navigator(self, self.main, self.index, self.links, self.this_year)

    # -- what screens ask at once (messages.Explorer) --------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def typing(self, within: float) -> bool:
        """Whether the user pressed a key or used the mouse in the last `within` seconds."""
        return time.monotonic() - self.last_input < within

    def can_go_back(self) -> bool:
        return self.navigator.can_go_back()

    def go_back(self) -> bool:
        """Back to the place before; False if there is none."""
        return self.navigator.back()

    def go_forward(self) -> bool:
        return self.navigator.forward()

    def action_go_forward(self) -> None:
        self.go_forward()

    def go(self, place: Place) -> None:
        """Go to a place from where the user is (back returns there)."""
        self.navigator.navigate(place)

    def visit(self, target: Target) -> None:
        """Go to an entry in the explorer, from wherever the user is."""
        self.navigator.navigate(Place.entry(target))

    # -- what screens ask by message ---------------------------------------------------------------------

    @on(messages.Go)
    def _go_to(self, message: messages.Go) -> None:
        self.navigator.navigate(message.place)

    @on(messages.Visit)
    def _visit(self, message: messages.Visit) -> None:
        self.visit(message.target)

    @on(messages.Compare)
    def _compare(self, message: messages.Compare) -> None:
        self.navigator.navigate(Place("compare", companies=tuple(message.companies)))

    @on(messages.AskCompare)
    def _ask_compare(self, message: messages.AskCompare) -> None:
        from hlexplore.app.screens.picker import ask_compare

        ask_compare(self, self.index, message.left)

    @on(messages.ShowInsight)
    def action_show_insight(self) -> None:
        from hlexplore.app.screens.insight import InsightScreen

        if not isinstance(self.screen, InsightScreen):
            self.navigator.navigate(Place("insight"))

    @on(messages.ShowBookmarks)
    def _show_bookmarks(self) -> None:
        from hlexplore.app.screens.bookmarks import BookmarksScreen

        if self.user is not None and not isinstance(self.screen, BookmarksScreen):
            self.push_screen(BookmarksScreen(self.index, self.user))

    @on(messages.EditNote)
    def _edit_note(self, message: messages.EditNote) -> None:
        from hlexplore.app.screens.note import edit_note

        if self.user is not None:
            edit_note(self, self.index, self.user, message.entry)

    @on(messages.UserDataChanged)
    def _user_data_changed(self) -> None:
        self.main.details.refresh_subject()

    @on(messages.OpenEntry)
    def _open(self, message: messages.OpenEntry) -> None:
        checked = None if message.direct else self.links  # (enter on the link row opens it even if broken)
        health = health_of(message.entry, checked) if checked is not None else None
        links.open_entry(self, message.entry, archived=message.archived, health=health)

    @on(messages.CopyLink)
    def _copy(self, message: messages.CopyLink) -> None:
        links.copy_entry_link(self, message.entry)

    @on(messages.CheckLinks)
    def _check_links(self) -> None:
        """Check every link now (the only way the explorer touches the network: the user asks)."""
        from hlexplore.app.screens.linkcheck import LinkCheckScreen

        if self.links is None:
            self.say("Link health is kept with your data, which this session does not use.", "warning")
        elif not isinstance(self.screen, LinkCheckScreen):
            self.push_screen(LinkCheckScreen(self.index.catalog, self.links))

    @on(messages.ShowHelp)
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
        yield from (command for command in super().get_system_commands(screen) if command.title != "Keys")
        yield from system_commands(self.navigator)

    # -- saying things, and failures -------------------------------------------------------------------

    def say(
        self, message: str, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """Notify with catalog text as plain text: never markup."""
        messages.say(self, message, severity, timeout)

    def tell_about_files(self, message: str) -> None:
        """What went wrong with one of the user's files (a save that failed, a file set aside), from any
        thread."""
        if threading.get_ident() == self._thread_id:
            self.say(message, "warning", timeout=15)
        else:
            self.call_from_thread(self.say, message, "warning", 15)

    @on(Worker.StateChanged)
    def _own_worker_changed(self, event: Worker.StateChanged) -> None:
        messages.report_failure(self, event)

    @on(messages.Failed)
    def _failed(self, message: messages.Failed) -> None:
        """A background job that failed is said, never lost silently; the explorer goes on."""
        error = message.error
        self.say(f"Something went wrong in {message.job}: {type(error).__name__}: {error}", "error", 20)

    # -- the session and preferences -------------------------------------------------------------------

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
        if self.user is not None:
            self.user.save_session(self.main.session_state())
