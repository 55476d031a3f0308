"""Pilot tests of the explorer: filtering, following, history, links, palette, help, quitting."""

from __future__ import annotations

import dataclasses

import pytest
from textual import events

from hlexplore.app import links as app_links
from hlexplore.app.app import HLExploreApp
from hlexplore.app.screens.help import HelpScreen
from hlexplore.app.screens.main import MainScreen
from hlexplore.app.targets import Target
from hlexplore.app.widgets.entry_pane import EntryList, EntryPane, FilterInput
from hlexplore.app.widgets.rows import MATCH_STYLE
from hlexplore.catalog.loader import load_catalog
from hlexplore.index import CatalogIndex
from tests.explorer_helpers import EXPLORER_CATALOG, explorer_app, help_rows, screen_text, settle


def main(app: HLExploreApp) -> MainScreen:
    return app.main


def pane(app: HLExploreApp, kind: str) -> EntryPane:
    return main(app).pane(kind)  # type: ignore[arg-type]


def prompts(app: HLExploreApp, kind: str) -> list[str]:
    entries = pane(app, kind).query_one(EntryList)
    return [entries.get_option_at_index(i).prompt.plain for i in range(entries.option_count)]  # type: ignore[union-attr]


async def test_start_lists_every_entry_with_counts_and_details_of_the_first() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [pane(app, k).border_subtitle for k in ("company", "technology", "reference")] == [
            "4/4",
            "8/8",
            "3/3",
        ]
        assert prompts(app, "company")[0].endswith("Alpha Social")
        assert prompts(app, "technology")[0].split() == [
            "2",
            "memcached",
        ]  # the most used first (ties by name)
        assert main(app).details.subject == Target("company", "alpha")
        assert isinstance(app.focused, EntryList)
        shown = screen_text(app)
        assert "Test Architectures" in shown and "4 companies · 8 technologies · 3 references" in shown


async def test_filter_narrows_the_pane_and_marks_the_matched_characters() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash", *"memc")
        await settle(pilot)
        assert isinstance(app.focused, FilterInput)
        assert pane(app, "technology").border_subtitle == "1/8"
        entries = pane(app, "technology").query_one(EntryList)
        prompt = entries.get_option_at_index(0).prompt
        assert prompt.plain.endswith("memcached")
        start = prompt.plain.index("memcached")
        marked = {
            i for span in prompt.spans if span.style == MATCH_STYLE for i in range(span.start, span.end)
        }
        assert marked == set(range(start, start + 4))
        assert main(app).details.subject == Target("technology", "memcached")
        # Other panes are untouched.
        assert pane(app, "company").border_subtitle == "4/4"


async def test_best_matches_come_first() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "slash", *"al")
        await settle(pilot)
        assert prompts(app, "company")[0].endswith("Alpha Social")  # prefix above scattered "a...l"


async def test_a_letter_on_a_list_is_a_command_or_says_it_is_none_and_never_filters(notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "r", "e", "d")
        await settle(pilot)
        assert pane(app, "technology").query_text == ""
        assert isinstance(app.focused, EntryList)
        assert [m for _s, m in notes] == ["r is not a key here: / filters this pane, ? lists every key."]
        await pilot.press("slash", *"red")
        await settle(pilot)
        assert pane(app, "technology").query_text == "red"
        assert prompts(app, "technology")[0].endswith("Redis")


async def test_a_filter_that_matches_nothing_says_so() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"zzzzqqq")
        await settle(pilot)
        assert pane(app, "company").border_subtitle == "0/4"
        assert main(app).details.subject is None


async def test_escape_clears_the_filter_then_returns_to_the_list() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash", *"redis")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert pane(app, "technology").query_text == ""
        assert pane(app, "technology").border_subtitle == "8/8"
        await pilot.press("escape")
        assert isinstance(app.focused, EntryList)


async def test_panes_switch_with_numbers_and_tab() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        assert main(app).current_kind == "reference"
        assert main(app).details.subject == Target("reference", pane(app, "reference").highlighted.id)
        await pilot.press("tab")
        assert app.focused is main(app).details
        await pilot.press("tab")
        assert main(app).current_kind == "company"
        await pilot.press("shift+tab")
        assert app.focused is main(app).details
        await pilot.press("shift+tab")
        assert main(app).current_kind == "reference"


