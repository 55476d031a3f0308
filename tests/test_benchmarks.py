"""The benchmarks run and measure what they say (a smoke test: no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks import keystroke

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_measures_every_key_and_both_apps() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    measures = json.loads(done.stdout)
    typed = sum(len(queries[0]) for queries in keystroke.QUERIES.values())
    # Every character typed into a filter got exactly one latency: the instrument saw each repaint.
    assert measures["keystroke"]["keys"] == typed
    assert (
        0
        < measures["keystroke"]["p50_ms"]
        <= measures["keystroke"]["p95_ms"]
        <= measures["keystroke"]["max_ms"]
    )
    assert measures["startup"]["minimal_s"] > 0 and measures["startup"]["hlexplore_s"] > 0
