"""Bookmarks, notes, filter history and the last session, each in its own file under the user's dirs.

Entries are named by "kind:id" keys (e.g. "company:instagram"), which survive catalog edits that keep ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from hlexplore.catalog.models import KINDS, Kind, is_kind
from hlexplore.files import MiB
from hlexplore.index.matching import MAX_QUERY
from hlexplore.text import clean
from hlexplore.user.paths import UserPaths
from hlexplore.user.store import JsonStore, Keep

HISTORY_LENGTH = 50
NOTE_LIMIT = 10_000
KEY_LIMIT = 1_000  # a "kind:id" key, a time, a pane's name

# What each file may hold. Text from the user's files is data, as catalog text is: control characters
# become visible symbols (text.clean) as it is read, so no escape sequence in a file reaches the terminal.


def _text(value: Any, limit: int) -> str | None:
    """A string as shown (cleaned), or None when it is not a string or is longer than limit."""
    if not isinstance(value, str) or len(value) > limit:
        return None
    return clean(value)


def _keep_texts(limit: int) -> Keep[dict[str, str]]:
    """{str: str}, each value of at most limit characters (longer ones are cut: counted as changed)."""

    def keep(value: Any) -> tuple[dict[str, str], int]:
        if not isinstance(value, dict):
            raise ValueError(f"its entries should be an object, not {_kind(value)}")
        kept: dict[str, str] = {}
        for name, text in value.items():
            shown_name = _text(name, KEY_LIMIT)
            shown = clean(text[:limit]) if isinstance(text, str) else None
            if shown_name is not None and shown is not None:
                kept[shown_name] = shown
        changed = sum(1 for name, text in value.items() if kept.get(name) != text)
        return kept, changed

    return keep


def _keep_history(value: Any) -> tuple[dict[str, list[str]], int]:
    if not isinstance(value, dict):
        raise ValueError(f"its filters should be an object, not {_kind(value)}")
    kept: dict[str, list[str]] = {}
    dropped = 0
    for kind, queries in value.items():
        if kind not in KINDS or not isinstance(queries, list):
            dropped += 1
            continue
        recent = queries[-HISTORY_LENGTH:]
        shown = [_text(query, MAX_QUERY) for query in recent]
        kept[kind] = [query for query in shown if query]
        dropped += (
            len(queries) - len(recent) + sum(1 for was, now in zip(recent, shown, strict=True) if was != now)
        )
    return kept, dropped


def _keep_session(value: Any) -> tuple[dict[str, Any], int]:
    """{"pane": a kind, "filters": {kind: query}, "highlighted": {kind: id}, "details": "kind:id"}."""
    if not isinstance(value, dict):
        raise ValueError(f"the session should be an object, not {_kind(value)}")
    kept: dict[str, Any] = {}
    for name in ("filters", "highlighted"):
        if name in value:
            table = value[name] if isinstance(value[name], dict) else {}
            limit = MAX_QUERY if name == "filters" else KEY_LIMIT
            kept[name] = {k: t for k, v in table.items() if k in KINDS and (t := _text(v, limit)) is not None}
    if value.get("pane") in KINDS:
        kept["pane"] = value["pane"]
    if "details" in value and (details := _text(value["details"], KEY_LIMIT)) is not None:
        kept["details"] = details
    dropped = sum(
        1
        for name in ("pane", "filters", "highlighted", "details")
        if name in value and kept.get(name) != value[name]
    )
    return kept, dropped


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true or false"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else "null"
    )


def key(kind: str, entry_id: str) -> str:
    return f"{kind}:{entry_id}"


def split_key(value: str) -> tuple[Kind, str] | None:
    kind, sep, entry_id = value.partition(":")
    return (kind, entry_id) if sep and is_kind(kind) and entry_id else None


class UserData:
    """Loaded once at start; every change is written at once (atomically, merged with what is on disk)."""

    def __init__(self, paths: UserPaths) -> None:
        self.paths = paths
        self._bookmarks: JsonStore[dict[str, str]] = JsonStore(
            paths.bookmarks_file, "bookmarks", dict, _keep_texts(KEY_LIMIT), 4 * MiB
        )
        self._notes: JsonStore[dict[str, str]] = JsonStore(
            paths.notes_file, "notes", dict, _keep_texts(NOTE_LIMIT), 32 * MiB
        )
        self._history: JsonStore[dict[str, list[str]]] = JsonStore(
            paths.history_file, "filters", dict, _keep_history, 1 * MiB
        )
        self._session: JsonStore[dict[str, Any]] = JsonStore(
            paths.session_file, "session", dict, _keep_session, 1 * MiB
        )
        for store in self._stores:
            store.load()

    # What each store holds now (what was saved, or what the session goes on with when it could not be).

    @property
    def bookmarks(self) -> dict[str, str]:  # key -> when it was added (ISO time)
        return self._bookmarks.value

    @property
    def notes(self) -> dict[str, str]:
        return self._notes.value

    @property
    def history(self) -> dict[str, list[str]]:
        return self._history.value

    @property
    def session(self) -> dict[str, Any]:
        return self._session.value

    @property
    def _stores(self) -> tuple[JsonStore[Any], ...]:
        return (self._bookmarks, self._notes, self._history, self._session)

    @property
    def warnings(self) -> list[str]:
        """What was said about the files when they were read (before anyone listened)."""
        return [w for s in self._stores for w in s.warnings]

    def listen(self, tell: Callable[[str], None]) -> None:
        """From now on, what goes wrong with the files (a save that failed) is told to tell."""
        for store in self._stores:
            store.tell = tell

    # -- bookmarks ----------------------------------------------------------------------------------

    def is_bookmarked(self, kind: str, entry_id: str) -> bool:
        return key(kind, entry_id) in self.bookmarks

    def toggle_bookmark(self, kind: str, entry_id: str) -> bool:
        """Bookmark or unbookmark; True if it is bookmarked now. Another instance's bookmarks are kept."""
        name = key(kind, entry_id)
        wanted = name not in self.bookmarks

        def change(stored: dict[str, str]) -> dict[str, str]:
            if wanted:
                stored.setdefault(name, time.strftime("%Y-%m-%dT%H:%M:%S"))
            else:
                stored.pop(name, None)
            return stored

        self._bookmarks.update(change)
        return wanted

    # -- notes ----------------------------------------------------------------------------------------

    def note(self, kind: str, entry_id: str) -> str:
        return self.notes.get(key(kind, entry_id), "")

    def set_note(self, kind: str, entry_id: str, text: str) -> bool:
        """Attach a note (an empty one removes it; one longer than NOTE_LIMIT is cut); whether it was
        saved (when it was not, the store has said why)."""
        name, text = key(kind, entry_id), clean(text.strip()[:NOTE_LIMIT])

        def change(stored: dict[str, str]) -> dict[str, str]:
            if text:
                stored[name] = text
            else:
                stored.pop(name, None)
            return stored

        self._notes.update(change)
        return self._notes.saved

    # -- filter history -------------------------------------------------------------------------------

    def queries(self, kind: str) -> list[str]:
        """Past queries typed into a pane's filter, oldest first."""
        return list(self.history.get(kind, []))

    def remember_query(self, kind: str, query: str) -> None:
        query = clean(query.strip()[:MAX_QUERY])
        if not query or self.queries(kind)[-1:] == [query]:
            return

        def change(stored: dict[str, list[str]]) -> dict[str, list[str]]:
            past = [q for q in stored.get(kind, []) if q != query]
            stored[kind] = [*past, query][-HISTORY_LENGTH:]
            return stored

        self._history.update(change)

    # -- the last session -----------------------------------------------------------------------------

    def save_session(self, session: dict[str, Any]) -> None:
        self._session.update(lambda _stored: session)
