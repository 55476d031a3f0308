"""Reading and writing the user's files so that no file can stop hlexplore, and a crash never leaves half
of one.

read_regular opens without blocking (a FIFO named like a file answers at once), refuses anything that is
not a regular file (a directory, a device such as /dev/zero, a socket) and anything larger than the
caller allows, and reads at most that much even if the file grows meanwhile. Every failure is one
FileRefused with a sentence for people; nothing here raises anything else for a damaged file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Literal

Why = Literal["missing", "unreadable", "not_a_file", "too_large"]
MiB = 1024 * 1024


class FileRefused(Exception):
    def __init__(self, path: Path, why: Why, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.why, self.reason = path, why, reason


def what_it_is(mode: int) -> str:
    """A file type as people say it."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def size_text(size: int) -> str:
    return (
        f"{size / MiB:.0f} MiB"
        if size >= MiB
        else f"{size / 1024:.0f} KiB"
        if size >= 1024
        else f"{size} bytes"
    )


@contextmanager
def open_regular(path: Path, limit: int) -> Iterator[tuple[BinaryIO, int]]:
    """A regular file of at most limit bytes, opened for reading, with its size."""
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        handle = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefused(path, "missing", "no such file") from None
    except IsADirectoryError:
        raise FileRefused(path, "not_a_file", "is a directory, not a file") from None
    except OSError as error:  # permission, a loop of links, a socket (ENXIO), a name too long, ...
        raise FileRefused(path, "unreadable", f"cannot be read ({error.strerror or error})") from None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise FileRefused(path, "not_a_file", f"is {what_it_is(status.st_mode)}, not a file")
        if status.st_size > limit:
            message = f"is {size_text(status.st_size)}; at most {size_text(limit)} is read"
            raise FileRefused(path, "too_large", message)
        stream = os.fdopen(handle, "rb")
    except OSError as error:
        os.close(handle)
        raise FileRefused(path, "unreadable", f"cannot be read ({error.strerror})") from None
    except FileRefused:
        os.close(handle)
        raise
    with stream:
        yield stream, status.st_size


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most limit bytes (see open_regular)."""
    with open_regular(path, limit) as (stream, _size):
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise FileRefused(path, "unreadable", f"cannot be read ({error.strerror})") from None
    if len(data) > limit:  # it grew while it was read
        raise FileRefused(path, "too_large", f"is more than {size_text(limit)}; at most that is read")
    return data


def write_atomically(path: Path, content: str) -> None:
    """Write to a temporary file beside path, flush and fsync it, then rename it over path."""
    write_atomically_bytes(path, content.encode("utf-8"))


def write_atomically_bytes(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