async def cursor_to(pilot, target: Target) -> None:
    """Move the details cursor down to the row that links to target."""
    details = pilot.app.main.details
    for _ in range(details.option_count):
        if details.pointed == target:
            return
        await pilot.press("j")
    raise AssertionError(f"no row links to {target}")


async def test_follow_company_to_technology_to_company_then_back_and_forward() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main(app)
        await pilot.press("enter")  # Alpha Social's details
        assert app.focused is screen.details
        await cursor_to(pilot, Target("technology", "memcached"))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.details.subject == Target("technology", "memcached")
        assert screen.current_kind == "technology"
        assert pane(app, "technology").highlighted == Target("technology", "memcached")
        await cursor_to(pilot, Target("company", "lezhin"))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.details.subject == Target("company", "lezhin")
        assert "레진코믹스" in screen_text(app)

        await pilot.press("backspace")
        await settle(pilot)
        assert screen.details.subject == Target("technology", "memcached")
        await pilot.press("alt+left")
        await settle(pilot)
        assert screen.details.subject == Target("company", "alpha")
        assert screen.current_kind == "company"
        await pilot.press("alt+right")
        await settle(pilot)
        assert screen.details.subject == Target("technology", "memcached")
        await pilot.press("escape")  # in the details: escape goes back too
        await settle(pilot)
        assert screen.details.subject == Target("company", "alpha")


async def typed_ahead(app: HLExploreApp, *keys: str) -> None:
    """Keys typed faster than the app reads them: all in its queue before it handles the first."""
    for key in keys:
        app.post_message(events.Key(key, None))


async def test_keys_typed_ahead_act_in_their_order() -> None:
    # enter on a row of the details and backspace at once: back from where enter led, not from before
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main(app)
        await pilot.press("enter")  # Alpha Social's details
        await cursor_to(pilot, Target("technology", "memcached"))
        await typed_ahead(app, "enter", "backspace")
        await settle(pilot)
        assert screen.details.subject == Target("company", "alpha")
        assert screen.history.can_go_forward  # memcached was reached, then left by back


async def test_keys_typed_ahead_of_a_comparison_do_not_end_the_explorer() -> None:
    # random keys in tmux once ended the app in a comparison that had not drawn its table yet (its check
    # of a key asked for the table): keys typed the moment it opens must find it whole or be let go
    from hlexplore.app.screens.compare import CompareScreen

    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "space", "c")  # a comparison of the first two companies
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("escape")  # back to the explorer
        await settle(pilot)
        assert app.screen is main(app)
        await typed_ahead(app, "alt+right", "j", "y", "s", "d")  # forward again, and keys at once
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.is_running and app.return_code is None


async def test_following_to_an_entry_hidden_by_a_filter_clears_that_filter() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main(app)
        await pilot.press("1", "slash", *"quiet")
        await settle(pilot)
        assert pane(app, "company").border_subtitle == "1/4"
        await pilot.press("tab", "enter")  # leave the filter as it is; memcached's details
        await cursor_to(pilot, Target("company", "alpha"))
        await pilot.press("enter")
        await settle(pilot)
        assert pane(app, "company").query_text == ""
        assert pane(app, "company").highlighted == Target("company", "alpha")
        assert screen.details.subject == Target("company", "alpha")


async def test_technology_details_show_users_with_notes_parts_and_companions() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash", *"aws")
        await settle(pilot)
        shown = screen_text(app)
        assert "Used by 2 of 4 companies" in shown  # Bravo directly, Alpha through EC2
        assert "via Amazon EC2" in shown
        assert "part: Amazon EC2" in shown


