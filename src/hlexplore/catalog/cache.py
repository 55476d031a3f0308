"""A cache of parsed catalogs in the user's cache directory, so a large catalog is parsed once.

Each file's cache entry is named by a hash of its path and content; a changed file has a new name, so a
stale entry is never used. Entries are written with `marshal` (plain tuples, strings and bytes: loading one
can build nothing but data, unlike pickle) and carry a format number and a stamp of the Python and the code
that built them: an entry that cannot be read, or was written by other code, is ignored and rebuilt, never
trusted.

An entry holds the catalog's columns (columns.py: each text once, the stacks as arrays of numbers into one
table of distinct stack items), its Inverted (orders and users) and what else was said of it (for a
catalog merged from several files: merge.py): reading one is a few C-speed passes and making the entries.
A merged catalog's entry is named by the first file's path and a digest of every file's path and content
(`merged_digest`), so changing, adding or removing any of them names another entry.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from hlexplore.catalog.columns import COMPANY, ITEM, REFERENCE, TECH, Columns
from hlexplore.catalog.inverted import Inverted, from_bytes
from hlexplore.catalog.models import Catalog
from hlexplore.files import MiB, open_regular, read_regular

FORMAT = 4
MAX_ENTRY_BYTES = 4 * 1024 * MiB  # an entry is a few times its catalog (at most MAX_CATALOG_BYTES)
KEEP = 8  # entries kept; older ones are removed when a new one is written


# The modules whose code decides what an entry holds, a merged one's too (read as files, not imported: the
# cache is below them).
_BUILDERS = (
    "compiler",
    "checker",
    "schema",
    "toml_file",
    "columns",
    "models",
    "vocabulary",
    "inverted",
    "merge",
)


def _version() -> str:
    """What wrote an entry: the Python (marshal's format), the fields, and the code that builds catalogs."""
    import sys

    here = Path(__file__).parent
    code = hashlib.sha256()
    for source in (*(here / f"{name}.py" for name in _BUILDERS), here.parent / "text.py"):
        code.update(source.read_bytes())
    return f"{sys.version_info[:2]}|{TECH}{COMPANY}{REFERENCE}{ITEM}|{code.hexdigest()[:16]}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path, limit: int) -> str:
    """The digest of a regular file of at most limit bytes, read in pieces (a large catalog is not held
    in memory for it; a device is never read: files.open_regular). Raises FileRefused."""
    found = hashlib.sha256()
    with open_regular(path, limit) as (source, _size):
        for piece in iter(lambda: source.read(1 << 20), b""):
            found.update(piece)
    return found.hexdigest()


def _name(path: Path, content_digest: str) -> bytes:
    """What an entry is for: the file's resolved path and its content's digest."""
    return hashlib.sha256(str(path.resolve()).encode() + b"\0" + content_digest.encode()).digest()


def entry_path(cache_dir: Path, path: Path, content_digest: str) -> Path:
    return cache_dir / f"{_name(path, content_digest).hex()[:32]}.catalog"


def _seal(name: bytes, body_digest: bytes) -> bytes:
    """An entry's last SEAL bytes: a digest of what it is for and of everything before them, so an
    entry with a byte changed anywhere, cut short, or copied from another catalog's is not used."""
    return hashlib.sha256(name + body_digest).digest()


SEAL = 32


def dump_columns(columns: Columns) -> bytes:
    """The first part of an entry: its stamp and the catalog's columns (made while the orders are worked
    out elsewhere, pieces.py)."""
    stamped = (
        FORMAT,
        _version(),
        *columns._replace(numbers=columns.numbers.tobytes(), sizes=columns.sizes.tobytes()),
    )
    return marshal.dumps(stamped)


def merged_digest(files: list[tuple[Path, str]], only: bool) -> str:
    """What names the entry of a catalog merged from files (each (path, digest of its content), in the
    order they apply): all of them, in order, and whether the first is the bundled catalog."""
    found = hashlib.sha256(b"merged\0only\0" if only else b"merged\0")
    for path, content_digest in files:
        found.update(str(path.resolve()).encode() + b"\0" + content_digest.encode() + b"\0")
    return found.hexdigest()


Cached = tuple[Catalog, Inverted, Any]  # the catalog, its orders and users, what else was kept with it


def _load(blob: bytes | memoryview) -> Cached:
    """An entry: how long its first part is, the first part (dump_columns), then the orders and users
    with what else was kept."""
    whole = memoryview(blob)
    split = 8 + int.from_bytes(whole[:8], "little")
    stamped = marshal.loads(whole[8:split])
    width = len(Columns._fields)
    if not (isinstance(stamped, tuple) and len(stamped) == width + 2 and stamped[:2] == (FORMAT, _version())):
        raise ValueError("written by another version")
    columns = Columns(*stamped[2:])
    columns = columns._replace(numbers=from_bytes(columns.numbers), sizes=from_bytes(columns.sizes))
    catalog = columns.catalog(lazy=True)  # (which checks the stacks' bounds)
    dumped, extra = marshal.loads(whole[split:])
    orders = Inverted.load(dumped)
    if not orders.fits(catalog):
        raise ValueError("the orders do not fit the entries")
    return catalog, orders, extra


def load(cache_dir: Path, path: Path, content_digest: str) -> Cached | None:
    """The cached catalog for this file's content and its orders, or None (missing, unreadable, damaged or
    foreign: rebuild). An entry is used only when its seal matches and every number in it is within bounds."""
    try:
        blob = read_regular(entry_path(cache_dir, path, content_digest), MAX_ENTRY_BYTES)
        body = memoryview(blob)[:-SEAL]
        if (
            len(blob) <= SEAL
            or _seal(_name(path, content_digest), hashlib.sha256(body).digest()) != blob[-SEAL:]
        ):
            return None
        return _load(body)
    except Exception:  # whatever is wrong with a cache entry (or in its place), the file is parsed instead
        return None


class Storing:
    """A compiled catalog being kept (a cache that cannot be written is only a slower next start). Its
    columns (as dump_columns made them) are written to a temporary file in a thread, which lets go of
    Python's lock while it writes, as the orders are worked out; done() adds the orders and users and puts
    the entry in place under its name."""

    def __init__(self, cache_dir: Path, columns: bytes) -> None:
        self._dir, self._temporary, self._failed = cache_dir, "", False
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            handle, self._temporary = tempfile.mkstemp(dir=cache_dir, prefix=".entry.", suffix=".tmp")
        except OSError:
            self._failed = True
            return
        self._file = os.fdopen(handle, "wb")
        self._digest = hashlib.sha256()  # of everything written, for the seal
        parts = (len(columns).to_bytes(8, "little"), columns)
        self._writing = threading.Thread(target=self._write, args=parts, name="cache-write")
        self._writing.start()

    def _write(self, *parts: bytes) -> None:
        try:
            for part in parts:
                self._file.write(part)
                self._digest.update(part)
        except OSError:
            self._failed = True

    def done(self, path: Path, content_digest: str, inverted: Inverted, extra: Any = None) -> None:
        """Put the entry in place (extra: plain data kept with it, as marshal writes it)."""
        if not self._temporary:
            return
        self._writing.join()
        try:
            with self._file:
                if not self._failed:
                    orders = marshal.dumps((inverted.dump(), extra))
                    self._digest.update(orders)
                    self._file.write(orders)
                    self._file.write(_seal(_name(path, content_digest), self._digest.digest()))
                    self._file.flush()
                    os.fsync(self._file.fileno())
            if not self._failed:
                os.replace(self._temporary, entry_path(self._dir, path, content_digest))
                entries = sorted(self._dir.glob("*.catalog"), key=lambda p: p.stat().st_mtime, reverse=True)
                for old in entries[KEEP:]:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            Path(self._temporary).unlink(missing_ok=True)


SLOW_BYTES = 8 * 1024 * 1024  # files from this size on take seconds to parse: worth a word first


def first_read_message(path: Path, size: int, merging: bool = False) -> str | None:
    """What to tell the user before a large file is parsed (once: later starts read the cache, also of a
    catalog merged from several files until one of them changes)."""
    if size < SLOW_BYTES:
        return None
    if merging:
        return (
            f"hlexplore: merging {path} ({size / 1024 / 1024:.0f} MiB) over the catalog; this takes a while "
            "once, later starts read the result from the cache"
        )
    return (
        f"hlexplore: reading {path} ({size / 1024 / 1024:.0f} MiB) for the first time; this takes a while "
        "once, later starts read it from the cache"
    )
