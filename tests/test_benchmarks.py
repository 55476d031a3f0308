"""The benchmarks run and measure what they say (a smoke test: no timing is asserted)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from benchmarks import keystroke, scale

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_measures_every_key_and_both_apps(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--json", "--sizes", "100", "--data", str(tmp_path)],
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

    [small] = measures["scale"]
    assert small["companies"] == 100 and (tmp_path / "generated-100.toml").exists()
    typed_there = sum(len(q) for queries in small["key_queries"].values() for q in queries)
    assert small["keys"] == typed_there == sum(pane["keys"] for pane in small["key_panes"].values())
    for pane, hand_picked in zip(small["key_queries"].values(), scale.KEY_QUERIES.values(), strict=True):
        assert len(pane[0]) == 1 and pane[-len(hand_picked) :] == hand_picked  # the most common letter first
    for measure in ("load_cold_s", "load_warm_s", "first_frame_cold_s", "first_frame_warm_s", "peak_mb"):
        assert small[measure] > 0, measure
    for measure in ("query_p50_ms", "who_uses_p95_ms", "compare_p95_ms", "similar_p95_ms"):
        # (a query over 100 companies can round to 0 ms: what must hold is that it was measured)
        assert isinstance(small[measure], float) and math.isfinite(small[measure]) and small[measure] >= 0, (
            measure
        )
    assert small["fzf_ratio"] > 0  # fzf is installed by dev.py test: the ratio was measured
    # every view opened, and every command (stats in each form, merging cold and warm) ran
    views = small["views_ms"]
    assert {"company_details_ms", "matrix_of_10_ms", "insight_first_view_ms", "insight_view_5_ms"} <= set(
        views
    )
    assert all(value > 0 for value in views.values()), views
    timed = small["commands_s"]
    assert set(scale.commands({"tech": "", "company": "", "other": "", "category": "", "word": ""})) < set(
        timed
    )
    for measure in ("stats_json", "who_uses_text", "merged_cold", "merged_warm", "small_layer_warm"):
        assert timed[measure] > 0, measure
