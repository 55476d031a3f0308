"""Nothing in the user's files can stop hlexplore, lose their data or reach the terminal: every user file
× every kind of damage, read and then saved over (as a person goes on using the explorer)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.merge import load_merged
from hlexplore.links.check import LinkCheck
from hlexplore.links.store import LinkHealth
from hlexplore.user.config import load_config
from hlexplore.user.data import UserData
from hlexplore.user.paths import UserPaths

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def paths_in(folder: Path) -> UserPaths:
    return UserPaths(folder / "config", folder / "data", folder / "state", folder / "cache")


def _check(url: str) -> LinkCheck:
    return LinkCheck(url, "alive", 200, checked_at="2026-12-01T00:00:00+00:00")


# Each store: its file, its key in the file, how it is read (what it says), and a change a person makes
# (which must then be saved). A change returns what must be in the saved file.
STORES: dict[str, tuple[Callable[[UserPaths], Path], str]] = {
    "bookmarks": (lambda p: p.bookmarks_file, "bookmarks"),
    "notes": (lambda p: p.notes_file, "notes"),
    "history": (lambda p: p.history_file, "filters"),
    "session": (lambda p: p.session_file, "session"),
    "links": (lambda p: p.links_file, "links"),
}


def read(paths: UserPaths, store: str) -> tuple[Any, list[str]]:
    """The store opened as the explorer opens it: (the object that holds it, what it said)."""
    if store == "links":
        health = LinkHealth(paths.links_file)
        health.results()
        return health, health.warnings
    user = UserData(paths)
    return user, user.warnings


def change(holder: Any, store: str) -> tuple[bool, Callable[[Any], bool]]:
    """Make a change; (whether it was saved, a test of the saved value)."""
    if store == "links":
        holder.record([_check("https://new.example/")])
        return holder.store.saved, lambda v: any(c["url"] == "https://new.example/" for c in v)
    if store == "bookmarks":
        holder.toggle_bookmark("company", "instagram")
        return holder._bookmarks.saved, lambda v: "company:instagram" in v
    if store == "notes":
        saved = holder.set_note("company", "instagram", "mine")
        return saved, lambda v: v.get("company:instagram") == "mine"
    if store == "history":
        holder.remember_query("company", "redis")
        return holder._history.saved, lambda v: v.get("company") == ["redis"]
    holder.save_session({"pane": "technology"})
    return holder._session.saved, lambda v: v.get("pane") == "technology"


def _deep(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _oversized(path: Path) -> None:
    with path.open("wb") as sparse:
        sparse.truncate(300 * 1024 * 1024)  # more than any store reads; no disk used


DAMAGE: dict[str, Callable[[Path, str], None]] = {
    "not UTF-8": lambda path, key: path.write_bytes(
        b'{"version": 1, "%s": {"a": "\xff\xfe"}}' % key.encode()
    ),
    "nested deep": lambda path, key: _deep(path),
    "wrong shape": lambda path, key: path.write_text(json.dumps({"version": 1, key: 42})),
    "not JSON": lambda path, key: path.write_text('{"version": 1, '),
    "another version": lambda path, key: path.write_text(json.dumps({"version": 99, key: {}})),
    "directory": lambda path, key: path.mkdir(),
    "device": lambda path, key: path.symlink_to("/dev/zero"),
    "FIFO": lambda path, key: os.mkfifo(path),
    "oversized": lambda path, key: _oversized(path),
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("store", STORES)
def test_a_damaged_file_is_set_aside_said_and_the_next_change_is_saved(
    tmp_path: Path, store: str, damage: str
) -> None:
    paths = paths_in(tmp_path)
    where, key = STORES[store]
    path = where(paths)
    path.parent.mkdir(parents=True)
    DAMAGE[damage](path, key)
    before = path.read_bytes() if path.is_file() and not path.is_symlink() and damage != "oversized" else None

    holder, said = read(paths, store)  # no exception, whatever the damage

    assert len(said) == 1 and str(path) in said[0] and "kept as" in said[0], said
    [aside] = path.parent.glob(f"{path.name}.corrupt-*")
    assert aside.name in said[0]
    if before is not None:
        assert aside.read_bytes() == before  # nothing that was saved is lost
    saved, holds = change(holder, store)
    assert saved
    assert holds(json.loads(path.read_text(encoding="utf-8"))[key])
    assert os.path.lexists(aside)


@pytest.mark.parametrize("store", STORES)
def test_what_can_be_kept_is_kept_and_the_original_set_aside(tmp_path: Path, store: str) -> None:
    paths = paths_in(tmp_path)
    where, key = STORES[store]
    path = where(paths)
    path.parent.mkdir(parents=True)
    good: Any = {
        "bookmarks": {"company:twitter": "2026-01-01T00:00:00"},
        "notes": {"company:twitter": "fast"},
        "history": {"company": ["redis"]},
        "session": {"pane": "reference", "filters": {"company": "tw"}},
        "links": [_check("https://ok.example/").to_data()],
    }[store]
    bad: Any = {
        "bookmarks": lambda: {**good, "company:x": 7, "company:y": ["z"]},
        "notes": lambda: {**good, "company:x": {"deep": [1]}},
        "history": lambda: {**good, "technology": "not a list", "reference": [1, None, "ok"]},
        "session": lambda: {**good, "highlighted": {"company": 3}, "details": ["x"]},
        "links": lambda: [*good, {"url": 5}, {**good[0], "status": "two hundred"}, "x"],
    }[store]()
    text = json.dumps({"version": 1, key: bad})
    path.write_text(text, encoding="utf-8")
    holder, said = read(paths, store)
    assert len(said) == 1 and "could not be used" in said[0] and str(path) in said[0], said
    [aside] = path.parent.glob(f"{path.name}.corrupt-*")
    assert aside.read_text(encoding="utf-8") == text
    assert read(paths, store)[1] == []  # what was kept is in the file now: the next start reads it as it is
    kept = (
        holder.store.value if store == "links" else getattr(holder, {"history": "history"}.get(store, store))
    )
    if store == "links":
        assert [c["url"] for c in kept] == ["https://ok.example/"]
    elif store == "history":
        assert kept["company"] == ["redis"] and kept.get("reference") == ["ok"]
    else:
        assert all(kept.get(k) == v for k, v in good.items()), kept


HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m"


def test_escape_sequences_in_user_files_are_data(tmp_path: Path) -> None:
    paths = paths_in(tmp_path)
    paths.data_dir.mkdir(parents=True)
    paths.state_dir.mkdir(parents=True)
    paths.notes_file.write_text(json.dumps({"version": 1, "notes": {"company:twitter": f"a{HOSTILE}b"}}))
    paths.history_file.write_text(json.dumps({"version": 1, "filters": {"company": [f"tw{HOSTILE}"]}}))
    paths.session_file.write_text(json.dumps({"version": 1, "session": {"filters": {"company": HOSTILE}}}))
    user = UserData(paths)
    shown = [user.note("company", "twitter"), *user.queries("company"), user.session["filters"]["company"]]
    assert all("\x1b" not in text and "\x07" not in text and "\x9b" not in text for text in shown), shown
    assert "␛]0;pwned" in shown[0]  # visible, not obeyed


def test_config_damage_is_a_problem_and_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    cases: dict[str, Callable[[], None]] = {
        "not UTF-8": lambda: path.write_bytes(b'theme = "\xff"\n'),
        "nested deep": lambda: path.write_text("x = " + "[" * 100_000 + "]" * 100_000),
        "tables where strings belong": lambda: path.write_text(
            "theme = {a = 1}\nstart_pane = {x = 1}\ndetails = [1]\nhighlight_matches = {}\n"
            '[keymap]\n"main.follow" = {a = 1}\n'
        ),
        "directory": lambda: path.mkdir(),
        "device": lambda: path.symlink_to("/dev/zero"),
        "FIFO": lambda: os.mkfifo(path),
        "oversized": lambda: _oversized(path),
    }
    for name, damage in cases.items():
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        elif os.path.lexists(path):
            path.unlink()
        damage()
        config = load_config(path)
        assert config.problems and all(str(path) in p for p in config.problems), name
        assert config.theme is None and config.start_pane is None and config.details == "right", name


@pytest.mark.parametrize("damage", ["directory", "device", "FIFO"])
def test_a_catalog_in_the_folder_that_is_not_a_file_is_skipped_and_said(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "catalogs"
    folder.mkdir()
    DAMAGE[damage](folder / "mine.toml", "")
    loaded = load_merged(user_folder=folder)
    [said] = loaded.messages()
    assert f"{folder / 'mine.toml'}: skipped" in said and "not a catalog file" in said


def test_a_catalogs_path_that_is_a_file_is_said(tmp_path: Path) -> None:
    folder = tmp_path / "catalogs"
    folder.write_text("oops")
    assert any(f"{folder} is not a folder" in m for m in load_merged(user_folder=folder).messages())


@pytest.mark.parametrize("command", [["validate"], ["show", "x", "--only", "--catalog"], ["import-markdown"]])
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "fifo"])
def test_a_device_or_fifo_given_as_a_catalog_is_refused_not_read(tmp_path: Path, command, device) -> None:
    if device == "fifo":
        device = str(tmp_path / "pipe.toml")
        os.mkfifo(device)
    done = subprocess.run(
        [sys.executable, "-m", "hlexplore", *command, device],
        capture_output=True,
        text=True,
        timeout=120,  # (a read of a device would never end: this only keeps the suite from hanging)
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert done.returncode == 1, done.stderr
    assert device in done.stderr and ("a device" in done.stderr or "named pipe" in done.stderr), done.stderr
    assert "Traceback" not in done.stderr


def test_a_catalog_given_that_is_a_device_raises_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match="is a device, not a catalog file"):
        load_merged(["/dev/zero"], only=True)  # type: ignore[list-item]


# -- what only a user who is not root sees: permissions -------------------------------------------------

UNPRIVILEGED = r"""
import json, os, sys
from pathlib import Path
from hlexplore.user.data import UserData
from hlexplore.user.paths import UserPaths

