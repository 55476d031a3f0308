"""The installed hlexplore in a real terminal (tmux), driven the way a person would."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tmux import HLEXPLORE, PROMPT, Terminal


@pytest.fixture
def browser_log(tmp_path: Path) -> Path:
    return tmp_path / "opened.txt"


@pytest.fixture
def browser(tmp_path: Path, browser_log: Path) -> Path:
    """A stand-in for a browser: it records what it was asked to open."""
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{browser_log}"\n')
    script.chmod(0o755)
    return script


@pytest.fixture
def terminal(request: pytest.FixtureRequest, tmp_path: Path, browser: Path) -> Iterator[Terminal]:
    width, height = getattr(request, "param", (120, 40))
    env = {"BROWSER": str(browser), "HOME": str(tmp_path)}
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[variable] = str(tmp_path / variable.lower())
    term = Terminal(width, height, env)
    try:
        yield term
    finally:
        term.close()


def start(terminal: Terminal) -> None:
    terminal.type(f"{HLEXPLORE}")
    terminal.keys("Enter")
    terminal.wait_for("1 Companies", "23/23", "^p palette")


@pytest.mark.parametrize("terminal", [(120, 40), (80, 24)], indirect=True, ids=["120x40", "80x24"])
def test_filter_technologies_to_memcached_and_see_who_uses_it(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("2", "/")
    terminal.type("memcached")
    shown = terminal.wait_for("memcached", "Used by 12 of 23 companies")
    for company in ("99designs", "Facebook", "Instagram"):
        assert company in shown, shown


def test_follow_to_a_company_and_back(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("2", "/")
    terminal.type("memcached")
    terminal.wait_for("Used by 12 of 23 companies")
    # To the list, into the details (the cursor starts on memcached's own link), down past the archived
    # copies to the first company using it, and follow it: sent at once, as a paste or a macro would.
    terminal.keys("Enter", "Enter", "j", "j", "Enter")
    terminal.wait_for("Company", "Stack (15)", "99designs", absent=("Used by 12",))
    terminal.keys("BSpace")
    terminal.wait_for("Technology", "Used by 12 of 23 companies")
    terminal.keys("M-Right")  # forward again
    terminal.wait_for("Stack (15)")


def test_open_a_link_in_the_browser(terminal: Terminal, browser_log: Path) -> None:
    start(terminal)
    terminal.keys("2", "/")
    terminal.type("memcached")
    terminal.wait_for("Used by 12 of 23 companies")
    terminal.keys("o")  # in the filter, o is typed: nothing opens
    terminal.wait_for("memcachedo")
    terminal.keys("BSpace", "Enter", "Enter")  # to the list, to the details: the cursor starts on the link
    terminal.keys("Enter")
    terminal.wait_for("Opening memcached's home page: https://memcached.org/")
    deadline = time.monotonic() + 15
    while not (browser_log.exists() and browser_log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert browser_log.read_text().splitlines() == ["https://memcached.org/"]
    terminal.wait_for("Used by 12 of 23 companies")  # the screen is intact


def test_quit_returns_to_the_shell_prompt(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("q")
    shown = terminal.wait_until(
        lambda shown: shown.rstrip().endswith(PROMPT) and "1 Companies" not in shown, "a fresh prompt"
    )
    assert "Traceback" not in shown
    terminal.type("echo exit=$?")
    terminal.keys("Enter")
    terminal.wait_for("exit=0")


@pytest.mark.parametrize("terminal", [(80, 24)], indirect=True, ids=["80x24"])
def test_compare_flag_toggle_and_export(terminal: Terminal, tmp_path: Path) -> None:
    terminal.type(f"cd '{tmp_path}' && {HLEXPLORE} --compare instagram pinterest")
    terminal.keys("Enter")
    terminal.wait_for("Compare Instagram and Pinterest", "3 shared, 19 only Instagram, 12 only Pinterest")
    terminal.keys("d")
    terminal.wait_for("differences only")
    terminal.keys("d", "e")
    terminal.wait_for("Export the comparison")
    terminal.keys("Enter")
    terminal.wait_for("Exported to")
    markdown = (tmp_path / "compare-instagram-pinterest.md").read_text(encoding="utf-8")
    assert "| cache | **memcached** | **memcached** |" in markdown
    assert (tmp_path / "compare-instagram-pinterest.json").exists()
    terminal.escape()
    terminal.wait_for("1 Companies", "23/23")


def test_mark_two_companies_and_compare_them(terminal: Terminal) -> None:
    start(terminal)
    # Sent at once: mark 99designs (the cursor moves down), skip one, mark Facebook, compare.
    terminal.keys("Space", "j", "Space", "c")
    terminal.wait_for("Compare 99designs and Facebook", "4 shared, 11 only 99designs, 15 only Facebook")
    terminal.escape()
    terminal.wait_for("23/23 · 2 marked")
    terminal.escape()  # escape never clears the marks
    terminal.wait_for("23/23 · 2 marked")
    terminal.keys("U")
    terminal.wait_for("Cleared 2 marks", absent=("· 2 marked",))


def test_typed_fast_then_bookmark_and_note_and_reopen_where_left(terminal: Terminal) -> None:
    start(terminal)
    # All at once, as a paste would: the filter must hold "instagram" before enter acts on it.
    terminal.keys("/")
    terminal.type("instagram")
    terminal.keys("Enter", "b", "n")
    terminal.wait_for("Note on Instagram")
    terminal.type("ask about sharding")
    terminal.keys("C-s")
    terminal.wait_for("★ bookmarked", "✎ ask about sharding", "Stack (22)")
    terminal.keys("q")
    terminal.wait_until(lambda shown: shown.rstrip().endswith(PROMPT), "a fresh prompt")
    terminal.type(HLEXPLORE)
    terminal.keys("Enter")
    shown = terminal.wait_for("instagram", "★ bookmarked", "✎ ask about sharding", "1/23")
    assert "Traceback" not in shown


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "ctrl+c"])
def test_a_signal_ends_the_app_cleanly_and_keeps_where_the_user_was(
    terminal: Terminal, tmp_path: Path, name: str
) -> None:
    import json
    import os
    import signal

    start(terminal)
    terminal.keys("2", "/")
    terminal.type("redis")
    terminal.wait_for("─ 2/161 ─")  # Redis and Amazon RDS; the dashes make it the count, not a part of it
    [pid] = terminal.foreground_pids()
    if name == "ctrl+c":
        terminal.keys("C-c")  # a key to the app (raw mode), bound to quit
    else:
        os.kill(pid, getattr(signal, name))
    shown = terminal.wait_until(
        lambda shown: shown.rstrip().endswith(PROMPT) and "1 Companies" not in shown, "the shell prompt"
    )
    assert "Traceback" not in shown
    session = json.loads((tmp_path / "xdg_state_home" / "hlexplore" / "session.json").read_text())
    assert session["session"]["filters"]["technology"] == "redis", session
    terminal.type("echo exit=$?")
    terminal.keys("Enter")
    terminal.wait_for(f"exit={128 + getattr(signal, name)}" if name != "ctrl+c" else "exit=0")
    terminal.type("stty -a | tr ';' '\\n' | grep -c -- ' -icanon'")  # canonical mode is back on
    terminal.keys("Enter")
    terminal.wait_for("\n0")


def test_closing_the_terminal_ends_the_app(tmp_path: Path, browser: Path) -> None:
    # Closed while it paints (tmux kill-server, like a terminal window closed or ssh gone): Textual could
    # block for ever writing to the dead terminal, 1 time in 4, leaving the process and its catalog behind.
    env = {"BROWSER": str(browser), "HOME": str(tmp_path)}
    pids = []
    for attempt in range(3):
        term = Terminal(120, 40, env)
        try:
            start(term)
            term.keys("2", "/")
            term.type("memcached")
            time.sleep(0.1 * attempt)
            [pid] = term.foreground_pids()
            pids.append(pid)
        finally:
            term.close()

    def running(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state != "Z"  # a zombie has ended

    deadline = time.monotonic() + 15
    while any(map(running, pids)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in pids if running(pid)]


def test_a_dumb_terminal_is_told_why_the_explorer_cannot_start(terminal: Terminal) -> None:
    terminal.type(f"TERM=dumb {HLEXPLORE}; echo exit=$?")
    terminal.keys("Enter")
    shown = terminal.wait_for("exit=1")
    assert "needs a terminal that understands escape sequences (TERM=dumb)" in shown


def test_hostile_catalog_text_never_reaches_the_terminal_as_commands(terminal: Terminal) -> None:
    from tests.explorer_helpers import EXPLORER_CATALOG

    before = terminal.title()
    terminal.type(f"{HLEXPLORE} --only --catalog {EXPLORER_CATALOG}")
    terminal.keys("Enter")
    shown = terminal.wait_for("1 Companies", "4/4")
    assert "Bravo [link=https://evil.example]click[…" in shown  # literal text, cut to the pane's width
    terminal.keys("2", "/")
    terminal.type("red")
    terminal.keys("Enter")
    shown = terminal.wait_for("[bold]x[/]", "Technology")
    assert terminal.title() == before  # an OSC 0 in the catalog did not retitle the window
    terminal.keys("q")
    terminal.wait_until(lambda shown: shown.rstrip().endswith(PROMPT), "the shell prompt")


@pytest.mark.parametrize("terminal", [(80, 24), (120, 40)], indirect=True, ids=["80x24", "120x40"])
def test_insight_bars_followed_to_a_company(terminal: Terminal) -> None:
    start(terminal)
    terminal.keys("i")
    terminal.wait_for("Most used technologies: all categories", "memcached (cache): 12", "enter shows them")
    terminal.keys("Enter")  # memcached's bar: the technology and the 12 companies using it
    terminal.wait_for("memcached and the companies using it (13)", "99designs")
    terminal.keys("Down", "Enter")
    terminal.wait_for("Company", "Stack (15)", absent=("Most used technologies",))
    terminal.keys("i", "2")
    terminal.wait_for("Where stacks are heavy", "99designs: 15 technologies")
    terminal.escape()
    terminal.wait_for("1 Companies")


@pytest.mark.parametrize("terminal", [(80, 24)], indirect=True, ids=["80x24"])
def test_stats_output_parses_as_json_and_fits_80_columns(terminal: Terminal) -> None:
    terminal.type(f"{HLEXPLORE} stats --json | python3 -m json.tool > /dev/null && echo JSON-$((1+1))")
    terminal.keys("Enter")
    terminal.wait_for("JSON-2")  # what the shell printed, not what was typed
    measure = "import sys; print('WIDEST=%d' % max(len(l) for l in sys.stdin.read().splitlines()))"
    terminal.type(f'{HLEXPLORE} stats | python3 -c "{measure}"')
    terminal.keys("Enter")
    shown = terminal.wait_until(lambda screen: re.search(r"WIDEST=\d+", screen) is not None, "WIDEST=N")
    assert int(re.search(r"WIDEST=(\d+)", shown).group(1)) <= 80, shown  # an 80-column terminal: no wider


def _generated(tmp_path: Path, name: str, seed: int) -> Path:
    from benchmarks.gen_catalog import generate

    path = tmp_path / name
    with path.open("w", encoding="utf-8") as out:
        generate(companies=15000, technologies=1500, references=15000, seed=seed, out=out)
    return path


def test_a_large_catalog_says_it_is_being_read_once_then_opens_from_the_cache(
    terminal: Terminal, tmp_path: Path
) -> None:
    path = _generated(tmp_path, "large.toml", seed=3)
    terminal.type(f"{HLEXPLORE} --only --catalog '{path}'")
    terminal.keys("Enter")
    terminal.wait_for("Reading large.toml", "for the first time", "q or ctrl+c leaves")
    terminal.wait_for("1 Companies", "15000/15000", timeout=120)
    terminal.keys("q")
    terminal.wait_until(lambda shown: shown.rstrip().endswith(PROMPT), "a fresh prompt")
    terminal.type("clear")
    terminal.keys("Enter")
    terminal.type(f"{HLEXPLORE} --only --catalog '{path}'")
    terminal.keys("Enter")
    shown = terminal.wait_for("1 Companies", "15000/15000", timeout=30)  # from the cache
    assert "for the first time" not in shown


@pytest.mark.parametrize("how", ["ctrl+c", "SIGTERM"])
def test_leaving_while_a_large_catalog_is_read(terminal: Terminal, tmp_path: Path, how: str) -> None:
    import os
    import signal

    path = _generated(tmp_path, "other.toml", seed=4)
    terminal.type(f"{HLEXPLORE} --only --catalog '{path}'; echo exit=$?")
    terminal.keys("Enter")
    terminal.wait_for("for the first time")
    if how == "ctrl+c":
        terminal.keys("C-c")
    else:
        [pid] = terminal.foreground_pids()
        os.kill(pid, signal.SIGTERM)
    code = 130 if how == "ctrl+c" else 128 + signal.SIGTERM
    shown = terminal.wait_for(f"exit={code}", absent=("1 Companies",))
    assert "Traceback" not in shown
    terminal.type("stty -a | tr ';' '\\n' | grep -c -- ' -icanon'")  # the terminal was restored
    terminal.keys("Enter")
    terminal.wait_for("\n0")
