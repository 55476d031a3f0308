"""Pilot tests of the insight view (every picture followed to its entries) and of link health in the TUI."""

from __future__ import annotations

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable, OptionList

from hlexplore.app import messages
from hlexplore.app.factory import make_app
from hlexplore.app.screens.entries import EntriesScreen
from hlexplore.app.screens.insight import InsightScreen
from hlexplore.app.screens.linkcheck import LinkCheckScreen
from hlexplore.app.screens.main import MainScreen
from hlexplore.app.targets import Target
from hlexplore.catalog.loader import load_catalog
from hlexplore.links.check import LinkCheck
from hlexplore.links.store import LinkHealth
from hlexplore.user.paths import UserPaths
from tests.explorer_helpers import EXPLORER_CATALOG, screen_text, settle
from tests.linkserver import serving
from tests.test_links import loopback_only  # noqa: F401  (the guard applies to these tests too)


def app(catalog=EXPLORER_CATALOG):
    explorer = make_app(load_catalog(catalog))
    explorer.this_year = 2026
    return explorer


def listed(screen: EntriesScreen) -> list[Target]:
    options = screen.query_one(OptionList)
    return [Target.from_option_id(options.get_option_at_index(i).id) for i in range(options.option_count)]


async def open_insight(pilot, view: str = "1"):
    await pilot.press("i", view)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, InsightScreen)
    return screen


async def test_most_used_bars_follow_to_the_companies_and_on_to_an_entry() -> None:
    explorer = app()
    async with explorer.run_test(size=(80, 24)) as pilot:
        await open_insight(pilot)
        shown = screen_text(explorer)
        assert "Most used technologies: all categories" in shown
        assert "memcached (cache): 2 — Alpha Social, Lezhin Comics" in shown  # the cursor's bar, explained
        await pilot.press("enter")
        await settle(pilot)
        drill = explorer.screen
        assert isinstance(drill, EntriesScreen)
        assert listed(drill) == [
            Target("technology", "memcached"),
            Target("company", "alpha"),
            Target("company", "lezhin"),
        ]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(explorer.screen, MainScreen)
        assert explorer.main.details.subject == Target("company", "alpha")


async def test_a_category_narrows_the_bars() -> None:
    explorer = app()
    async with explorer.run_test(size=(80, 24)) as pilot:
        screen = await open_insight(pilot)
        await pilot.press("slash", *"relational")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert explorer.screen is screen and screen.category == "relational database"
        bars = screen.query_one("#tech-bars", OptionList)
        assert [bars.get_option_at_index(i).id for i in range(bars.option_count)] == ["technology:mysql"]
        assert "Most used technologies: relational database" in screen_text(explorer)


async def test_heat_cells_name_their_category_and_follow_to_the_technologies() -> None:
    explorer = app()
    async with explorer.run_test(size=(80, 24)) as pilot:
        screen = await open_insight(pilot, "2")
        table = screen.query_one("#heat-table", DataTable)
        assert explorer.focused is table
        cache = screen.view.heat.categories.index("cache") + 1
        table.cursor_coordinate = Coordinate(2, cache)  # Lezhin Comics
        await settle(pilot)
        assert "Lezhin Comics · cache: memcached, Redis" in screen_text(explorer)
        await pilot.press("enter")
        await settle(pilot)
        assert listed(explorer.screen) == [Target("technology", "memcached"), Target("technology", "redis")]
        await pilot.press("escape")
        table.cursor_coordinate = Coordinate(0, 0)
        await settle(pilot)
        await pilot.press("enter")  # the company's own cell goes straight to it
        await settle(pilot)
        assert explorer.main.details.subject == Target("company", "alpha")


async def test_pairs_show_count_and_lift_and_follow_to_the_companies() -> None:
    explorer = app()
    async with explorer.run_test(size=(80, 24)) as pilot:
        screen = await open_insight(pilot, "3")
        table = screen.query_one("#together-table", DataTable)
        assert "memcached goes with: MySQL 2" in screen_text(explorer)
        table.cursor_coordinate = Coordinate(0, 2)  # memcached × MySQL
        await settle(pilot)
        assert "memcached + MySQL: 2 companies, lift ×1.50" in screen_text(explorer)
        await pilot.press("enter")
        await settle(pilot)
        assert listed(explorer.screen) == [Target("company", "alpha"), Target("company", "lezhin")]


