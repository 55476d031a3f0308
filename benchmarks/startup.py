"""Launch to first painted frame: hlexplore with the bundled catalog against a minimal Textual app.

Each run is a fresh process, imports included, as a user pays them. Both apps run headless at 120×40
with the same hook: the first time the app hands a rendered frame to its driver, the child prints the
wall-clock time and exits. The parent takes the time from just before it spawned the child.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")

HOOK = """
import time
from textual.app import App

_display = App._display

def _first_frame(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and not getattr(self, "_bench_painted", False):
        self._bench_painted = True
        print(repr(time.time()), flush=True)
        self.exit()

App._display = _first_frame
"""

MINIMAL = (
    HOOK
    + """
from textual.widgets import Footer, Header

class Minimal(App):
    def compose(self):
        yield Header()
        yield Footer()

Minimal().run(headless=True, size=(120, 40))
"""
)

# The path `hlexplore` takes (hlexplore.launch), without the check for a terminal.
HLEXPLORE = (
    HOOK
    + """
from hlexplore.catalog.loader import bundled_catalog_path, load_catalog
from hlexplore.app.factory import make_app

make_app(load_catalog(bundled_catalog_path())).run(headless=True, size=(120, 40))
"""
)


def time_to_first_frame(code: str) -> float:
    # Empty user directories: the user's own config or last session must not change what is measured.
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, **{v: f"{home}/{v.lower()}" for v in XDG}}
        start = time.time()
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
        )
    return float(done.stdout.split()[0]) - start


def measure(runs: int) -> dict[str, float]:
    """Median seconds for each app; the two alternate so that machine noise hits both alike."""
    minimal, explorer = [], []
    time_to_first_frame(MINIMAL)  # warm the file cache for both
    time_to_first_frame(HLEXPLORE)
    for _ in range(runs):
        minimal.append(time_to_first_frame(MINIMAL))
        explorer.append(time_to_first_frame(HLEXPLORE))
    return {
        "minimal_s": statistics.median(minimal),
        "hlexplore_s": statistics.median(explorer),
        "ratio": statistics.median(explorer) / statistics.median(minimal),
    }
