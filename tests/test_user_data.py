"""The user's files: paths, atomic and merged writes, corrupt files kept aside, preferences with places."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hlexplore.user.config import EXAMPLE, load_config, set_value
from hlexplore.user.data import HISTORY_LENGTH, UserData
from hlexplore.user.paths import UserPaths


@pytest.fixture
def paths(tmp_path: Path) -> UserPaths:
    return UserPaths(tmp_path / "config", tmp_path / "data", tmp_path / "state", tmp_path / "cache")


def test_default_paths_follow_the_xdg_variables(tmp_path_factory) -> None:
    paths = UserPaths.default()
    # conftest points every XDG variable at a temporary home: nothing here touches the real one.
    assert paths.config_file == Path(os.environ["XDG_CONFIG_HOME"]) / "hlexplore" / "config.toml"
    assert paths.bookmarks_file.parent == Path(os.environ["XDG_DATA_HOME"]) / "hlexplore"
    assert paths.session_file.parent == Path(os.environ["XDG_STATE_HOME"]) / "hlexplore"
    assert [what for what, _path in paths.describe()][:2] == ["config directory", "config file"]


def test_bookmarks_notes_and_history_persist_across_restarts(paths: UserPaths) -> None:
    first = UserData(paths)
    assert first.toggle_bookmark("company", "instagram") is True
    first.set_note("technology", "redis", "  ask about persistence  ")
    for query in ["mem", "redis", "mem"]:
        first.remember_query("technology", query)
    first.save_session({"pane": "technology"})
    again = UserData(paths)
    assert again.is_bookmarked("company", "instagram")
    assert again.note("technology", "redis") == "ask about persistence"
    assert again.queries("technology") == ["redis", "mem"]  # a repeated query moves to the end, once
    assert again.session == {"pane": "technology"}
    assert again.toggle_bookmark("company", "instagram") is False
    again.set_note("technology", "redis", "")
    third = UserData(paths)
    assert third.bookmarks == {} and third.notes == {} and third.warnings == []


def test_history_is_bounded(paths: UserPaths) -> None:
    data = UserData(paths)
    for number in range(HISTORY_LENGTH + 10):
        data.remember_query("company", f"q{number}")
    assert len(UserData(paths).queries("company")) == HISTORY_LENGTH
    assert UserData(paths).queries("company")[-1] == f"q{HISTORY_LENGTH + 9}"


def test_two_instances_keep_each_others_bookmarks(paths: UserPaths) -> None:
    one, two = UserData(paths), UserData(paths)  # both started before either saved
    one.toggle_bookmark("company", "instagram")
    two.toggle_bookmark("company", "pinterest")
    one.set_note("company", "instagram", "one")
    two.set_note("company", "pinterest", "two")
    after = UserData(paths)
    assert set(after.bookmarks) == {"company:instagram", "company:pinterest"}
    assert after.notes == {"company:instagram": "one", "company:pinterest": "two"}


@pytest.mark.parametrize(
    ("attribute", "content"),
    [
        ("bookmarks_file", "{not json"),
        ("notes_file", '{"version": 1, "notes": ["a list"]}'),
        ("history_file", '{"version": 99, "filters": {}}'),
        ("session_file", "\x00\x01binary"),
    ],
)
def test_a_corrupt_file_is_kept_aside_with_a_warning(paths: UserPaths, attribute: str, content: str) -> None:
    path: Path = getattr(paths, attribute)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    data = UserData(paths)
    assert len(data.warnings) == 1 and str(path) in data.warnings[0] and ".corrupt-" in data.warnings[0]
    kept = list(path.parent.glob(f"{path.name}.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == content  # nothing lost
    assert not path.exists()
    data.toggle_bookmark("company", "trello")  # and the app goes on, writing fresh files
    assert UserData(paths).is_bookmarked("company", "trello")


def test_config_defaults_and_problems_with_places(tmp_path: Path) -> None:
    assert load_config(tmp_path / "missing.toml").problems == []
    path = tmp_path / "config.toml"
    path.write_text(
        '# mine\ntheme = "nord"\nstart_pane = "refs"\nhighlight_matches = "yes"\ndetails = "below"\n'
        'colour = 1\n[keymap]\n"main.open" = "ctrl+o"\n"main.copy" = 5\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert (config.theme, config.details, config.keymap) == ("nord", "below", {"main.open": "ctrl+o"})
    assert config.start_pane is None and config.highlight_matches is True  # the wrong ones: defaults
    assert config.sources["theme"] == f"{path}:2" and config.sources["start_pane"] == "default"
    assert [p.split(": ", 2)[:2] for p in config.problems] == [
        [f"{path}:3", "start_pane"],
        [f"{path}:4", "highlight_matches"],
        [f"{path}:6", "colour"],
        [f"{path}:9", "keymap.main.copy"],
    ]
    path.write_text("theme = \n", encoding="utf-8")
    broken = load_config(path)
    assert broken.theme is None and "line 1" in broken.problems[0] and str(path) in broken.problems[0]


def test_setting_the_theme_keeps_the_users_lines(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    set_value(path, "theme", "nord")  # no file yet: the commented example, plus the setting
    assert path.read_text(encoding="utf-8").startswith(EXAMPLE) and load_config(path).theme == "nord"
    path.write_text(
        '# keep me\ntheme = "x"\ndetails = "below"\n[keymap]\n"main.open" = "O"\n', encoding="utf-8"
    )
    set_value(path, "theme", "gruvbox")
    assert path.read_text(encoding="utf-8") == (
        '# keep me\ntheme = "gruvbox"\ndetails = "below"\n[keymap]\n"main.open" = "O"\n'
    )
    path.write_text('details = "below"\n[keymap]\n"main.open" = "O"\n', encoding="utf-8")
    set_value(path, "theme", "nord")
    assert load_config(path).theme == "nord" and load_config(path).keymap == {"main.open": "O"}


WRITER = """
import sys
from pathlib import Path
from hlexplore.user.data import UserData
from hlexplore.user.paths import UserPaths
root = Path(sys.argv[1])
data = UserData(UserPaths(root / "c", root / "d", root / "s", root / "x"))
data.set_note("company", "first", "x")  # a file to break from the first kill on
print("ready", flush=True)
n = 0
while True:
    n += 1
    data.set_note("company", f"c{n % 50}", "x" * (n % 5000))
