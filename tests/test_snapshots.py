"""SVG snapshots of the explorer's main states, at 80×24 and 120×40, on the fixed test catalog.

Update after an intended change with `python3 dev.py test tests/test_snapshots.py --snapshot-update`
and look at the new pictures before committing them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.explorer_helpers import explorer_app, settle

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}

# Each state: the keys that lead there from the start.
STATES = {
    "start": [],
    "filter_technologies": ["2", "slash", *"memc"],
    "nothing_matches": ["2", "slash", *"zzzz"],
    "technology_details": ["2", "slash", *"memc", "enter", "enter"],
    "followed_company": ["2", "slash", *"memc", "enter", "enter", "j", "j", "j", "enter"],
    "references": ["3"],
    "hostile_text": ["slash", *"bravo", "enter", "enter", "j", "j"],
    "help": ["question_mark"],
    "help_filtered": ["question_mark", "slash", *"link"],
    "compare_picker": ["c"],
    "compare_two": ["c", "enter", "j", "j"],
    "compare_two_differences": ["c", "enter", "d"],
    "compare_three": ["space", "space", "space", "c"],
    "insight_bars": ["i"],
    "insight_heat": ["i", "2", "down", "right", "right"],
    "insight_together": ["i", "3"],
    "insight_time": ["i", "4"],
    "insight_health": ["i", "5"],
}


async def steady_cursors(pilot) -> None:
    """A text box's cursor blinks every half second: on a loaded machine (the suite in parallel) the
    picture could be taken in either half. Shown steadily, as it is in every snapshot."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
@pytest.mark.parametrize("state", STATES, ids=list(STATES))
def test_explorer_snapshot(snap_compare, state: str, size: str) -> None:
    async def run_before(pilot) -> None:
        for key in STATES[state]:
            await pilot.press(key)
            await settle(pilot)
        await steady_cursors(pilot)

    assert snap_compare(explorer_app(), terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("state", ["insight_heat", "insight_time"])
def test_insight_in_a_light_theme(snap_compare, state: str) -> None:
    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        for key in STATES[state]:
            await pilot.press(key)
            await settle(pilot)
        await steady_cursors(pilot)

    assert snap_compare(explorer_app(), terminal_size=(80, 24), run_before=run_before)
