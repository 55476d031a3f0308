"""Keystroke to repainted list, measured inside the app while Pilot types queries into each pane.

For every key typed into a filter: from the moment the key event was created to the first frame the
app hands to its driver after the list for the new query was put in place. Pilot's own pauses between
keys are not counted.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import hlexplore.app  # noqa: F401  first, as when `hlexplore` runs: it sets Textual's frame rate

# isort: split
from textual import events
from textual._time import get_time

from hlexplore.app.app import HLExploreApp
from hlexplore.app.factory import make_app
from hlexplore.app.widgets.entry_pane import EntryPane
from hlexplore.catalog.loader import bundled_catalog_path, load_catalog
from hlexplore.catalog.models import Catalog
from hlexplore.user.paths import UserPaths

QUERIES = {
    "1": ["instagram", "pinterest", "lezhin", "stack exchange"],
    "2": ["memcached", "redis", "amazon web", "^my", "cassandra"],
    "3": ["tumblr", "scaling", "architecture", "facebook chat"],
}


class Recorder:
    """Times of key events, of lists shown for a query, and of frames painted."""

    def __init__(self) -> None:
        self.key_time = 0.0
        self.shown_at: float | None = None
        self.latencies: list[float] = []

    def install(self, app: HLExploreApp) -> None:
        recorder = self
        show, display, on_event = EntryPane._show, HLExploreApp._display, app.on_event

        def _show(pane, query, results):  # type: ignore[no-untyped-def]
            show(pane, query, results)
            if query == pane.query_text and recorder.shown_at is None:
                recorder.shown_at = get_time()

        def _display(self, screen, renderable):  # type: ignore[no-untyped-def]
            display(self, screen, renderable)
            if renderable is not None and recorder.shown_at is not None and recorder.key_time:
                recorder.latencies.append(get_time() - recorder.key_time)
                recorder.key_time = 0.0

        async def _on_event(event):  # type: ignore[no-untyped-def]
            if isinstance(event, events.Key) and event.is_printable and event.character not in "123/":
                recorder.key_time, recorder.shown_at = event.time, None
            return await on_event(event)

        EntryPane._show = _show  # type: ignore[method-assign]
        HLExploreApp._display = _display  # type: ignore[method-assign]
        app.on_event = _on_event  # type: ignore[method-assign]


async def _type(catalog: Catalog, rounds: int, queries: dict[str, list[str]]) -> list[float]:
    with tempfile.TemporaryDirectory() as home:  # empty user directories: nobody's own settings
        root = Path(home)
        return await _type_in(
            make_app(catalog, paths=UserPaths(root / "c", root / "d", root / "s", root / "x"), fresh=True),
            rounds,
            queries,
        )


async def _type_in(app: HLExploreApp, rounds: int, queries: dict[str, list[str]]) -> list[float]:
    recorder = Recorder()
    recorder.install(app)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(rounds):
            for pane, pane_queries in queries.items():
                await pilot.press(pane)
                for query in pane_queries:
                    await pilot.press("slash")
                    for character in query:
                        await pilot.press(character)
                        await app.workers.wait_for_complete()
                        await pilot.pause()
                    await pilot.press("escape", "escape")  # clear the filter, then leave it
                    await pilot.pause()
    return recorder.latencies


def measure(rounds: int, catalog: Catalog | None = None, quick: bool = False) -> dict[str, float]:
    """Latencies of every key typed; quick types one query per pane (a smoke test, not a measure)."""
    queries = {pane: pane_queries[:1] for pane, pane_queries in QUERIES.items()} if quick else QUERIES
    started = time.perf_counter()
    catalog = catalog or load_catalog(bundled_catalog_path())
    timings = sorted(asyncio.run(_type(catalog, rounds, queries)))
    return {
        "keys": len(timings),
        "p50_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)] * 1000,
        "max_ms": timings[-1] * 1000,
        "wall_s": time.perf_counter() - started,
    }
