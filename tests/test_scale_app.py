"""What the explorer does differently when a catalog is large: a costly section waits for enter, long lists
are cut with a count, and an empty filter makes rows only for what is shown."""

from __future__ import annotations

import pytest

from hlexplore.app.targets import Target
from hlexplore.app.widgets import details as details_module
from hlexplore.app.widgets import entry_pane
from hlexplore.app.widgets.entry_pane import EntryList
from tests.explorer_helpers import explorer_app, screen_text, settle


async def test_costly_sections_wait_for_enter(monkeypatch) -> None:
    monkeypatch.setattr(details_module, "HEAVY", 0)
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.visit(Target("technology", "memcached"))
        await settle(pilot)
        shown = screen_text(app)
        assert "Often used with" in shown and "enter finds them" in shown
        details = app.main.details
        row = next(
            i
            for i in range(details.option_count)
            if (details.get_option_at_index(i).id or "").startswith("expand:")
        )
        details.focus()
        details.highlighted = row
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "Often used with" in shown and "together · lift" in shown and "enter finds them" not in shown


async def test_long_lists_in_the_details_are_cut_with_a_count(monkeypatch) -> None:
    monkeypatch.setattr(details_module, "LISTED", 1)
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.visit(Target("technology", "memcached"))  # used by two companies
        await settle(pilot)
        assert "… and 1 more (`hlexplore who-uses` lists them all)" in screen_text(app)


async def test_an_empty_filter_shows_the_first_rows_and_counts_them_all(monkeypatch) -> None:
    monkeypatch.setattr(entry_pane, "PAGE", 2)
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.main.pane("company")
        assert pane.query_one(EntryList).option_count == 2
        assert pane.border_subtitle == "4/4"  # how rows come into the list is not the user's concern


def row_ids(entries: EntryList) -> list[str]:
    return [entries.get_option_at_index(i).id or "" for i in range(entries.option_count)]


@pytest.mark.parametrize("inline_up_to", [entry_pane.FILTER_INLINE_UP_TO, 1])  # in the handler, in a worker
@pytest.mark.parametrize("last", ["G", "end"])
async def test_the_last_key_reaches_the_last_match_in_one_press(
    monkeypatch, inline_up_to: int, last: str
) -> None:
    monkeypatch.setattr(entry_pane, "PAGE", 3)
    monkeypatch.setattr(entry_pane, "FILTER_INLINE_UP_TO", inline_up_to)
    app = explorer_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.main.pane("technology")
        await pilot.press("2")
        order = [f"technology:{t.id}" for t in app.index.entries("technology")]
        assert len(order) == 8 and len(row_ids(pane.query_one(EntryList))) == 3
        await pilot.press(last)
        await settle(pilot)
        entries = pane.query_one(EntryList)
        assert entries.get_option_at_index(entries.highlighted).id == order[-1]
        assert pane.border_subtitle == "8/8"
        assert app.main.details.subject == Target("technology", order[-1].split(":")[1])
        await pilot.press("g")  # and back to the first, in one press too
        await settle(pilot)
        assert entries.get_option_at_index(entries.highlighted).id == order[0]
        if inline_up_to == 1:  # a large pane keeps a window: up from its first rows brings those before
            await pilot.press("G")
            await settle(pilot)
            assert pane.start > 0
            for _ in range(7):
                await pilot.press("k")
                await settle(pilot)
            assert entries.get_option_at_index(entries.highlighted).id == order[0]
            assert row_ids(entries) == order  # each row once, in order


@pytest.mark.parametrize("inline_up_to", [entry_pane.FILTER_INLINE_UP_TO, 1])
async def test_page_keys_go_past_the_rows_loaded_so_far(monkeypatch, inline_up_to: int) -> None:
    monkeypatch.setattr(entry_pane, "PAGE", 2)
    monkeypatch.setattr(entry_pane, "FILTER_INLINE_UP_TO", inline_up_to)
    app = explorer_app()
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        pane = app.main.pane("technology")
        entries = pane.query_one(EntryList)
        order = [f"technology:{t.id}" for t in app.index.entries("technology")]
        await pilot.press("pagedown")
        await settle(pilot)
        at = pane.start + entries.highlighted
        assert at > 1, "moved past the two rows first shown"
        for _ in range(5):
            await pilot.press("pagedown")
            await settle(pilot)
        assert entries.get_option_at_index(entries.highlighted).id == order[-1]
        for _ in range(6):
            await pilot.press("pageup")
            await settle(pilot)
        assert entries.get_option_at_index(entries.highlighted).id == order[0]


async def test_the_cursor_does_not_wrap_from_the_last_loaded_row_to_the_first(monkeypatch) -> None:
    monkeypatch.setattr(entry_pane, "PAGE", 2)
    monkeypatch.setattr(entry_pane, "FILTER_INLINE_UP_TO", 1)
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        order = [f"technology:{t.id}" for t in app.index.entries("technology")]
        entries = app.main.pane("technology").query_one(EntryList)
        for _ in range(7):
            await pilot.press("j")
            await settle(pilot)
        assert entries.get_option_at_index(entries.highlighted).id == order[7]