case, root = sys.argv[1], Path(sys.argv[2])
paths = UserPaths(root / "config", root / "data", root / "state", root / "cache")
messages = []
user = UserData(paths)
messages += user.warnings
user.listen(messages.append)
user.toggle_bookmark("company", "instagram")
kept = user.is_bookmarked("company", "instagram")
print(json.dumps({"messages": messages, "in_memory": kept, "saved": user._bookmarks.saved}))
"""


def _prepare(case: str, root: Path) -> Path:
    data = root / "data"
    data.mkdir(parents=True)
    bookmarks = data / "bookmarks.json"
    bookmarks.write_text(json.dumps({"version": 1, "bookmarks": {"company:twitter": "2026-01-01T00:00:00"}}))
    if case == "damaged in a read-only folder":
        bookmarks.write_bytes(b"\xff not json")
    if case == "lock is a directory":
        (data / "bookmarks.json.lock").mkdir()
    if case == "temporary file left as a directory":
        (data / ".bookmarks.json.x.tmp").mkdir()
    return bookmarks


def _restrict(case: str, bookmarks: Path) -> None:
    if case == "unreadable":
        bookmarks.chmod(0)
    if case in ("read-only folder", "damaged in a read-only folder"):
        bookmarks.parent.chmod(0o555)


CASES = [
    "unreadable",
    "read-only folder",
    "damaged in a read-only folder",
    "lock is a directory",
    "temporary file left as a directory",
]


@pytest.mark.parametrize("case", CASES)
def test_as_an_unprivileged_user_nothing_saved_is_lost(case: str) -> None:
    """Run as nobody (CI runs as root, which reads and writes what a user cannot)."""
    root = Path(tempfile.mkdtemp(prefix="hx-unprivileged-"))
    try:
        bookmarks = _prepare(case, root / "home")
        before = bookmarks.read_bytes()
        command = [sys.executable, "-c", UNPRIVILEGED, case, str(root / "home")]
        if ROOT_USER:
            assert shutil.which("setpriv"), "setpriv (util-linux) drops root for this test"
            subprocess.run(["chown", "-R", "65534:65534", str(root)], check=True)
            root.chmod(0o755)
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        _restrict(case, bookmarks)
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        result = json.loads(done.stdout)
        assert result["in_memory"] is True  # the session goes on with the change
        if case.startswith("temporary"):
            assert result["saved"] and not result["messages"]
            assert "company:instagram" in bookmarks.read_text()
            return
        assert not result["saved"]
        assert result["messages"] and all(str(bookmarks) in m for m in result["messages"]), result
        bookmarks.parent.chmod(0o755)
        bookmarks.chmod(0o644)
        assert bookmarks.read_bytes() == before  # not written over, not moved, not lost
    finally:
        for folder, _dirs, _files in os.walk(root):
            os.chmod(folder, 0o755)
        shutil.rmtree(root, ignore_errors=True)


async def test_the_loading_screen_says_which_file_is_being_merged(tmp_path: Path) -> None:
    import threading

    from hlexplore.app.loading import LoadingApp

    done = threading.Event()
    worker = threading.Thread(target=done.wait, daemon=True)
    worker.start()
    announced = [(tmp_path / "catalog.toml", 1 << 20, False), (tmp_path / "big.toml", 40 << 20, True)]
    app = LoadingApp(worker, announced)
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        shown = str(app.query_one("#loading-text").render())
        assert "Merging big.toml (40 MiB) over the catalog" in shown and "q or ctrl+c leaves" in shown
        done.set()
        await pilot.pause(0.5)
    assert app.return_value is True


# -- as a person meets it: the explorer started in a terminal over damaged files ---------------------------

LAUNCHES = [  # (the file, relative to the XDG folders, the damage): every damage, every file, once
    ("d/hlexplore/bookmarks.json", "not UTF-8"),
    ("d/hlexplore/notes.json", "nested deep"),
    ("s/hlexplore/history.json", "wrong shape"),
    ("s/hlexplore/session.json", "FIFO"),
    ("d/hlexplore/bookmarks.json", "device"),
    ("d/hlexplore/notes.json", "directory"),
    ("s/hlexplore/session.json", "oversized"),
    ("s/hlexplore/history.json", "not JSON"),
]


@pytest.fixture
def home() -> Iterator[Path]:
    """A short folder for the user's files: a message's path then fits a notification's line, so
    what the screen shows can be read whole."""
    folder = Path(tempfile.mkdtemp(prefix="hx-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _terminal(home: Path):  # -> Terminal
    from tests.tmux import Terminal

    env = {"HOME": str(home), "BROWSER": "/bin/true"}
    for variable, short in (("XDG_CONFIG_HOME", "c"), ("XDG_DATA_HOME", "d"), ("XDG_STATE_HOME", "s")):
        env[variable] = str(home / short)
    env["XDG_CACHE_HOME"] = str(home / "k")
    return Terminal(120, 40, env)


@pytest.mark.parametrize(
    ("relative", "damage"), LAUNCHES, ids=[f"{f.rsplit('/', 1)[1]}-{d}" for f, d in LAUNCHES]
)
def test_the_explorer_starts_over_a_damaged_file_says_so_and_quits(
    home: Path, relative: str, damage: str
) -> None:
    from tests.tmux import HLEXPLORE, PROMPT

    path = home / relative
    path.parent.mkdir(parents=True)
    key = {"bookmarks": "bookmarks", "notes": "notes", "history": "filters", "session": "session"}[path.stem]
    DAMAGE[damage](path, key)
    terminal = _terminal(home)
    try:
        terminal.type(f"{HLEXPLORE}; echo exit=$?")
        terminal.keys("Enter")
        shown = terminal.wait_for("1 Companies", f"{path.name}.corrupt-", "^p palette")
        assert "Traceback" not in shown
        terminal.keys("q")
        shown = terminal.wait_for("exit=0")
        assert shown.rstrip().endswith(PROMPT) and "Traceback" not in shown
        assert list(path.parent.glob(f"{path.name}.corrupt-*"))
        assert not terminal.foreground_pids()  # nothing left behind
    finally:
        terminal.close()


def test_a_config_that_cannot_be_read_is_said_and_the_explorer_starts(home: Path) -> None:
    from tests.tmux import HLEXPLORE

    path = home / "c/hlexplore/config.toml"
    path.parent.mkdir(parents=True)
    path.symlink_to("/dev/zero")
    terminal = _terminal(home)
    try:
        terminal.type(f"{HLEXPLORE}; echo exit=$?")
        terminal.keys("Enter")
        terminal.wait_for("1 Companies", "config.toml is a device", "using the defaults")
        terminal.keys("q")
        terminal.wait_for("exit=0")
    finally:
        terminal.close()


def test_a_filter_saved_with_escape_sequences_is_shown_not_obeyed(home: Path) -> None:
    from tests.tmux import HLEXPLORE

    session = home / "s/hlexplore/session.json"
    session.parent.mkdir(parents=True)
    filters = {"company": "\x1b]0;pwned\x07tw\x1b[2J"}
    session.write_text(json.dumps({"version": 1, "session": {"pane": "company", "filters": filters}}))
    terminal = _terminal(home)
    try:
        before = terminal.title()
        terminal.type(f"{HLEXPLORE}")
        terminal.keys("Enter")
        shown = terminal.wait_for("1 Companies", "␛]0;pwned")  # the filter as text, visible
        assert terminal.title() == before and "pwned" not in terminal.title()
        assert "High Load Backend Architectures" in shown  # the screen was not cleared under the explorer
    finally:
        terminal.close()


def test_closing_the_terminal_ends_an_explorer_whose_files_are_fifos(home: Path) -> None:
    """Every user file and lock a FIFO: nothing blocks, and a closed terminal ends the process."""
    from tests.tmux import HLEXPLORE

    for relative in ("d/hlexplore/bookmarks.json", "s/hlexplore/history.json"):
        path = home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
        os.mkfifo(path.with_name(path.name + ".lock"))
    terminal = _terminal(home)
    terminal.type(f"{HLEXPLORE}")
    terminal.keys("Enter")
    terminal.wait_for("1 Companies", "named", "pipe", "(FIFO),")
    terminal.keys("/")
    terminal.type("twit")
    terminal.keys("Enter", "b")  # a filter and a bookmark to save: both locks are FIFOs
    terminal.wait_for("saved", "lock", "quit")  # (single words: the toast wraps the long paths anywhere)
    pids = terminal.foreground_pids()
    assert pids
    terminal.close()  # the terminal goes away (tmux kill-server: a hang-up)
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in pids):
        assert time.monotonic() < deadline, "the explorer outlived its terminal"
        time.sleep(0.2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_validate_says_when_the_catalogs_folder_is_not_one(capsys) -> None:
    from hlexplore.__main__ import main

    folder = UserPaths.default().catalogs_dir
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder")
    assert main(["validate"]) == 1
    assert f"{folder} is not a folder" in capsys.readouterr().err
    assert main(["validate", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any(f["file"] == str(folder) and not f["valid"] for f in report["files"])
