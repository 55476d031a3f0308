"""Pilot tests of what the explorer remembers: bookmarks, notes, filter history, the last session,
preferences (theme, keys, start pane, highlighting, details below) and what it says when files are bad."""

from __future__ import annotations

from textual.widgets import OptionList, TextArea

from hlexplore.app.factory import make_app
from hlexplore.app.screens.bookmarks import BookmarksScreen
from hlexplore.app.screens.note import NoteDialog
from hlexplore.app.targets import Target
from hlexplore.app.widgets.entry_pane import EntryList, FilterInput
from hlexplore.catalog.loader import load_catalog
from hlexplore.user.config import load_config
from hlexplore.user.data import UserData
from hlexplore.user.paths import UserPaths
from tests.explorer_helpers import EXPLORER_CATALOG, screen_text, settle


def app(**kwargs):
    return make_app(load_catalog(EXPLORER_CATALOG), **kwargs)


def prompts(explorer, kind: str) -> list[str]:
    entries = explorer.main.pane(kind).query_one(EntryList)
    return [entries.get_option_at_index(i).prompt.plain for i in range(entries.option_count)]


async def test_bookmark_list_go_and_remove() -> None:
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "2", "j", "b")  # Alpha Social, then the second technology
        await settle(pilot)
        assert "★ bookmarked" in screen_text(explorer)
        await pilot.press("B")
        await settle(pilot)
        assert isinstance(explorer.screen, BookmarksScreen)
        shown = screen_text(explorer)
        assert "Bookmarks (2)" in shown and "Alpha Social" in shown
        await pilot.press(*"alph")
        await settle(pilot)
        options = explorer.screen.query_one(OptionList)
        assert options.option_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert explorer.main.details.subject == Target("company", "alpha")
        await pilot.press("B", "ctrl+d", "ctrl+d", "escape")
        await settle(pilot)
        assert UserData(UserPaths.default()).bookmarks == {}
        assert "★ bookmarked" not in screen_text(explorer)


async def test_note_is_saved_shown_and_searchable() -> None:
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "n")  # memcached
        await settle(pilot)
        assert isinstance(explorer.screen, NoteDialog)
        explorer.screen.query_one(TextArea).insert("ask about [red]consistent[/] hashing")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "✎ ask about [red]consistent[/] hashing" in screen_text(explorer)  # literal, not markup
        assert UserData(UserPaths.default()).note("technology", "memcached").startswith("ask about")
        await pilot.press("slash", *"consistent")
        await settle(pilot)
        assert [p.split()[-1] for p in prompts(explorer, "technology")] == ["memcached"]
    # A new run finds the note again, in the details and in the filter.
    again = app()
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash", *"hashing")
        await settle(pilot)
        assert [p.split()[-1] for p in prompts(again, "technology")] == ["memcached"]


async def write_note(pilot, text: str, then: str) -> None:
    """n on the highlighted entry, text typed into the note, then ctrl+s (save) or escape."""
    await pilot.press("n")
    await settle(pilot)
    pilot.app.screen.query_one(TextArea).insert(text)
    await pilot.press(then)
    await settle(pilot)


async def test_a_note_too_long_is_saved_cut_and_says_so(notes) -> None:
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        await write_note(pilot, "x" * 25_000, "ctrl+s")
        assert ("warning", "Note saved, cut to its first 10,000 characters") in notes
        assert len(UserData(UserPaths.default()).note("company", "alpha")) == 10_000


async def test_a_note_that_cannot_be_saved_says_why_and_is_kept_for_the_session(notes) -> None:
    paths = UserPaths.default()
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    (paths.data_dir / "notes.json.lock").mkdir()  # a lock that cannot be taken: the save fails
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        await write_note(pilot, "kept", "ctrl+s")
        assert any(s == "warning" and "notes.json could not be saved" in m for s, m in notes), notes
        assert not any(m == "Note saved" for _s, m in notes)
        assert "✎ kept" in screen_text(explorer)


async def test_escape_in_the_note_dialog_keeps_the_old_note() -> None:
    UserData(UserPaths.default()).set_note("company", "alpha", "keep")
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        await write_note(pilot, "changed ", "escape")
        assert UserData(UserPaths.default()).note("company", "alpha") == "keep"