@pytest.mark.parametrize("inline_up_to", [entry_pane.FILTER_INLINE_UP_TO, 1])  # in the handler, in a worker
async def test_more_rows_come_as_the_cursor_nears_the_end(monkeypatch, inline_up_to: int) -> None:
    monkeypatch.setattr(entry_pane, "PAGE", 2)
    monkeypatch.setattr(entry_pane, "FILTER_INLINE_UP_TO", inline_up_to)
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.main.pane("company")
        entries = pane.query_one(EntryList)
        assert entries.option_count == 2
        await pilot.press("j")  # the last row shown: the next page is added under it
        await settle(pilot)
        assert entries.option_count == 4 and pane.border_subtitle == "4/4"
        assert entries.highlighted == 1  # the cursor stays where it was
        ids = [entries.get_option_at_index(i).id for i in range(4)]
        assert ids == [f"company:{e.id}" for e in app.index.entries("company")]


async def test_a_large_catalogs_search_is_prepared_after_the_first_frame(monkeypatch) -> None:
    monkeypatch.setattr(entry_pane, "FILTER_INLINE_UP_TO", 1)
    from hlexplore.app.screens import main as main_module

    monkeypatch.setattr(main_module, "FILTER_INLINE_UP_TO", 1)
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # waits for the workers: the preparing one too
        assert set(app.index._search._lines_by_kind) == {"company", "technology", "reference"}
        await pilot.press("slash", *"alp")
        await settle(pilot)
        assert app.main.pane("company").border_subtitle.startswith("1/4")


def test_counts_are_as_wide_as_the_largest_so_names_line_up() -> None:
    from hlexplore.app.widgets.rows import entry_row
    from hlexplore.index import CatalogIndex
    from tests.test_prefilter import large_catalog

    index = CatalogIndex(large_catalog())
    technologies = index.entries("technology")
    width = len(str(index.usage_count(technologies[0].id)))  # the most used comes first
    assert width >= 3  # wider than the bundled catalog's counts
    for tech in (technologies[0], technologies[len(technologies) // 2], technologies[-1]):
        assert entry_row(index, tech).plain.index(tech.name) == 1 + width + 1  # gutter, count, space


async def test_a_large_list_is_shown_before_it_is_counted(monkeypatch) -> None:
    import threading

    from hlexplore.app.factory import make_app
    from hlexplore.app.screens import main as main_module
    from tests.test_prefilter import large_catalog

    monkeypatch.setattr(entry_pane, "FILTER_INLINE_UP_TO", 1)  # filter in workers, as at scale
    monkeypatch.setattr(main_module, "FILTER_INLINE_UP_TO", 1)
    app = make_app(large_catalog())
    counting, release = threading.Event(), threading.Event()
    real_matched = app.index.matched

    def slow_matched(kind, text, cancelled=None):
        counting.set()
        release.wait(10)
        return real_matched(kind, text, cancelled)

    monkeypatch.setattr(app.index, "matched", slow_matched)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.main.pane("company")
        total = app.index.count("company")
        await pilot.press("slash", *"cloud")
        for _ in range(200):  # the list comes first; its count is still on its way
            await pilot.pause(0.01)
            if pane.shown_query == "cloud" and counting.is_set():
                break
        assert pane.query_one(EntryList).option_count == entry_pane.PAGE
        assert pane.border_subtitle == f"…/{total}"  # still counting
        counting.clear()
        await pilot.press("backspace")  # a new query: the count of "cloud" must not land on "clou"
        release.set()
        await settle(pilot)
        expected = real_matched("company", "clou")
        assert expected != real_matched("company", "cloud")  # so a stale count would show
        assert pane.shown_query == "clou"
        assert pane.border_subtitle == f"{expected}/{total}"


async def test_what_the_search_preparation_built_is_left_out_of_later_collections(monkeypatch) -> None:
    # Collections walk every tracked object: at 100,000 companies the 300,000 references the preparation
    # reads (made when first read) cost 160 ms a collection, in the middle of a frame, unless frozen.
    import gc

    from hlexplore.app.screens import main as main_module
    from hlexplore.catalog.models import Reference

    monkeypatch.setattr(main_module, "FILTER_INLINE_UP_TO", 0)  # the bundled catalog counts as large
    app = explorer_app()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.pause(0.2)
            await app.workers.wait_for_complete()
            read = {id(ref) for ref in app.index.entries("reference")}
            collectable = {id(o) for o in gc.get_objects() if isinstance(o, Reference)}
            assert read and not read & collectable
    finally:
        gc.unfreeze()


def test_the_readme_says_when_often_used_with_waits() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"more than {details_module.HEAVY:,} stack entries" in " ".join(readme.split())
