"""The explorer application: screens, palette, and how links leave it."""

from __future__ import annotations

from collections.abc import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from hlexplore.app.links import graphical_browser_available, launch_browser, plan_open
from hlexplore.app.providers import EntryCommands, LinkCommands
from hlexplore.app.screens.main import PANES, MainScreen
from hlexplore.app.targets import Target
from hlexplore.catalog.models import Entry
from hlexplore.index import CatalogIndex
from hlexplore.text import clean


class HLExploreApp(App[None]):
    CSS_PATH = "explorer.tcss"
    COMMANDS = App.COMMANDS | {EntryCommands, LinkCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.interrupt"),
    ]

    def __init__(self, index: CatalogIndex, compare: list[str] | None = None) -> None:
        super().__init__()
        self.index = index
        self.title = clean(index.title)
        self.start_with_comparison = compare

    def on_mount(self) -> None:
        if self.start_with_comparison:
            self.compare(self.start_with_comparison)

    def get_default_screen(self) -> Screen:
        return MainScreen(self.index)

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    # -- navigation from anywhere --------------------------------------------------------------------

    def visit(self, target: Target) -> None:
        while self.screen is not self.main:
            self.pop_screen()
        self.main.visit(target)

    # -- comparisons -----------------------------------------------------------------------------------

    def compare(self, company_ids: list[str]) -> None:
        """Open the comparison of these companies; escape comes back here."""
        from hlexplore.app.screens.compare import CompareScreen

        self.clear_notifications()
        self.push_screen(CompareScreen(self.index, company_ids))

    def ask_compare(self, left: str | None) -> None:
        """Pick the company to compare with `left`; with no left, pick both, one after the other."""
        from hlexplore.app.screens.picker import CompanyPicker

        if left is None:
            self.push_screen(CompanyPicker(self.index, "Compare which company?"), self.ask_compare)
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
        # Screens other than the main one are imported when first used: less to load before the first frame.
        from hlexplore.app.screens.compare import CompareScreen
        from hlexplore.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        main = self.main
        places: list[tuple[str, DOMNode]] = [("main screen", main)]
        if isinstance(self.screen, CompareScreen):
            places.insert(0, ("comparison", self.screen))
        else:
            places.append(("comparison", CompareScreen(self.index, [])))
        places.append(("everywhere", self))
        self.push_screen(HelpScreen(places))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        for kind, title in PANES:
            yield SystemCommand(f"Show {title}", f"Switch to the {title} pane", lambda k=kind: self._pane(k))
        yield SystemCommand("Keys", "Every key, where it works, and its keymap id", self.action_help)
        yield SystemCommand(
            "Compare…",
            "Compare the marked companies, or the highlighted company with one you pick",
            self._compare_command,
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

    def say(self, message: str, severity: str = "information", timeout: float | None = None) -> None:
        """Notify with catalog text as plain text: never markup."""
        self.notify(clean(message), severity=severity, markup=False, timeout=timeout)  # type: ignore[arg-type]

    def open_entry(self, entry: Entry, archived: bool = False) -> None:
        plan = plan_open(entry, archived=archived)
        if plan.refused:
            self.say(f"Not opened: {plan.refused}.", "error")
            return
        if self.is_web:
            self.open_url(plan.url)
            return
        if not graphical_browser_available():
            self.say(
                f"No browser here (no $BROWSER and no display). Press y to copy the link:\n{plan.url}",
                "warning",
                timeout=10,
            )
            return
        if plan.note:
            self.say(f"Opening {plan.note}: {plan.url}")
        else:
            self.say(f"Opening {plan.url}")
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
            self.say(f"Not copied: {plan.refused}.", "warning")
            return
        self.copy_to_clipboard(plan.url)
        self.say(f"Copied {plan.url}\n(through the terminal: OSC 52)")
