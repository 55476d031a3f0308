"""Where the user is and how they move: every screen that is a place (the explorer's entry, a comparison,
insight) reports it (`place()`), the explorer's History remembers them, and restoring one shows it as
the user left it. Back and forward, from any screen, go through here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App

from hlexplore.app.history import History, Place

if TYPE_CHECKING:
    from hlexplore.app.screens.main import MainScreen
    from hlexplore.index import CatalogIndex
    from hlexplore.links.store import LinkHealth


class Navigator:
    def __init__(
        self, app: App[Any], main: MainScreen, index: CatalogIndex, links: LinkHealth | None, this_year: int
    ) -> None:
        self.app, self.main, self.index, self.links = app, main, index, links
        self.this_year = this_year  # what the insight view counts stale from

    @property
    def history(self) -> History:
        return self.main.history

    def here(self) -> Place | None:
        """Where the user is: the place of the topmost screen that is one (dialogs are not)."""
        for screen in reversed(self.app.screen_stack):
            place = getattr(screen, "place", None)
            if callable(place):
                found = place()
                return found if isinstance(found, Place) else None
        return None

    def navigate(self, place: Place) -> None:
        """Go to a place from where the user is, remembering both (back returns here)."""
        self.history.visit(place, came_from=self.here())
        self.restore(place)

    def restore(self, place: Place) -> None:
        """Show a place as the user left it: its screen, its entry, its cursor."""
        from hlexplore.app.screens.compare import CompareScreen
        from hlexplore.app.screens.insight import InsightScreen

        app, main = self.app, self.main
        self.to_main()
        if place.screen == "explorer" and place.target is not None:
            main.go_to(place.target, focus_details=place.in_details, cursor=place.cursor)
        elif place.screen == "compare":
            app.clear_notifications()
            app.push_screen(CompareScreen(self.index, list(place.companies), place))
        elif place.screen == "insight":
            app.push_screen(InsightScreen(self.index, self.this_year, self.links, place))
        main.refresh_bindings()

    def to_main(self) -> None:
        """Close every screen in front of the explorer's."""
        while self.app.screen is not self.main:
            self.app.pop_screen()

    def can_go_back(self) -> bool:
        return self.history.can_go_back_from(self.here())

    def back(self) -> bool:
        """Back to the place before; False if there is none."""
        return self._go(self.history.back(self.here()))

    def forward(self) -> bool:
        return self._go(self.history.forward(self.here()))

    def _go(self, place: Place | None) -> bool:
        if place is not None:
            self.restore(place)
        return place is not None