"""


def test_killing_a_process_while_it_saves_never_leaves_a_broken_file(tmp_path: Path) -> None:
    notes = tmp_path / "d" / "notes.json"
    for round_number in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        time.sleep(0.05 + 0.02 * round_number)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        data = json.loads(notes.read_text(encoding="utf-8"))  # always whole: the old file or the new one
        assert data["version"] == 1 and isinstance(data["notes"], dict) and data["notes"]
    assert not list(notes.parent.glob("*.corrupt-*"))
    UserData(UserPaths(tmp_path / "c", tmp_path / "d", tmp_path / "s", tmp_path / "x")).set_note(
        "company", "a", "b"
    )
    assert not list(notes.parent.glob(".notes.json.*.tmp"))  # what the kills left is swept up


def run(capsys, *argv):
    from hlexplore.__main__ import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_paths_and_config_show(capsys) -> None:
    code, out, _ = run(capsys, "paths", "--json")
    data = json.loads(out)
    assert code == 0 and data["config_file"] == str(UserPaths.default().config_file)
    assert data["bookmarks"].endswith("bookmarks.json") and data["your_catalogs"].endswith("catalogs")
    code, out, err = run(capsys, "config", "--show")
    assert code == 0 and "not created yet" in out and "(default)" in out and err == ""
    path = UserPaths.default().config_file
    path.parent.mkdir(parents=True)
    path.write_text('details = "below"\nstart_pane = "nowhere"\n', encoding="utf-8")
    code, out, err = run(capsys, "config", "--json")
    data = json.loads(out)
    assert code == 1 and data["values"]["details"] == "below" and data["sources"]["details"] == f"{path}:1"
    assert data["problems"] == [
        f'{path}:2: start_pane: should be one of "companies", "technologies", "references", '
        "not 'nowhere'; using the default"
    ]
    assert f"{path}:2: start_pane" in err


def test_cli_config_edit_creates_the_file_and_runs_the_editor(capsys, tmp_path: Path, monkeypatch) -> None:
    log = tmp_path / "edited.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{log}"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    from hlexplore.cli import commands

    monkeypatch.setattr(commands, "_has_terminal", lambda: False)
    code, _, err = run(capsys, "config", "--edit")  # a script, not a person: no editor is started
    assert code == 1 and "needs a terminal" in err and "created" in err and not log.exists()
    monkeypatch.setattr(commands, "_has_terminal", lambda: True)
    code, _, err = run(capsys, "config", "--edit")
    path = UserPaths.default().config_file
    assert code == 0 and log.read_text() == str(path) and path.read_text(encoding="utf-8") == EXAMPLE
    assert load_config(path).problems == []  # the example itself is valid
    monkeypatch.setenv("EDITOR", "false")
    code, _, err = run(capsys, "config", "--edit")
    assert code == 1 and "the editor 'false' ended with exit status 1" in err
    monkeypatch.delenv("EDITOR")
    code, _, err = run(capsys, "config", "--edit")
    assert code == 1 and "no $EDITOR" in err and str(path) in err


def test_cli_config_show_fails_on_what_the_explorer_would_warn_about(capsys, monkeypatch) -> None:
    path = UserPaths.default().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('theme = "no-such-theme"\n[keymap]\n"main.nothing" = "x"\n', encoding="utf-8")
    code, out, err = run(capsys, "config", "--show", "--json")
    problems = json.loads(out)["problems"]
    assert code == 1 and len(problems) == 2
    assert "theme 'no-such-theme' is unknown" in problems[0] and "main.nothing" in problems[1]
    assert all(p in err for p in problems)
