"""JSON files that survive crashes, corruption and a second instance.

- Writes are atomic (hlexplore.files.write_atomically): a kill leaves the old file or the new one.
- A file that cannot be read is moved aside as NAME.corrupt-<timestamp> and the store starts empty,
  with a warning: nothing that was saved is deleted.
- Changes are read-modify-write under an exclusive lock on NAME.lock, so two instances that change the
  same file at once both keep their change.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hlexplore.files import write_atomically

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, still atomic
    fcntl = None  # type: ignore[assignment]

VERSION = 1
Data = dict[str, Any]


class JsonStore:
    """One JSON object in one file: {"version": 1, KEY: ...}, with KEY's default from `empty`."""

    def __init__(self, path: Path, key: str, empty: Callable[[], Any], check: Callable[[Any], bool]) -> None:
        self.path = path
        self.key = key
        self.empty = empty
        self.check = check
        self.warnings: list[str] = []

    def load(self) -> Any:
        """The stored value; a missing file is empty; an unreadable one is moved aside with a warning."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return self.empty()
        except OSError as error:
            self.warnings.append(f"{self.path}: cannot be read ({error.strerror}); starting without it")
            return self.empty()
        try:
            data = json.loads(text)
            if (
                not isinstance(data, dict)
                or data.get("version") != VERSION
                or not self.check(data.get(self.key))
            ):
                raise ValueError("not a file this version of hlexplore wrote")
        except ValueError as error:
            aside = self._move_aside()
            self.warnings.append(
                f"{self.path} could not be read ({error}); it was kept as {aside.name} and hlexplore started "
                "without it"
            )
            return self.empty()
        return data[self.key]

    def update(self, change: Callable[[Any], Any]) -> Any:
        """Apply change to what is on disk now (not to a copy read earlier) and save the result."""
        with self._locked():
            # Under the lock no one else is writing: temporary files still here were left by a kill.
            for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                leftover.unlink(missing_ok=True)
            value = change(self.load())
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"version": VERSION, self.key: value}, ensure_ascii=False, indent=1)
            write_atomically(self.path, text + "\n")
            return value

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while aside.exists():
            counter += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
        os.replace(self.path, aside)
        return aside

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover
            yield
            return
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
