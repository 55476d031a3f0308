"""How long each view takes to open, in the explorer, as a user opens it (Pilot at 120×40, the keys a user
presses): from the key to the first frame painted once the view shows what it is for, timed once the
explorer is idle (the search prepared after the first frame).

Views: a company's details, the most used technology's details (the heaviest details there are), a
comparison of two companies, a matrix of ten, the bookmarks, the help, and the Insight screen's first
view and each other view. "Similar companies" are part of a company's details and "often used with" of a
technology's (in a large catalog the details offer it on enter: that is timed too), so both are covered.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import hlexplore.app  # noqa: F401  first, as when `hlexplore` runs: it sets Textual's frame rate

# isort: split
from textual._time import get_time
from textual.pilot import Pilot

from hlexplore.app.app import HLExploreApp
from hlexplore.app.factory import make_app
from hlexplore.app.targets import Target
from hlexplore.catalog.merge import Loaded
from hlexplore.user.paths import UserPaths

WAIT = 60.0  # seconds a view may take before the benchmark gives up on it


class _Frames:
    """The first frame the app hands its driver once a view is shown (asked in the frame itself: Pilot's
    press returns only when the app is idle, which can be long after the view was painted)."""

    def __init__(self) -> None:
        self.waiting: Callable[[HLExploreApp], bool] | None = None
        self.hit: float | None = None

    def install(self) -> None:
        frames, display = self, HLExploreApp._display

        def _display(app, screen, renderable):  # type: ignore[no-untyped-def]
            display(app, screen, renderable)
            if renderable is not None and frames.waiting is not None and frames.waiting(app):
                frames.hit, frames.waiting = get_time(), None

        HLExploreApp._display = _display  # type: ignore[method-assign]


async def _timed(
    pilot: Pilot[Any], frames: _Frames, keys: tuple[str, ...], shown: Callable[[HLExploreApp], bool]
) -> float:
    """Milliseconds from pressing keys to the first frame painted with shown(app) true."""
    app = pilot.app
    assert isinstance(app, HLExploreApp)
    frames.waiting, frames.hit = shown, None
    started = get_time()
    await pilot.press(*keys)
    deadline = time.monotonic() + WAIT
    while frames.hit is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{keys}: the view did not show in {WAIT:.0f} s")
        if shown(app):
            app.screen.refresh()  # (shown since the last frame: the next frame counts)
        await pilot.pause(0.005)
    return (frames.hit - started) * 1000


def _subject(app: HLExploreApp) -> Any:
    from hlexplore.app.screens.main import MainScreen

    screen = app.screen
    return screen.details.subject if isinstance(screen, MainScreen) else None


def _screen(name: str) -> Callable[[HLExploreApp], bool]:
    return lambda app: type(app.screen).__name__ == name


async def _views(app: HLExploreApp) -> dict[str, float]:
    from hlexplore.app.screens.main import MainScreen

    frames = _Frames()
    frames.install()
    found: dict[str, float] = {}
    index = app.index
    companies = index.entries("company")
    most_used = index.entries("technology")[0]
    async with app.run_test(size=(120, 40)) as pilot:
        # The views are timed once the explorer is idle: after the first frame, workers prepare the search
        # (at 100,000 companies, for several seconds), and what a view costs is what it costs then.
        # (The preparation is a worker started after the first refresh: wait for it to start, then to end.)
        from hlexplore.app.widgets.entry_pane import FILTER_INLINE_UP_TO

        kinds = ("company", "technology", "reference")
        large = any(len(index.entries(kind)) > FILTER_INLINE_UP_TO for kind in kinds)
        deadline = time.monotonic() + WAIT
        while large and not any(w.group == "prepare" for w in app.workers):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the search's preparation did not start in {WAIT:.0f} s")
            await pilot.pause(0.02)
        while any(worker.is_running or worker.group == "prepare" for worker in app.workers):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the explorer was not idle in {WAIT:.0f} s")
            await pilot.pause(0.1)
        await pilot.pause(0.2)

        async def time_it(name: str, keys: tuple[str, ...], shown: Callable[[HLExploreApp], bool]) -> None:
            found[name] = await _timed(pilot, frames, keys, shown)

        second = Target("company", companies[1].id)
        await pilot.press("1")  # the companies' pane
        await pilot.pause()
        await time_it("company_details_ms", ("j",), lambda a: _subject(a) == second)
        most = Target("technology", most_used.id)
        await time_it("most_used_technology_details_ms", ("2",), lambda a: _subject(a) == most)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        details = screen.details

        def deferred() -> int | None:  # the row that offers "often used with" on enter, in a large catalog
            ids = (details.get_option_at_index(i).id or "" for i in range(details.option_count))
            return next((i for i, found in enumerate(ids) if found.startswith("expand:")), None)

        offered = deferred()
        if offered is None:
            found["often_used_with_ms"] = found["most_used_technology_details_ms"]  # (part of the details)
        else:
            await pilot.press("enter")  # into the details
            await pilot.pause()
            details.highlighted = deferred()
            await pilot.pause()
            await time_it("often_used_with_ms", ("enter",), lambda _app: deferred() is None)
        await pilot.press("escape", "1", "g")
        await pilot.pause()
        await pilot.press("space", "j", "space")  # two companies marked
        await pilot.pause()
        await time_it("compare_ms", ("c",), _screen("CompareScreen"))
        await pilot.press("escape", "U")
        for _ in range(10):
            await pilot.press("space", "j")
        await time_it("matrix_of_10_ms", ("c",), _screen("CompareScreen"))
        await pilot.press("escape", "U")
        await time_it("bookmarks_ms", ("B",), _screen("BookmarksScreen"))
        await pilot.press("escape")
        await time_it("help_ms", ("question_mark",), _screen("HelpScreen"))
        await pilot.press("escape")
        await time_it("insight_first_view_ms", ("i",), _insight_view(0))
        for number in range(1, 5):
            await time_it(f"insight_view_{number + 1}_ms", (str(number + 1),), _insight_view(number))
    return found


def _insight_view(number: int) -> Callable[[HLExploreApp], bool]:
    def shown(app: HLExploreApp) -> bool:
        from hlexplore.app.screens.insight import VIEWS, InsightScreen

        screen = app.screen
        if not isinstance(screen, InsightScreen) or not screen.is_mounted:
            return False
        from textual.widgets import TabbedContent

        return screen.query_one(TabbedContent).active == VIEWS[number] and screen.is_built(number)

    return shown


def measure(loaded: Loaded) -> dict[str, float]:
    """Each view's opening time in milliseconds, in an explorer with empty user directories."""
    with tempfile.TemporaryDirectory() as home:
        root = Path(home)
        paths = UserPaths(root / "c", root / "d", root / "s", root / "x")
        app = make_app(loaded.catalog, paths=paths, fresh=True, loaded=loaded)
        run: Callable[[], Awaitable[dict[str, float]]] = lambda: _views(app)  # noqa: E731
        return asyncio.run(run())