async def test_filter_history_recalls_with_alt_up_and_alt_down_while_up_and_down_move_the_list() -> None:
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        for query in ("redis", "mysql"):
            await pilot.press("2", "slash", "ctrl+u", *query, "enter")  # leaving the filter remembers it
            await settle(pilot)
        await pilot.press("2", "slash", "ctrl+u")
        technologies = explorer.main.pane("technology")
        field = technologies.query_one(FilterInput)
        await pilot.press("m")
        await pilot.press("alt+up")
        assert field.value == "mysql"
        await pilot.press("alt+up")
        assert field.value == "redis"
        await pilot.press("alt+down", "alt+down")
        assert field.value == "m"  # back to what was typed
        await settle(pilot)
        first = technologies.highlighted
        await pilot.press("down")  # up and down move the list, in every filter
        await settle(pilot)
        assert field.value == "m" and technologies.highlighted != first
        await pilot.press("up")
        assert technologies.highlighted == first
    assert UserData(UserPaths.default()).queries("technology") == ["redis", "mysql"]


async def test_reopens_where_the_user_left_unless_fresh() -> None:
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash", *"re", "down")  # Redis is second
        await settle(pilot)
        highlighted = explorer.main.pane("technology").highlighted
        await pilot.press("enter", "q")  # in the filter q is typed: quit from the details
    again = app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.main.current_kind == "technology"
        assert again.main.pane("technology").query_text == "re"
        assert again.main.pane("technology").highlighted == highlighted
        assert again.main.details.subject == highlighted
    fresh = app(fresh=True)
    async with fresh.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert fresh.main.current_kind == "company" and fresh.main.pane("technology").query_text == ""


async def test_a_theme_chosen_in_the_app_is_saved_in_the_config() -> None:
    paths = UserPaths.default()
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text('# mine\ndetails = "right"\n', encoding="utf-8")
    explorer = app()
    async with explorer.run_test(size=(120, 40)):
        explorer.theme = "nord"
    assert paths.config_file.read_text(encoding="utf-8") == '# mine\ndetails = "right"\ntheme = "nord"\n'
    again = app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_preferences_start_pane_keys_highlighting_and_details_below(opened, notes) -> None:
    paths = UserPaths.default()
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text(
        'start_pane = "technologies"\nhighlight_matches = false\ndetails = "below"\n'
        '[keymap]\n"main.open" = "ctrl+o"\n"main.nonsense" = "x"\n',
        encoding="utf-8",
    )
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert explorer.main.current_kind == "technology"
        assert explorer.main.has_class("-details-below")
        assert explorer.main.details.region.y > explorer.main.query_one("#lists").region.y
        await pilot.press("slash", *"memc")
        await settle(pilot)
        entries = explorer.main.pane("technology").query_one(EntryList)
        assert not entries.get_option_at_index(0).prompt.spans or all(
            "underline" not in str(span.style) for span in entries.get_option_at_index(0).prompt.spans
        )
        await pilot.press("escape", "escape", "ctrl+o")
        await settle(pilot)
        assert opened == ["https://memcached.org/"]
        assert any("[keymap] has no binding main.nonsense" in m for _severity, m in notes)


async def test_bad_config_and_corrupt_files_start_anyway_and_say_what_was_wrong(notes) -> None:
    paths = UserPaths.default()
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text('theme = "no-such-theme"\nstart_pane = 3\n', encoding="utf-8")
    paths.data_dir.mkdir(parents=True)
    paths.bookmarks_file.write_text("{broken", encoding="utf-8")
    explorer = app()
    async with explorer.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said = [message for severity, message in notes if severity == "warning"]
        assert any(f"{paths.config_file}:2: start_pane" in m for m in said)
        assert any("no-such-theme" in m and f"{paths.config_file}:1" in m for m in said)
        assert any(str(paths.bookmarks_file) in m and "corrupt" in m for m in said)
        assert explorer.main.current_kind == "company"  # defaults for what was wrong
        assert load_config(paths.config_file).problems  # the user's file is left as it was
