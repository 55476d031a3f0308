"""Helpers for the explorer's tests: the fixture catalog, the app, and the screen as plain text."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import OptionList

from hlexplore.app.app import HLExploreApp
from hlexplore.app.factory import make_app
from hlexplore.catalog.loader import load_catalog
from tests.conftest import FIXTURES

EXPLORER_CATALOG = FIXTURES / "explorer.toml"


def explorer_app() -> HLExploreApp:
    app = make_app(load_catalog(EXPLORER_CATALOG))
    app.this_year = 2026  # what counts as stale must not change with the clock
    return app


def screen_text(app: HLExploreApp) -> str:
    """What the terminal shows, as text (colour and style left out)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


async def settle(pilot) -> None:
    """Let filter workers finish and their results reach the screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def help_rows(app: HLExploreApp) -> dict[str, str]:
    """binding id -> its keys, as the help lists them."""
    keys = app.screen.query_one("#help-keys", OptionList)
    rows = {}
    for i in range(keys.option_count):
        option = keys.get_option_at_index(i)
        if option.id:
            rows[option.id.split("@")[0]] = option.prompt.plain.split()[0]  # type: ignore[union-attr]
    return rows