async def test_open_link_uses_the_browser_off_the_event_loop(opened, notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://alpha.example.com/architecture"]
        await pilot.press("O")
        await settle(pilot)
        assert opened[-1] == "https://web.archive.org/web/*/https://alpha.example.com/architecture"


async def test_a_dead_short_link_opens_its_archived_copies(opened, notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"bravo")
        await settle(pilot)
        await pilot.press("enter")  # to the details, cursor on the first linked row
        await pilot.press("escape")  # no history yet: back to the list
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://web.archive.org/web/*/http://goo.gl/AbCd"]
        assert any("archived" in message for _, message in notes)


async def test_o_in_the_details_opens_the_row_under_the_cursor(opened, notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await cursor_to(pilot, Target("reference", "alpha-scaling-alpha-memcached-at-the-edge"))
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://alpha.example.com/blog/memcached"]


async def test_enter_on_the_link_rows_of_the_details_opens_them(opened, notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # details of Alpha Social: the cursor starts on its link
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("j", "enter")  # the archived copies, one row down
        await settle(pilot)
        assert opened == [
            "https://alpha.example.com/architecture",
            "https://web.archive.org/web/*/https://alpha.example.com/architecture",
        ]


async def test_without_a_browser_it_offers_to_copy(monkeypatch, notes) -> None:
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(app_links, "launch_browser", lambda url: pytest.fail("no browser to launch"))
    copied: list[str] = []
    monkeypatch.setattr(HLExploreApp, "copy_to_clipboard", lambda self, text: copied.append(text))
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await settle(pilot)
        severity, message = notes[-1]
        assert severity == "warning" and "No browser" in message and "y" in message
        assert "https://alpha.example.com/architecture" in message
        await pilot.press("y")
        assert copied == ["https://alpha.example.com/architecture"]


async def test_a_browser_that_fails_is_reported(monkeypatch, notes) -> None:
    monkeypatch.setenv("BROWSER", "/bin/false")
    monkeypatch.setattr(app_links, "launch_browser", lambda url: False)
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await settle(pilot)
        assert any(s == "warning" and "could not be started" in m for s, m in notes)


async def test_non_http_links_are_refused(opened, notes) -> None:
    catalog = load_catalog(EXPLORER_CATALOG)
    evil = dataclasses.replace(catalog.companies[0], url="javascript:alert(1)", short_url="")
    catalog = dataclasses.replace(catalog, companies=(evil, *catalog.companies[1:]))
    app = HLExploreApp(CatalogIndex(catalog))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("y")
        assert opened == []
        assert [s for s, _ in notes] == ["error", "warning"]
        assert "Not opened" in notes[0][1] and "Not copied" in notes[1][1]


async def test_palette_jumps_to_any_entry(notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"lezhin")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert main(app).details.subject == Target("company", "lezhin")
        assert main(app).current_kind == "company"
        await pilot.press("backspace")  # the jump is in the history
        await settle(pilot)
        assert main(app).details.subject == Target("company", "alpha")


@pytest.mark.parametrize(
    ("typed", "target"),
    [
        ("reddis", Target("technology", "redis")),
        ("lezhni", Target("company", "lezhin")),
        ("MY SQL", Target("technology", "mysql")),
    ],
)
async def test_palette_goes_where_the_command_line_would(typed, target, notes) -> None:
    """The palette's first hit is the entry `hlexplore show TYPED` answers for (near misses too)."""
    app = explorer_app()
    assert app.index.resolve(typed).entry.id == target.id
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*typed)
        await pilot.pause(0.4)
        await pilot.press("enter")
        await settle(pilot)
        assert main(app).details.subject == target


async def test_palette_opens_links(opened, notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open redis")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert opened == ["https://redis.io/"]


async def test_help_lists_every_binding_with_its_id() -> None:
    from hlexplore.app.keymap import keyed_places

    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = set(help_rows(app))
        classes = [HLExploreApp, *(cls for _where, cls in keyed_places())]
        declared = {b.id for cls in classes for b in cls.BINDINGS if hasattr(b, "id")}
        assert None not in declared, "every binding has a keymap id"
        assert declared <= ids
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_is_grouped_and_filters_with_slash() -> None:
    app = explorer_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        assert "explorer · panes and moving" in shown and "main screen" not in shown
        await pilot.press("slash", *"archived")
        await pilot.pause()
        assert set(help_rows(app)) == {"main.open_archived"}
        await pilot.press(*"zzz")
        await pilot.pause()
        assert "No key matches “archivedzzz”: escape clears the filter." in screen_text(app)
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert len(help_rows(app)) > 40 and isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "escape")  # to the list, then closes
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_help_shows_remapped_keys() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.set_keymap({"main.open": "w"})
        await pilot.press("question_mark")
        await pilot.pause()
        assert help_rows(app)["main.open"] == "w"


async def test_q_quits() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


async def test_q_in_a_filter_is_typed_not_quit() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "q")
        await settle(pilot)
        assert app.is_running and pane(app, "company").query_text == "q"


async def test_catalog_text_is_shown_literally_and_never_reaches_the_terminal_as_control() -> None:
    app = explorer_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("slash", *"bravo")
        await settle(pilot)
        shown = screen_text(app)
        assert "Bravo [link=https://evil.example]click[/link]" in shown
        assert "[red]queue[/red]" in shown
        assert "[bold]x[/] ␛[31mred␛[0m" in shown
        await pilot.press("tab", "slash", *"custom")
        await settle(pilot)
        assert "custom[?]" in screen_text(app)
        await pilot.press("escape", "escape", "slash", *"hostile red")
        await settle(pilot)
        shown = screen_text(app)
        assert "␛]0;pwned␇" in shown
        assert "😀" in shown and "שלום" in shown and "مرحبا" in shown  # wide and right-to-left text, as data
        svg = app.export_screenshot()
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in shown and raw not in svg


@pytest.mark.parametrize("size", [(20, 6), (40, 12), (69, 20), (80, 24), (109, 29), (120, 40), (200, 60)])
async def test_every_size_renders_and_resizing_never_raises(size) -> None:
    app = explorer_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("slash", *"a")
        await settle(pilot)
        for width, height in [(80, 24), size, (30, 8), (150, 45), size]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
        screen_text(app)
        narrow = size[0] < 110 or size[1] < 30
        assert main(app).has_class("-narrow") == narrow
        visible = [k for k in ("company", "technology", "reference") if pane(app, k).display]
        assert visible == (["company"] if narrow else ["company", "technology", "reference"])


async def test_a_filter_longer_than_its_box_scrolls_to_what_is_typed() -> None:
    # the filter keeps its text's width without laying the screen out again (FilterInput.virtual_size)
    app = explorer_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *("a" * 90), *"zyxwv")
        await settle(pilot)
        assert app.main.pane("company").query_text == "a" * 90 + "zyxwv"
        assert "aaazyxwv" in screen_text(app)  # the end, where the cursor is, not the start


