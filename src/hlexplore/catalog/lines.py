"""Where things are in a catalog's TOML text, for problems that name a line: tomllib gives back data
without positions, so the lines are found in the text again, only when a problem is reported."""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z_]+)[ \t]*\]\]", re.MULTILINE)
_ANY_HEADER = re.compile(r"^[ \t]*\[")
FIELD_LINES = 500  # how far below its header an entry's field is looked for


def header_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of each [[table]] header, in order, so entries can be located by index."""
    found: dict[str, list[int]] = {}
    line, counted_to = 1, 0
    for match in _HEADER.finditer(text):
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        found.setdefault(match.group(1), []).append(line)
    return found


def _key(key: str) -> str:
    escaped = re.escape(key)
    return rf"""(?:{escaped}|"{escaped}"|'{escaped}')"""


def table_line(text: str, key: str) -> int | None:
    """The line where a top-level key is first given: a [key], [[key]] or [key.sub] header, or `key = `
    (or `key.sub = `) before the first header."""
    header = re.compile(rf"^[ \t]*\[\[?[ \t]*{_key(key)}[ \t]*[\].]", re.MULTILINE).search(text)
    first = re.search(r"^[ \t]*\[", text, re.MULTILINE)
    top = text[: first.start()] if first else text
    bare = re.compile(rf"^[ \t]*{_key(key)}[ \t]*[.=]", re.MULTILINE).search(top)
    found = [m.start() for m in (header, bare) if m]
    return text.count("\n", 0, min(found)) + 1 if found else None


def field_line(lines: Sequence[str], header: int, key: str) -> int | None:
    """The line of `key = ` in the entry whose header is on line header (1-based in lines), before
    the next header."""
    given = re.compile(rf"^[ \t]*{_key(key)}[ \t]*=")
    for number in range(header, min(len(lines), header + FIELD_LINES)):
        if given.match(lines[number]):
            return number + 1
        if _ANY_HEADER.match(lines[number]):
            return None
    return None


_ENTRY_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*(?:technology|company|reference|meta)[ \t]*\]")


def item_line(lines: Sequence[str], header: int, tech: str, nth: int = 0) -> int | None:
    """The line of the nth stack item naming tech (`tech = "redis"`, in a [[company.stack]] table or
    inline) in the entry whose header is on line header, before the next entry."""
    given = re.compile(
        rf"""(?:^|[{{,\s]){_key("tech")}[ \t]*=[ \t]*(?:"{re.escape(tech)}"|'{re.escape(tech)}')"""
    )
    seen = 0
    for number in range(header, min(len(lines), header + FIELD_LINES)):
        if _ENTRY_HEADER.match(lines[number]):
            return None
        for _match in given.finditer(lines[number]):
            if seen == nth:
                return number + 1
            seen += 1
    return None