async def test_time_bars_and_the_timeline_follow_to_references() -> None:
    explorer = app()
    async with explorer.run_test(size=(80, 24)) as pilot:
        screen = await open_insight(pilot, "4")
        shown = screen_text(explorer)
        assert "References per year, by kind" in shown and "█ article" in shown
        assert "2012: 1 references — article 1" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert listed(explorer.screen) == [Target("reference", "alpha-scaling-alpha-memcached-at-the-edge")]
        await pilot.press("escape")
        table = screen.query_one("#timeline-table", DataTable)
        table.focus()
        table.cursor_coordinate = Coordinate(1, 3)  # Lezhin Comics, 2014
        await settle(pilot)
        assert "Lezhin Comics · 2014:" in screen_text(explorer)
        await pilot.press("enter")
        await settle(pilot)
        assert listed(explorer.screen) == [Target("reference", "lezhin-entry")]


async def test_health_rows_go_straight_to_their_entry() -> None:
    explorer = app()
    async with explorer.run_test(size=(80, 24)) as pilot:
        screen = await open_insight(pilot, "5")
        shown = screen_text(explorer)
        assert "Technologies used by one company only (5)" in shown
        assert "Links never checked" in shown
        health = screen.query_one("#health-list", OptionList)
        assert health.get_option_at_index(health.highlighted).id.startswith("technology:hostile")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(explorer.screen, MainScreen)
        assert explorer.main.details.subject == Target("technology", "hostile")
        await pilot.press("i", "escape")
        await settle(pilot)
        assert isinstance(explorer.screen, MainScreen)


@pytest.mark.parametrize("size", [(20, 6), (80, 24), (120, 40), (300, 100)])
async def test_every_view_renders_at_every_size(size) -> None:
    explorer = app()
    async with explorer.run_test(size=size) as pilot:
        for view in "12345":
            await pilot.press("i", view)
            await settle(pilot)
            assert isinstance(explorer.screen, InsightScreen)
        await pilot.resize_terminal(size[1] + 10, size[0])  # mid-use resize
        await settle(pilot)
        assert isinstance(explorer.screen, InsightScreen)


async def test_a_broken_link_is_marked_and_its_archive_offered_first(opened) -> None:
    LinkHealth(UserPaths.default().links_file).record(
        [LinkCheck("https://redis.io/", "dead", status=404, checked_at="2026-11-20T10:00:00+00:00")]
    )
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        explorer.visit(Target("technology", "redis"))
        await settle(pilot)
        shown = screen_text(explorer)
        assert "✗ dead (404) · checked 2026-11-20" in shown
        assert shown.index("archived copies") < shown.index("link:\u00a0https://redis.io/")
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://web.archive.org/web/*/https://redis.io/"]
        details = explorer.main.details
        link_row = next(
            i for i in range(details.option_count) if details.get_option_at_index(i).id == "open#1"
        )
        details.focus()
        details.highlighted = link_row
        await pilot.press("enter")  # the link row itself: the user asked for the live address
        await settle(pilot)
        assert opened[-1] == "https://redis.io/"
        await pilot.press("i", "5")
        await settle(pilot)
        assert "Links broken at the last check (2026-11-20) (1)" in screen_text(explorer)


def local_catalog(write_catalog, base: str):
    return write_catalog(
        '[meta]\nschema = 1\ntitle = "Local"\n'
        f'[[company]]\nid = "up"\nname = "Up"\nurl = "{base}/ok"\n'
        f'[[company]]\nid = "gone"\nname = "Gone"\nurl = "{base}/gone"\n'
        f'[[company]]\nid = "slow"\nname = "Slow"\nurl = "{base}/slow"\n'
    )


async def test_check_links_from_the_palette_with_progress(write_catalog) -> None:
    with serving() as (base, requests):
        explorer = app(local_catalog(write_catalog, base))
        async with explorer.run_test(size=(100, 30)) as pilot:
            assert requests == []  # nothing touches the network unless asked
            await pilot.press("ctrl+p", *"Check links")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            screen = explorer.screen
            assert isinstance(screen, LinkCheckScreen)
            await explorer.workers.wait_for_complete()  # /slow answers after 3 s, within the timeout
            await settle(pilot)
            assert screen.finished
            shown = screen_text(explorer)
            assert "Done: 3 checked, 1 broken." in shown and "2 alive" in shown and "1 dead" in shown
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(explorer.screen, MainScreen)
        stored = LinkHealth(UserPaths.default().links_file)
        assert stored.get(f"{base}/gone").status == 404 and stored.get(f"{base}/ok").outcome == "alive"