async def test_o_in_the_details_opens_what_they_show_unless_on_a_reference_row(opened, notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # Alpha Social's details
        await cursor_to(pilot, Target("technology", "memcached"))  # a row of its stack
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://alpha.example.com/architecture"]  # Alpha's own source, not memcached's
        assert notes[-1][1] == "Opening Alpha Social's source: https://alpha.example.com/architecture"


async def test_a_references_details_open_the_reference_not_its_owner(opened, notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "enter")  # the first reference's details: the cursor starts on its owner
        await settle(pilot)
        subject = app.main.details.subject
        assert subject is not None and subject.kind == "reference"
        reference = app.index.get("reference", subject.id)
        await pilot.press("o")
        await settle(pilot)
        assert len(opened) == 1 and opened[0].endswith(reference.url.split("//", 1)[1])
        assert notes[-1][1].startswith(f"Opening “{reference.title}”") or "archived copies" in notes[-1][1]


async def test_a_page_key_on_a_list_not_laid_out_yet_does_not_end_the_app() -> None:
    # Textual 8.2.8's OptionList raised KeyError for a page key before its first layout (seen with random
    # keys at 80×24: a pane shown the moment before, the command palette just opened).
    from textual.app import App
    from textual.widgets import OptionList

    class Hidden(App[None]):
        def compose(self):
            yield OptionList("a", "b", "c", id="hidden")

        def on_mount(self) -> None:
            self.query_one(OptionList).display = False

    app = Hidden()
    async with app.run_test(size=(40, 10)) as pilot:
        options = app.query_one(OptionList)
        options.highlighted = 0
        options.action_page_down()
        options.action_page_up()
        await pilot.pause()
        assert app.is_running and options.highlighted == 0


async def test_the_palette_has_one_keys_entry_ours() -> None:
    app = explorer_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = [c for c in app.get_system_commands(app.screen) if c.title == "Keys"]
        assert len(keys) == 1 and "keymap id" in keys[0].help


async def test_the_filter_takes_fzfs_or_with_spaces() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash", *"redis | memcached")
        await settle(pilot)
        shown = [p.split()[-1] for p in prompts(app, "technology")]
        assert sorted(shown) == ["Redis", "memcached"]


async def test_a_background_job_that_fails_is_said(notes, monkeypatch) -> None:
    from hlexplore.index.catalog_index import CatalogIndex

    def broken(self, kind, **_options) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(CatalogIndex, "prepare", broken)
    monkeypatch.setattr("hlexplore.app.screens.main.FILTER_INLINE_UP_TO", 1)  # so the search is prepared
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert any(s == "error" and "prepare" in m and "disk on fire" in m for s, m in notes), notes
        assert app.is_running  # the explorer goes on
