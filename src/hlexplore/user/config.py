"""Preferences from a TOML file: read with defaults for whatever is missing or wrong, never fatal.

Every value knows where it came from (the default, or file:line), and every problem names the file, the
key and the line, so `hlexplore config --show` and the app's warning can say exactly what was ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# tomli is the library the standard tomllib was taken from, with the same behaviour and messages, but
# shipped compiled (mypyc): three times faster, which a catalog of 100,000 companies feels (28 s -> 9 s).
import tomli as tomllib

from hlexplore.files import FileRefused, MiB, read_regular, write_atomically

CONFIG_LIMIT = 1 * MiB
PANES = {"companies": "company", "technologies": "technology", "references": "reference"}
DETAILS = ("right", "below")

EXAMPLE = """\
# hlexplore's preferences. Every line is optional: delete one to get the default back.
# `hlexplore config --show` prints the values in effect and where each came from.

# The colour theme: any name from the palette's "Change theme" (choosing one there saves it here).
# theme = "textual-dark"

# The pane to start in: "companies", "technologies" or "references".
# Without it, hlexplore reopens in the pane you left (unless started with --fresh).
# start_pane = "companies"

# Underline the characters a filter matched.
# highlight_matches = true

# Where the details go: "right" of the lists, or "below" them.
# details = "right"

# Keys, by binding id (the help, ?, lists every id). A value is one key or several, comma-separated.
# [keymap]
# "main.open" = "o,ctrl+o"
# "main.compare" = "C"
"""


@dataclass
class Config:
    theme: str | None = None
    start_pane: str | None = None  # a Kind, or None to reopen where the user left
    highlight_matches: bool = True
    details: str = "right"
    keymap: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # key -> "default" or "FILE:LINE"
    problems: list[str] = field(default_factory=list)


def _line_of(text: str, key: str, table: str | None = None) -> int | None:
    """The line where key is set (in [table] when given), for messages: TOML parsers do not say."""
    in_table = table is None
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[([^\]]+)\]", line)
        if header:
            in_table = table is not None and header.group(1).strip() == table
            continue
        if in_table and pattern.match(line):
            return number
    return None


def load_config(path: Path) -> Config:
    config = Config()
    names = ("theme", "start_pane", "highlight_matches", "details", "keymap")
    config.sources = dict.fromkeys(names, "default")
    try:
        text = read_regular(path, CONFIG_LIMIT).decode("utf-8")
        data = tomllib.loads(text)
    except FileRefused as refused:
        if refused.why != "missing":
            config.problems.append(f"{path} {refused.reason}; using the defaults for everything")
        return config
    except UnicodeDecodeError as error:
        config.problems.append(
            f"{path}: is not UTF-8 text (byte {error.start + 1}); using the defaults for everything"
        )
        return config
    except tomllib.TOMLDecodeError as error:
        config.problems.append(f"{path}: {error}; using the defaults for everything")
        return config
    except RecursionError:
        config.problems.append(f"{path}: nested too deeply; using the defaults for everything")
        return config

    def where(key: str, table: str | None = None) -> str:
        line = _line_of(text, key, table)
        return f"{path}:{line}" if line else str(path)

    def problem(key: str, message: str, table: str | None = None) -> None:
        config.problems.append(f"{where(key, table)}: {key}: {message}; using the default")

    for key, value in data.items():
        if key == "theme":
            if isinstance(value, str) and value.strip():
                config.theme = value.strip()
                config.sources[key] = where(key)
            else:
                problem(key, "should be a theme's name, in quotes")
        elif key == "start_pane":
            if isinstance(value, str) and value in PANES:
                config.start_pane = PANES[value]
                config.sources[key] = where(key)
            else:
                problem(
                    key, f"should be one of {', '.join(json.dumps(p) for p in PANES)}, not {_shown(value)}"
                )
        elif key == "highlight_matches":
            if isinstance(value, bool):
                config.highlight_matches = value
                config.sources[key] = where(key)
            else:
                problem(key, f"should be true or false, not {_shown(value)}")
        elif key == "details":
            if isinstance(value, str) and value in DETAILS:
                config.details = value
                config.sources[key] = where(key)
            else:
                problem(key, f'should be "right" or "below", not {_shown(value)}')
        elif key == "keymap":
            if not isinstance(value, dict):
                problem(key, "should be a table: [keymap]")
                continue
            for binding_id, keys in value.items():
                if isinstance(keys, str) and keys.strip():
                    config.keymap[binding_id] = keys.strip()
                else:
                    config.problems.append(
                        f"{where(binding_id, 'keymap')}: keymap.{binding_id}: should be keys in quotes, "
                        f'like "ctrl+o"; ignored'
                    )
            if config.keymap:
                config.sources[key] = where(key) if _line_of(text, key) else str(path)
        else:
            config.problems.append(f"{where(key)}: {key}: not a setting hlexplore knows; ignored")
    return config


def _shown(value: Any) -> str:
    """A wrong value as a message shows it: short, and a table or a list by what it is."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def effective(config: Config) -> dict[str, Any]:
    """The values in effect, as `config --show` prints them."""
    start = {v: k for k, v in PANES.items()}.get(config.start_pane or "")
    return {
        "theme": config.theme or "textual-dark",
        "start_pane": start or "the pane you left",
        "highlight_matches": config.highlight_matches,
        "details": config.details,
        "keymap": dict(config.keymap),
    }


def set_value(path: Path, key: str, value: str) -> None:
    """Set a top-level string setting in the user's file, keeping every other line and comment."""
    literal = f"{key} = {json.dumps(value)}"
    try:
        text = read_regular(path, CONFIG_LIMIT).decode("utf-8")
    except FileRefused as refused:
        if refused.why != "missing":
            raise ValueError(f"{path} {refused.reason}") from None
        text = EXAMPLE
    lines = text.splitlines()
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    first_table = next((i for i, line in enumerate(lines) if re.match(r"^\s*\[", line)), len(lines))
    at = next((i for i, line in enumerate(lines[:first_table]) if pattern.match(line)), None)
    if at is None:
        lines.insert(first_table, literal)
    else:
        lines[at] = literal
    new_text = "\n".join(lines) + "\n"
    tomllib.loads(new_text)  # never write a file that would not read back
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, new_text)
