"""Bookmarks, notes, filter history and the last session, each in its own file under the user's dirs.

Entries are named by "kind:id" keys (e.g. "company:instagram"), which survive catalog edits that keep ids.
"""

from __future__ import annotations

import time
from typing import Any

from hlexplore.user.paths import UserPaths
from hlexplore.user.store import JsonStore

HISTORY_LENGTH = 50
NOTE_LIMIT = 10_000


def _is_str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _is_history(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(q, str) for q in v)
        for k, v in value.items()
    )


def key(kind: str, entry_id: str) -> str:
    return f"{kind}:{entry_id}"


def split_key(value: str) -> tuple[str, str] | None:
    kind, sep, entry_id = value.partition(":")
    return (kind, entry_id) if sep and kind in ("company", "technology", "reference") and entry_id else None


class UserData:
    """Loaded once at start; every change is written at once (atomically, merged with what is on disk)."""

    def __init__(self, paths: UserPaths) -> None:
        self.paths = paths
        self._bookmarks = JsonStore(paths.bookmarks_file, "bookmarks", dict, _is_str_map)
        self._notes = JsonStore(paths.notes_file, "notes", dict, _is_str_map)
        self._history = JsonStore(paths.history_file, "filters", dict, _is_history)
        self._session = JsonStore(paths.session_file, "session", dict, lambda v: isinstance(v, dict))
        self.bookmarks: dict[str, str] = self._bookmarks.load()  # key -> when it was added (ISO time)
        self.notes: dict[str, str] = self._notes.load()
        self.history: dict[str, list[str]] = self._history.load()
        self.session: dict[str, Any] = self._session.load()

    @property
    def warnings(self) -> list[str]:
        return [w for s in (self._bookmarks, self._notes, self._history, self._session) for w in s.warnings]

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

        self.bookmarks = self._bookmarks.update(change)
        return wanted

    # -- notes ----------------------------------------------------------------------------------------

    def note(self, kind: str, entry_id: str) -> str:
        return self.notes.get(key(kind, entry_id), "")

    def set_note(self, kind: str, entry_id: str, text: str) -> None:
        """Attach a note (an empty one removes it)."""
        name, text = key(kind, entry_id), text.strip()[:NOTE_LIMIT]

        def change(stored: dict[str, str]) -> dict[str, str]:
            if text:
                stored[name] = text
            else:
                stored.pop(name, None)
            return stored

        self.notes = self._notes.update(change)

    # -- filter history -------------------------------------------------------------------------------

    def queries(self, kind: str) -> list[str]:
        """Past queries typed into a pane's filter, oldest first."""
        return list(self.history.get(kind, []))

    def remember_query(self, kind: str, query: str) -> None:
        query = query.strip()
        if not query or self.queries(kind)[-1:] == [query]:
            return

        def change(stored: dict[str, list[str]]) -> dict[str, list[str]]:
            past = [q for q in stored.get(kind, []) if q != query]
            stored[kind] = [*past, query][-HISTORY_LENGTH:]
            return stored

        self.history = self._history.update(change)

    # -- the last session -----------------------------------------------------------------------------

    def save_session(self, session: dict[str, Any]) -> None:
        self.session = self._session.update(lambda _stored: session)
