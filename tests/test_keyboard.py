"""One keyboard model, tried in a real terminal (tmux) at 80×24 and 120×40 the way a new user tries it:
words typed on a list, escape out of every dialog, links from the details, marks after a filter, back to
a comparison, the end of a long list, the panes of a small terminal, empty filters, the help, and a long
run of random keys."""

from __future__ import annotations

import random
import string
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hlexplore.catalog.loader import bundled_catalog_path, load_catalog
from hlexplore.index import CatalogIndex
from tests.test_terminal import browser, browser_log, start  # noqa: F401  (fixtures)
from tests.tmux import PROMPT, Terminal

SIZES = [(80, 24), (120, 40)]
IDS = ["80x24", "120x40"]


@pytest.fixture(params=SIZES, ids=IDS)
def terminal(request: pytest.FixtureRequest, tmp_path: Path, browser: Path) -> Iterator[Terminal]:  # noqa: F811
    width, height = request.param
    env = {"BROWSER": str(browser), "HOME": str(tmp_path)}
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[variable] = str(tmp_path / variable.lower())
    term = Terminal(width, height, env)
    term.type(f"cd '{tmp_path}'")
    term.keys("Enter")
    try:
        yield term
    finally:
        term.close()


@pytest.fixture(scope="module")
def index() -> CatalogIndex:
    return CatalogIndex(load_catalog(bundled_catalog_path()))


def quit_to_the_prompt(terminal: Terminal) -> str:
    terminal.keys("q")
    shown = terminal.wait_until(
        lambda shown: shown.rstrip().endswith(PROMPT) and "1 Companies" not in shown, "the shell prompt"
    )
    assert "Traceback" not in shown
    return shown


def opened(log: Path, count: int = 1, timeout: float = 15) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= count:
            return lines
        time.sleep(0.1)
    return log.read_text().splitlines() if log.exists() else []


