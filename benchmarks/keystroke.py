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
from collections import Counter
from pathlib import Path
from typing import Any

import hlexplore.app  # noqa: F401  first, as when `hlexplore` runs: it sets Textual's frame rate

# isort: split
from textual import events
from textual._time import get_time

from hlexplore.app.app import HLExploreApp
from hlexplore.app.factory import make_app
from hlexplore.app.widgets.entry_pane import EntryPane
from hlexplore.catalog.loader import bundled_catalog_path, load_catalog
from hlexplore.catalog.merge import Loaded
from hlexplore.catalog.models import Catalog
from hlexplore.text import fold
from hlexplore.user.paths import UserPaths

QUERIES = {
    "1": ["instagram", "pinterest", "lezhin", "stack exchange"],
    "2": ["memcached", "redis", "amazon web", "^my", "cassandra"],
    "3": ["tumblr", "scaling", "architecture", "facebook chat"],
}


PANES = {"1": "company", "2": "technology", "3": "reference"}


def common_queries(catalog: Catalog, per_length: int = 1) -> dict[str, list[str]]:
    """The worst cases of each pane, from its own entries: the most frequent 1-, 2- and 3-letter prefixes of
    the words of its names, and the most frequent 1-, 2- and 3-letter substrings (those match the most
    entries, so the most are ranked), beside the hand-picked QUERIES (real names, rarer words)."""
    names = {
        "company": [c.name for c in catalog.companies],
        "technology": [t.name for t in catalog.technologies],
        "reference": [r.title for r in catalog.references],
    }
    found: dict[str, list[str]] = {}
    for pane, kind in PANES.items():
        texts = [fold(name) for name in names[kind]]
        queries: list[str] = []
        for size in (1, 2, 3):
            prefixes = Counter(word[:size] for text in texts for word in text.split() if len(word) >= size)
            within = Counter(
                part
                for text in texts
                for part in {text[i : i + size] for i in range(len(text) - size + 1)}
                if part.strip() == part and part.isalnum()
            )
            for counter in (prefixes, within):
                typed = [q for q, _n in counter.most_common() if not set(q) & set("0123456789/")]
                queries += [q for q in typed[:per_length] if q not in queries]  # (digits switch panes)
        found[pane] = queries + [q for q in QUERIES[pane] if q not in queries]
    return found


def percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "keys": len(ordered),
        "p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p95_ms": ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000 if ordered else 0.0,
        "max_ms": ordered[-1] * 1000 if ordered else 0.0,
    }


class Recorder:
    """Times of key events, of lists shown for a query, and of frames painted (by pane)."""

    def __init__(self) -> None:
        self.key_time = 0.0
        self.shown_at: float | None = None
        self.latencies: list[float] = []
        self.pane = "1"
        self.by_pane: dict[str, list[float]] = {pane: [] for pane in PANES}

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
                recorder.by_pane[recorder.pane].append(recorder.latencies[-1])
                recorder.key_time = 0.0

        async def _on_event(event):  # type: ignore[no-untyped-def]
            if isinstance(event, events.Key) and event.is_printable and event.character not in "123/":
                recorder.key_time, recorder.shown_at = event.time, None
            return await on_event(event)

        EntryPane._show = _show  # type: ignore[method-assign]
        HLExploreApp._display = _display  # type: ignore[method-assign]
        app.on_event = _on_event  # type: ignore[method-assign]


async def _type(
    catalog: Catalog, rounds: int, queries: dict[str, list[str]], loaded: Loaded | None = None
) -> Recorder:
    with tempfile.TemporaryDirectory() as home:  # empty user directories: nobody's own settings
        root = Path(home)
        paths = UserPaths(root / "c", root / "d", root / "s", root / "x")
        return await _type_in(
            make_app(catalog, paths=paths, fresh=True, loaded=loaded),
            rounds,
            queries,
        )


async def _type_in(app: HLExploreApp, rounds: int, queries: dict[str, list[str]]) -> Recorder:
    recorder = Recorder()
    recorder.install(app)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(rounds):
            for pane, pane_queries in queries.items():
                await pilot.press(pane)
                recorder.pane = pane
                for query in pane_queries:
                    await pilot.press("slash")
                    for character in query:
                        await pilot.press(character)
                        await app.workers.wait_for_complete()
                        await pilot.pause()
                    await pilot.press("escape", "escape")  # clear the filter, then leave it
                    await pilot.pause()
    return recorder


def measure(
    rounds: int,
    catalog: Catalog | None = None,
    quick: bool = False,
    computed: bool = False,
    loaded: Loaded | None = None,
) -> dict[str, Any]:
    """Latencies of every key typed, in all and by pane; quick types one query per pane (a smoke test, not
    a measure); computed adds each pane's most common prefixes and substrings (common_queries)."""
    catalog = loaded.catalog if loaded else catalog or load_catalog(bundled_catalog_path())
    queries = common_queries(catalog) if computed else QUERIES
    if quick:
        queries = {pane: pane_queries[:1] for pane, pane_queries in queries.items()}
    started = time.perf_counter()
    recorder = asyncio.run(_type(catalog, rounds, queries, loaded))
    return {
        **percentiles(recorder.latencies),
        "wall_s": time.perf_counter() - started,
        "panes": {PANES[pane]: percentiles(found) for pane, found in recorder.by_pane.items()},
        "queries": {PANES[pane]: found for pane, found in queries.items()},
    }
