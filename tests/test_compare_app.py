"""Pilot tests of comparisons: every way in (picker, marks, palette, similar rows, --compare), the toggles,
following and opening from the table, export, and the hostile catalog shown safely."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, Input

from hlexplore.app.app import HLExploreApp
from hlexplore.app.factory import make_app
from hlexplore.app.screens.compare import CompareScreen
from hlexplore.app.screens.export import ExportDialog
from hlexplore.app.screens.main import MainScreen
from hlexplore.app.screens.picker import CompanyPicker
from hlexplore.app.targets import Target
from hlexplore.app.widgets.entry_pane import EntryList
from hlexplore.catalog.loader import load_catalog
from tests.explorer_helpers import EXPLORER_CATALOG, explorer_app, help_rows, screen_text, settle


def table_text(app: HLExploreApp) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [
        [str(getattr(cell, "plain", cell)).strip() for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def headers(app: HLExploreApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [column.label.plain for column in table.columns.values()]


def picker_ids(app: HLExploreApp) -> list[str]:
    options = app.screen.query_one("#picker-list")
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_c_asks_for_the_second_company_with_the_most_similar_first() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")  # Alpha Social is highlighted
        await settle(pilot)
        assert isinstance(app.screen, CompanyPicker)
        # Lezhin shares memcached and MySQL with Alpha; the others share nothing; Alpha itself is left out.
        assert picker_ids(app) == ["lezhin", "bravo", "quiet"]
        assert "0.33" in screen_text(app) and "2 shared: memcached, MySQL" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.company_ids == ["alpha", "lezhin"]
        shown = screen_text(app)
        assert "2 shared, 2 only Alpha Social, 2 only Lezhin Comics, Jaccard 0.33" in shown
        assert headers(app)[1:] == ["Alpha Social", "Lezhin Comics (레진코믹스)"]
        rows = table_text(app)
        assert ["cache", "● memcached  thousands of nodes", "● memcached"] in rows
        assert any(r[1] == "Amazon EC2" and r[2] == "" for r in rows)  # only Alpha's
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_picker_filters_and_escape_cancels() -> None:
    app = explorer_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", *"qui")
        await settle(pilot)
        assert picker_ids(app) == ["quiet"]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("c", *"zzzz", "enter")  # nothing matches: enter does nothing
        await settle(pilot)
        assert isinstance(app.screen, CompanyPicker) and picker_ids(app) == []


@pytest.mark.parametrize("pane_key", ["2", "3"])
async def test_escape_closes_the_picker_asked_with_no_company_at_hand(pane_key: str) -> None:
    app = explorer_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(pane_key, "c")  # a technology or a reference: the picker asks for both
        await settle(pilot)
        assert isinstance(app.screen, CompanyPicker) and app.screen.other is None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # closed with one press, and not opened again


async def test_marks_in_the_companies_pane_compare_three_as_a_matrix(notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "space", "j", "space")  # Alpha, Bravo, (skip Lezhin) Quiet
        await settle(pilot)
        companies = app.main.pane("company")
        assert companies.marked == ["alpha", "bravo", "quiet"]
        assert companies.border_subtitle == "4/4 · 3 marked"
        rows = companies.query_one(EntryList)
        marks = [rows.get_option_at_index(i).prompt.plain[0] for i in range(rows.option_count)]
        assert marks == ["●", "●", " ", "●"]
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen.matrix is not None
        # Long names give way to ellipses in the matrix's columns (the info line below names them whole).
        assert headers(app) == [
            "category",
            "technology",
            "Alpha Social",
            "Bravo [link…",
            "Quiet Corp",
            "of 3",
        ]
        assert table_text(app)[-1] == ["", "technologies", "4", "3", "0", ""]  # Quiet's stack is empty
        await pilot.press("escape")
        await pilot.press("escape")  # escape never clears the marks: they are the user's work
        assert companies.marked == ["alpha", "bravo", "quiet"]
        await pilot.press("U")  # its own key, which says how many it cleared
        assert companies.marked == [] and companies.border_subtitle == "4/4"
        assert ("information", "Cleared 3 marks.") in notes


async def test_marks_survive_filtering_and_only_companies_can_be_marked(notes) -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "slash", *"lez", "escape", "escape")
        await settle(pilot)
        companies = app.main.pane("company")
        assert companies.marked == ["alpha"]
        await pilot.press("2", "space")
        assert any("Marks are for companies" in message for _severity, message in notes)
        # Clearing the filter kept Lezhin highlighted: space marks it.
        await pilot.press("1", "space", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen.company_ids == ["alpha", "lezhin"]


async def test_palette_compare_command_then_pick() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"Compare")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompanyPicker)
        await pilot.press(*"lez", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen.company_ids == ["alpha", "lezhin"]


async def test_palette_compare_with_nothing_at_hand_asks_for_both() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")  # a technology is highlighted, the details show it: no company at hand
        await pilot.press("ctrl+p", *"Compare")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompanyPicker) and app.screen.other is None
        await pilot.press(*"bravo", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CompanyPicker) and app.screen.other == "bravo"
        await pilot.press(*"quiet", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen.company_ids == ["bravo", "quiet"]


async def test_similar_row_in_the_details_opens_the_comparison() -> None:
    app = explorer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # Alpha's details
        details = app.main.details
        similar = next(
            i
            for i in range(details.option_count)
            if (details.get_option_at_index(i).id or "").startswith("compare:")
        )
        details.highlighted = similar
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen.company_ids == ["alpha", "lezhin"]


async def test_compare_flag_opens_straight_into_the_comparison() -> None:
    app = make_app(load_catalog(EXPLORER_CATALOG), compare=["lezhin", "alpha", "quiet"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen.matrix is not None
        assert [c.id for c in app.screen.matrix.companies] == ["lezhin", "alpha", "quiet"]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_toggles_differences_shared_and_swap() -> None:
    app = make_app(load_catalog(EXPLORER_CATALOG), compare=["alpha", "lezhin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        everything = table_text(app)
        # By category: EC2 | -, nginx | -, memcached = memcached, - | Redis, MySQL = MySQL, - | custom[?]
        assert len(everything) == 6
        await pilot.press("d")
        await settle(pilot)
        assert all("●" not in cell for row in table_text(app) for cell in row)
        assert "differences only" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        shared = table_text(app)
        assert [r[1].split()[1] for r in shared] == ["memcached", "MySQL"] and all(
            r[2].startswith("●") for r in shared
        )
        await pilot.press("s")
        await settle(pilot)
        assert table_text(app) == everything
        await pilot.press("w")
        await settle(pilot)
        assert headers(app)[1:] == ["Lezhin Comics (레진코믹스)", "Alpha Social"]
        assert ["cache", "● memcached", "● memcached  thousands of nodes"] in table_text(app)
        assert "2 shared, 2 only Lezhin Comics, 2 only Alpha Social" in screen_text(app)


async def test_swap_is_not_offered_for_a_matrix() -> None:
    app = make_app(load_catalog(EXPLORER_CATALOG), compare=["alpha", "lezhin", "bravo"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = headers(app)
        await pilot.press("w")
        assert headers(app) == before
        await pilot.press("d")  # the matrix: hide what everyone uses (nothing here), keep the rest
        assert len(table_text(app)) == len(app.screen.matrix.rows) + 1
        await pilot.press("s")  # used by two or more
        assert [r[1] for r in table_text(app)[:-1]] == ["memcached", "Redis", "MySQL"]


async def test_follow_and_open_a_technology_from_the_comparison(opened) -> None:
    app = make_app(load_catalog(EXPLORER_CATALOG), compare=["alpha", "lezhin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.pointed.id == "ec2"  # the cursor starts on the first technology
        await pilot.press("j", "j")
        assert app.screen.pointed.id == "memcached"
        assert "thousands of nodes" in screen_text(app)  # what Alpha said about it, under the table
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://memcached.org/"]
        await pilot.press("j", "l")  # fourth row, right side: Redis (Lezhin's)
        assert app.screen.pointed.id == "redis"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.details.subject == Target("technology", "redis")


async def test_export_writes_markdown_and_json_and_says_where(tmp_path, notes, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(load_catalog(EXPLORER_CATALOG), compare=["alpha", "lezhin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(Input).value == str(tmp_path / "compare-alpha-lezhin.md")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        markdown = (tmp_path / "compare-alpha-lezhin.md").read_text(encoding="utf-8")
        assert markdown.startswith("# Alpha Social and Lezhin Comics: stacks side by side")
        assert "| cache | **memcached** (thousands of nodes) | **memcached** |" in markdown
        data = json.loads((tmp_path / "compare-alpha-lezhin.json").read_text(encoding="utf-8"))
        assert data["jaccard"] == pytest.approx(1 / 3, abs=1e-4)
        assert any(str(tmp_path / "compare-alpha-lezhin.md") in message for _s, message in notes)
        # A chosen path: a folder that does not exist is an error that names it, and nothing breaks.
        await pilot.press("e")
        await settle(pilot)
        field = app.screen.query_one(Input)
        field.value = str(tmp_path / "missing" / "out.md")
        await pilot.press("enter")
        await settle(pilot)
        assert notes[-1][0] == "error" and "missing" in notes[-1][1]
        assert isinstance(app.screen, CompareScreen)
        # A folder that exists gets the default name inside it; escape cancels without writing.
        (tmp_path / "exports").mkdir()
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one(Input).value = str(tmp_path / "exports")
        await pilot.press("enter")
        await settle(pilot)
        assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == [
            "compare-alpha-lezhin.json",
            "compare-alpha-lezhin.md",
        ]
        await pilot.press("e", "escape")
        assert isinstance(app.screen, CompareScreen)


async def test_hostile_names_are_shown_literally_in_the_comparison() -> None:
    app = make_app(load_catalog(EXPLORER_CATALOG), compare=["bravo", "lezhin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Bravo [link=https://evil.example]click[/link]" in shown
        assert "[red]queue[/red]" in shown  # Bravo's note on Redis
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown


@pytest.mark.parametrize(
    "ids", [["alpha", "lezhin"], ["alpha", "lezhin", "bravo", "quiet"], ["quiet", "quiet"]]
)
async def test_comparison_survives_every_size_and_resize(ids) -> None:
    app = make_app(load_catalog(EXPLORER_CATALOG), compare=ids)
    async with app.run_test(size=(80, 24)) as pilot:
        for size in [(20, 6), (40, 12), (80, 24), (120, 40), (200, 60), (30, 8)]:
            await pilot.resize_terminal(*size)
            await pilot.press("d", "j", "l", "s", "w")
            await settle(pilot)
            assert isinstance(app.screen, CompareScreen)
        assert app.return_code is None


async def test_help_lists_the_comparison_keys_with_their_ids() -> None:
    app = make_app(load_catalog(EXPLORER_CATALOG), compare=["alpha", "lezhin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        ids = list(help_rows(app))
        assert {
            "compare.differences",
            "compare.shared",
            "compare.swap",
            "compare.export",
            "main.mark",
        } <= set(ids)
        assert {"main.compare", "app.quit"} <= set(ids)
        assert ids[0].startswith("compare.")  # the keys of the screen in front come first
        assert "comparison · panes and moving" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, CompareScreen)