def test_a_word_typed_on_a_list_never_quits_and_in_a_filter_every_key_is_text(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("x")  # no command: says so, and nothing else happens
    terminal.wait_for("x is not a key here")
    terminal.keys("/")
    terminal.type("quora q 'x ^y $ !z | 12")
    shown = terminal.wait_for("quora q 'x ^y $ !z | 12", "Nothing matches")
    assert "1 Companies" in shown  # q was text: the explorer is still there
    terminal.escape()  # clears the filter
    terminal.wait_for("23/23", absent=("quora q",))
    terminal.escape()  # leaves it for the list, where q is a command
    quit_to_the_prompt(terminal)


def test_escape_closes_every_dialog_with_one_press(terminal: Terminal) -> None:
    start(terminal)
    # The picker asked for with no company at hand (from the Technologies pane) used to open again.
    for opening, shown in (
        (["2", "c"], "Compare which company?"),
        (["1", "c"], "Compare 99designs with…"),
        (["?"], "On a list every key is a command"),
        (["B"], "No bookmarks yet"),
        (["n"], "Note on"),
        (["i"], "Most used technologies"),
    ):
        terminal.keys(*opening)
        terminal.wait_for(shown)
        terminal.escape()
        terminal.wait_for("1 Companies", absent=(shown,))
    quit_to_the_prompt(terminal)


def test_o_in_a_references_details_opens_the_reference_itself(
    terminal: Terminal,
    browser_log: Path,  # noqa: F811
    index: CatalogIndex,
) -> None:
    reference = index.filter("reference", "massively sharded")[0].entry
    start(terminal)
    terminal.keys("3", "/")
    terminal.type("massively sharded")
    terminal.keys("Enter", "Enter")  # to the list, into the details: the cursor is on the owner's row
    terminal.wait_for("Reference", "about: Tumblr")
    terminal.keys("o")
    terminal.wait_for("Opening “Evan Ellis")
    assert opened(browser_log) == [reference.url]
    quit_to_the_prompt(terminal)


def test_space_marks_after_a_filter_and_marks_are_cleared_by_their_own_key(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("/")
    terminal.type("instagram")
    terminal.keys("Enter", "Space")  # enter keeps the filter and goes to the list, where space marks
    terminal.wait_until(
        lambda shown: (
            "1/23 · 1 marked" in shown
            and any("●" in line and "Instagram" in line for line in shown.splitlines())
        ),
        "Instagram marked in the list",
    )
    terminal.escape()  # clears the filter, keeps the mark
    terminal.wait_for("23/23 · 1 marked")
    terminal.escape()
    terminal.wait_for("23/23 · 1 marked")
    terminal.keys("U")
    terminal.wait_for("Cleared 1 mark.", absent=("· 1 marked",))
    quit_to_the_prompt(terminal)


def test_back_returns_to_the_comparison_and_to_the_row_of_the_details(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("/")
    terminal.type("instagram")
    terminal.keys("Enter", "c")
    terminal.wait_for("Compare Instagram with…")
    terminal.type("pinterest")
    terminal.keys("Enter")
    terminal.wait_for("Compare Instagram and Pinterest")
    terminal.keys("Enter")  # the technology under the cursor, in the explorer
    terminal.wait_for("Technology", absent=("Compare Instagram and Pinterest",))
    terminal.keys("BSpace")  # back: the comparison again
    terminal.wait_for("Compare Instagram and Pinterest")
    terminal.escape()  # and back again: the explorer where the comparison was started
    terminal.wait_for("1 Companies", "Company", absent=("Compare Instagram and Pinterest",))
    terminal.keys("M-Right")  # forward: the comparison
    terminal.wait_for("Compare Instagram and Pinterest")
    quit_to_the_prompt(terminal)


def test_back_keeps_the_row_of_the_details(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("2", "/")
    terminal.type("memcached")
    terminal.keys("Enter", "Enter", "j", "j", "j", "Enter")  # the second company using memcached
    terminal.wait_for("Company", "Stack (", absent=("Used by 12",))
    terminal.keys("BSpace")
    shown = terminal.wait_for("Used by 12 of 23 companies")
    time.sleep(0.3)  # as a person reads the screen before the next key
    terminal.keys("Enter")  # the cursor is where it was: the same company again
    again = terminal.wait_for("Company", "Stack (", absent=("Used by 12",))
    assert shown != again
    terminal.keys("BSpace")
    terminal.wait_for("Used by 12 of 23 companies")
    time.sleep(0.3)
    terminal.keys("Up", "Enter")  # one row up: the first company using memcached
    terminal.wait_for("99designs", "Stack (15)")
    quit_to_the_prompt(terminal)


def test_the_end_of_a_long_list_in_one_press(terminal: Terminal, index: CatalogIndex) -> None:
    last = index.entries("technology")[-1]
    start(terminal)
    terminal.keys("2", "G")
    shown = terminal.wait_for(last.name, "161/161", "Technology")
    assert "(first" not in shown
    terminal.keys("g")
    terminal.wait_for("memcached", "Used by 12 of 23 companies")
    terminal.keys("End")
    terminal.wait_for(last.name)
    quit_to_the_prompt(terminal)


def test_a_small_terminal_shows_which_pane_and_how_to_reach_the_others(terminal: Terminal) -> None:
    start(terminal)
    shown = terminal.screen()
    width = terminal.width
    strip = "1 Companies  2 Technologies  3 References"
    if width < 110:  # one list at a time: the strip names all three
        assert strip in shown and "tab next pane" in shown
        terminal.keys("Tab")
        terminal.wait_for("2 Technologies ─")
    else:  # all three lists show, each titled with its number
        assert strip not in shown
        assert all(title in shown for title in ("1 Companies", "2 Technologies", "3 References"))
    quit_to_the_prompt(terminal)


def test_a_filter_that_matches_nothing_says_what_and_how_back(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("/")
    terminal.type("zzzz")
    terminal.wait_for("Nothing matches “zzzz”", "0/23")
    terminal.escape()
    terminal.wait_for("23/23", absent=("Nothing matches",))
    terminal.escape()
    quit_to_the_prompt(terminal)


def test_help_is_grouped_filterable_and_closes(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("?")
    terminal.wait_for("explorer · panes and moving", "esc Close")
    terminal.keys("/")
    terminal.type("archived")
    terminal.wait_for("main.open_archived", absent=("main.next_pane",))
    terminal.escape(3)  # clear, to the list, close
    terminal.wait_for("1 Companies", absent=("main.open_archived",))
    quit_to_the_prompt(terminal)


# Random keys: every printable key but q (which quits from a list, as it should), and the keys a person
# reaches for without ctrl.
RANDOM_KEYS = [
    *(c for c in string.ascii_letters + string.digits + string.punctuation if c != "q"),
    *["Space", "Up", "Down", "Left", "Right", "Tab", "BTab", "Enter", "Escape", "BSpace"],
    *["Home", "End", "PPage", "NPage"],
]


@pytest.mark.parametrize("seed", [18, 19])
def test_random_keys_leave_the_explorer_answering(terminal: Terminal, seed: int) -> None:
    rng = random.Random(seed)
    start(terminal)
    [pid] = terminal.foreground_pids()
    sent = 0
    while sent < 1500:
        batch = [rng.choice(RANDOM_KEYS) for _ in range(20)]
        for key in batch:  # characters typed literally (tmux would read ";" or "\\" as its own syntax)
            if len(key) == 1:
                terminal.type(key)
            else:
                terminal.keys(key)
        sent += len(batch)
        time.sleep(0.03)
        if sent % 300 == 0:
            shown = terminal.screen()
            assert "Traceback" not in shown, shown
            assert Path(f"/proc/{pid}").exists(), f"the explorer ended after {sent} keys:\n{shown}"
    terminal.escape(8)  # out of every dialog and text field (back, too: perhaps to a comparison)
    time.sleep(0.5)
    terminal.keys("?")  # it still answers
    terminal.wait_for("On a list every key is a command")
    terminal.escape()
    terminal.wait_until(lambda shown: "On a list every key is a command" not in shown, "the help closed")
    quit_to_the_prompt(terminal)