async def test_check_links_can_be_cancelled_and_keeps_what_was_checked(write_catalog) -> None:
    with serving() as (base, _requests):
        explorer = app(local_catalog(write_catalog, base))
        async with explorer.run_test(size=(100, 30)) as pilot:
            explorer.post_message(messages.CheckLinks())  # as the palette asks
            await pilot.pause()  # not settle(): that waits for the check to end
            screen = explorer.screen
            assert isinstance(screen, LinkCheckScreen)
            for _ in range(100):  # the quick ones answer; /slow keeps the check running
                if len(screen.results) == 2:
                    break
                await pilot.pause(0.05)
            await pilot.press("escape")
            await settle(pilot)
            assert screen.finished and "Cancelled: 2 checked" in screen_text(explorer)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(explorer.screen, MainScreen)
        stored = LinkHealth(UserPaths.default().links_file)
        assert stored.get(f"{base}/gone") is not None and stored.get(f"{base}/slow") is None


async def test_back_from_an_entry_followed_out_of_insight_returns_to_its_view_and_cursor() -> None:
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        screen = await open_insight(pilot, "1")
        await pilot.press("down")  # the second bar
        await settle(pilot)
        left = screen.place()
        assert left.view == 0 and left.cursor == (1, 0)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "enter")  # a company using it, in the explorer
        await settle(pilot)
        assert isinstance(explorer.screen, MainScreen)
        await pilot.press("backspace")
        await settle(pilot)
        again = explorer.screen
        assert isinstance(again, InsightScreen) and again is not screen
        assert (again.place().view, again.place().widget, again.place().cursor) == (
            left.view,
            left.widget,
            left.cursor,
        )
        await pilot.press("alt+right")  # forward: the entry again
        await settle(pilot)
        assert isinstance(explorer.screen, MainScreen)


async def test_a_large_catalog_builds_each_view_when_shown_with_its_largest_rows(
    tmp_path, monkeypatch
) -> None:
    # At 100,000 companies a table of every company (and every view built at once) took minutes: each
    # view is built when first shown, the heat table and the timeline hold the companies with the most,
    # health lists the first of each group, and the captions say so.
    import io

    from benchmarks.gen_catalog import generate

    from hlexplore.app.screens import insight

    monkeypatch.setattr(insight, "GRID_ROWS", 40)
    monkeypatch.setattr(insight, "LISTED", 5)
    out = io.StringIO()
    generate(300, 40, 900, 5, out)
    path = tmp_path / "big.toml"
    path.write_text(out.getvalue(), encoding="utf-8")
    async with app(path).run_test(size=(120, 40)) as pilot:
        screen = await open_insight(pilot)
        assert screen.is_built(0) and not any(screen.is_built(n) for n in range(1, 5))
        await pilot.press("2")
        await settle(pilot)
        assert screen.is_built(1) and not screen.is_built(2)
        heat = screen.query_one("#heat-table", DataTable)
        sizes = sorted((len(c.stack) for c in screen.view.heat.companies), reverse=True)
        shown = sorted((len(screen.view.index.companies[c].stack) for c in _first_column(heat)), reverse=True)
        assert heat.row_count == 40 and shown == sizes[:40]  # the largest stacks
        assert "the 40 largest stacks of 300" in screen_text(pilot.app)
        await pilot.press("4")
        await settle(pilot)
        assert screen.query_one("#timeline-table", DataTable).row_count == 40
        await pilot.press("5")
        await settle(pilot)
        assert "more · `hlexplore stats --json` lists them all" in screen_text(pilot.app)


def _first_column(table: DataTable) -> list[str]:
    """The companies a table's rows are about, by name (its first column)."""
    names = {c.name: c.id for c in table.screen.view.index.catalog.companies}  # type: ignore[attr-defined]
    return [names[str(table.get_cell_at(Coordinate(row, 0)))] for row in range(table.row_count)]
