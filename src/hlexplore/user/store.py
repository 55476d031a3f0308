"""JSON files that survive crashes, damage, odd files and a second instance.

- A file is read only if it is a regular file of sane size (files.read_regular: a FIFO, a device or a
  directory in its place is never read, and nothing blocks), then decoded and checked against its shape
  (each store's `keep`: every field's type; what cannot be used is dropped, what is too long is cut).
- A file that cannot be used, or of which anything had to be dropped, is moved aside as
  NAME.corrupt-<time> and the user is told which file and why: nothing that was saved is deleted. A file
  that cannot be moved aside, or cannot be read at all (its permissions), is left as it is and never
  written over; saving to it says so, once, until it can be read again.
- Writes are atomic (files.write_atomically): a kill leaves the old file or the new one. A write that
  fails (a read-only directory, an immutable file, a full disk, a lock that cannot be taken) is a message
  naming the file; the change is kept for the session and saving is tried again on the next change.
- Changes are read-modify-write under an exclusive lock on NAME.lock, so two instances that change the
  same file at once both keep their change.

Nothing here raises for anything found on disk.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Generic, TypeVar

from hlexplore.files import FileRefused, MiB, read_regular, what_it_is, write_atomically

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, still atomic
    fcntl = None  # type: ignore[assignment]

VERSION = 1
LOCK_WAIT = 2.0  # seconds to wait for another instance's lock before giving up on a save
# What a store keeps of what it read: (the value to go on with, how many entries were dropped or cut).
# Raises ValueError (with a reason for people) when the value is not of the right kind at all.
T = TypeVar("T")
Keep = Callable[[Any], tuple[T, int]]


class JsonStore(Generic[T]):
    """One JSON object in one file: {"version": 1, KEY: ...}, with KEY's default from `empty`."""

    def __init__(
        self,
        path: Path,
        key: str,
        empty: Callable[[], T],
        keep: Keep[T],
        limit: int = 16 * MiB,
        tell: Callable[[str], None] | None = None,
    ) -> None:
        self.path = path
        self.key = key
        self.empty = empty
        self.keep = keep
        self.limit = limit
        self.warnings: list[str] = []
        self.tell: Callable[[str], None] = tell or self.warnings.append
        self.value: T = empty()  # what the explorer goes on with
        self.saved = True  # whether the last update was saved
        self._rest_to_save = False  # a file read was set aside, and what could be kept of it is to be saved
        self._blocked = ""  # why the file on disk must not be written over ("": it may be)
        self._told = ""

    def load(self) -> T:
        """What is stored (see _read); a missing file is empty. What could be kept of a file that was set
        aside is saved in its place at once, so the next start has it too."""
        self._rest_to_save = False
        self.value = self._read()
        if self._rest_to_save:
            kept = self.value
            self.update(lambda _now: kept)
        return self.value

    def update(self, change: Callable[[T], T]) -> T:
        """Apply change to what is on disk now (not to a copy read earlier) and save the result; when it
        cannot be saved, to what the session has, with a message."""
        try:
            with self._locked():
                self._remove_leftovers()
                current = self._read()
                if self._blocked:
                    raise FileRefused(
                        self.path, "unreadable", f"it {self._blocked}, so it is not written over"
                    )
                value = change(current)
                text = json.dumps({"version": VERSION, self.key: value}, ensure_ascii=False, indent=1)
                write_atomically(self.path, text + "\n")
        except (OSError, FileRefused) as error:
            reason = error.reason if isinstance(error, FileRefused) else error.strerror or str(error)
            self._say(f"{self.path} could not be saved ({reason}); the change is kept until you quit")
            self.value, self.saved = change(self.value), False
            return self.value
        self.value, self.saved = value, True
        return value

    # -- reading ----------------------------------------------------------------------------------------

    def _read(self) -> T:
        try:
            data = read_regular(self.path, self.limit)
        except FileRefused as refused:
            if refused.why == "missing":
                self._blocked = ""
                return self.empty()
            return self._unusable(refused.reason, move=refused.why != "unreadable")
        try:
            parsed = json.loads(data.decode("utf-8"))
            if not isinstance(parsed, dict) or parsed.get("version") != VERSION or self.key not in parsed:
                raise ValueError("it is not a file this version of hlexplore wrote")
            value, dropped = self.keep(parsed[self.key])
        except UnicodeDecodeError as error:
            return self._unusable(f"is not UTF-8 text (byte {error.start + 1})")
        except RecursionError:
            return self._unusable("is nested too deeply to be one of hlexplore's files")
        except ValueError as error:  # json's errors are ValueErrors too
            return self._unusable(f"could not be read ({error})")
        self._blocked = ""
        if dropped:
            aside = self._move_aside_or_block()
            if aside is None:
                self._say(f"{self.path}: {_entries(dropped)} could not be used; it is {self._blocked}")
            else:
                self._rest_to_save = True
                self._say(
                    f"{self.path}: {_entries(dropped)} could not be used (wrong kind of value, or too long); "
                    f"the file was kept as {aside.name} and hlexplore goes on with the rest"
                )
        return value

    def _unusable(self, reason: str, move: bool = True) -> T:
        aside = self._move_aside_or_block() if move else None
        if aside is not None:
            self._say(f"{self.path} {reason}; it was kept as {aside.name} and hlexplore started without it")
        else:
            also = f", and {self._blocked}" if move else ""  # why it is where it was
            self._blocked = self._blocked if move else reason
            self._say(f"{self.path} {reason}{also}; hlexplore started without it and will not write over it")
        return self.empty()

    def _move_aside_or_block(self) -> Path | None:
        """The file moved aside, or None (and the file blocked) when it cannot be."""
        try:
            return self._move_aside()
        except OSError as error:
            self._blocked = f"could not be moved aside ({error.strerror})"
            return None

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while os.path.lexists(aside):
            counter += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
        os.replace(self.path, aside)
        return aside

    def _say(self, message: str) -> None:
        """Tell the user, but not the same thing twice in a row."""
        if message != self._told:
            self._told = message
            self.tell(message)

    # -- writing ----------------------------------------------------------------------------------------

    def _remove_leftovers(self) -> None:
        """Under the lock no one else is writing: temporary files still here were left by a kill."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with suppress(OSError):  # a directory of that name, or not ours to remove: left alone
                leftover.unlink(missing_ok=True)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover
            yield
            return
        lock = self.path.with_name(self.path.name + ".lock")
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        try:
            handle = os.open(lock, flags, 0o644)  # a FIFO with no reader is ENXIO, not a wait
        except OSError as error:
            problem = f"cannot be used ({error.strerror})"
            if error.errno == errno.ENXIO:  # what opening a FIFO no one reads gives (or a socket)
                problem = "is a named pipe (FIFO), not a file"
            raise FileRefused(lock, "unreadable", f"its lock {lock} {problem}") from None
        try:
            mode = os.fstat(handle).st_mode
            if not stat.S_ISREG(mode):
                raise FileRefused(lock, "not_a_file", f"its lock {lock} is {what_it_is(mode)}")
            _lock(handle, lock)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            os.close(handle)


def _lock(handle: int, lock: Path) -> None:
    """Take the lock, waiting a little for another instance that holds it, never for ever."""
    waited = 0.0
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if waited >= LOCK_WAIT:
                raise FileRefused(lock, "unreadable", f"another hlexplore holds {lock}") from None
            time.sleep(0.05)
            waited += 0.05


def _entries(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"
