"""A cache of parsed catalogs in the user's cache directory, so a large catalog is parsed once.

Each file's cache entry is named by a hash of its path and content; a changed file has a new name, so a
stale entry is never used. Entries are written with `marshal` (plain tuples, strings and bytes: loading one
can build nothing but data, unlike pickle) and carry a format number and a stamp of the Python and the code
that built them: an entry that cannot be read, or was written by other code, is ignored and rebuilt, never
trusted.

An entry holds each kind's fields as columns, each text once (a language, a file name or a company id
repeated a hundred thousand times is one string), the stacks as arrays of numbers into one table of
distinct stack items, and the catalog's Inverted (orders and users) with it: reading one is a few C-speed
passes and making the entries.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import deque
from collections.abc import Iterator
from dataclasses import fields
from itertools import accumulate, chain, repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

from hlexplore.catalog.inverted import Inverted, from_bytes, positions
from hlexplore.catalog.models import Catalog, Company, Meta, Reference, StackItem, Technology
from hlexplore.files import write_atomically_bytes
from hlexplore.lazy import Lazy

FORMAT = 2
KEEP = 8  # entries kept; older ones are removed when a new one is written


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.init)


TECH, COMPANY, REFERENCE, ITEM = _names(Technology), _names(Company), _names(Reference), _names(StackItem)
STACK = COMPANY.index("stack")


def _version() -> str:
    """What wrote an entry: the Python (marshal's format), the fields, and the code that builds catalogs."""
    import sys

    from hlexplore import text
    from hlexplore.catalog import inverted, loader, models, vocabulary

    code = hashlib.sha256()
    for module in (loader, models, vocabulary, inverted, text):
        code.update(Path(module.__file__ or "").read_bytes())
    return f"{sys.version_info[:2]}|{TECH}{COMPANY}{REFERENCE}{ITEM}|{code.hexdigest()[:16]}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """The digest of a file's content, read in pieces (a large catalog is not held in memory for it)."""
    found = hashlib.sha256()
    with path.open("rb") as source:
        for piece in iter(lambda: source.read(1 << 20), b""):
            found.update(piece)
    return found.hexdigest()


def entry_path(cache_dir: Path, path: Path, content_digest: str) -> Path:
    named = hashlib.sha256(str(path.resolve()).encode() + b"\0" + content_digest.encode()).hexdigest()
    return cache_dir / f"{named[:32]}.catalog"


def _columns(entries: tuple[Any, ...], names: tuple[str, ...], texts: dict[str, str]) -> tuple[Any, ...]:
    """One tuple per field; equal texts as one string, which marshal then writes once."""

    def column(name: str) -> tuple[Any, ...]:
        values = list(map(attrgetter(name), entries))
        if set(map(type, values)) <= {str}:
            return tuple(map(texts.setdefault, values, values))
        return tuple(values)

    return tuple(column(name) for name in names)


def _dump(catalog: Catalog) -> bytes:
    texts: dict[str, str] = {}
    in_stacks = list(chain.from_iterable(map(attrgetter("stack"), catalog.companies)))
    # Each distinct stack item once, numbered: the loader makes an item written the same way in many
    # stacks once, so they are told apart by identity (all alive in the catalog: no id is reused).
    distinct = dict(zip(map(id, in_stacks), in_stacks, strict=True))
    number = {ident: n for n, ident in enumerate(distinct)}
    items = tuple(distinct.values())
    numbers = positions(map(number.__getitem__, map(id, in_stacks)))
    sizes = positions(len(c.stack) for c in catalog.companies)
    payload = (
        FORMAT,
        _version(),
        (catalog.meta.schema, catalog.meta.title, catalog.meta.source),
        tuple(str(p) for p in catalog.paths),
        _columns(catalog.technologies, TECH, texts),
        _columns(catalog.companies, COMPANY[:STACK] + COMPANY[STACK + 1 :], texts),
        _columns(items, ITEM, texts),
        numbers.tobytes(),
        sizes.tobytes(),
        _columns(catalog.references, REFERENCE, texts),
        (catalog.inverted or Inverted.of(catalog)).dump(),
    )
    return marshal.dumps(payload)


def _load(blob: bytes) -> Catalog:
    payload = marshal.loads(blob)
    if not (isinstance(payload, tuple) and len(payload) == 11 and payload[:2] == (FORMAT, _version())):
        raise ValueError("written by another version")
    _format, _by, meta, paths, technologies, companies, items, numbers, sizes, references, inverted = payload
    for columns in (technologies, companies, items, references):
        if len({len(column) for column in columns}) != 1:
            raise ValueError("columns of different lengths")  # map() would quietly stop at the shortest
    made = _made(StackItem, items)  # each distinct item once, shared by the stacks listing it
    in_stacks = list(map(made.__getitem__, from_bytes(numbers)))
    ends = list(accumulate(from_bytes(sizes)))
    if len(ends) != len(companies[0]) or (ends[-1] if ends else 0) != len(in_stacks):
        raise ValueError("the stacks do not add up")
    stacks = map(tuple, map(in_stacks.__getitem__, map(slice, [0, *ends], ends)))
    catalog = Catalog(
        Meta(*meta),
        _made(Technology, technologies),
        _made(Company, (*companies[:STACK], tuple(stacks), *companies[STACK:])),
        Rows(Reference, references),
        tuple(Path(p) for p in paths),
        Inverted.load(inverted),
    )
    if not (catalog.inverted and catalog.inverted.fits(catalog)):
        raise ValueError("the orders do not fit the entries")
    return catalog


def _made(cls: type, columns: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    """Entries from columns of their fields' values, as unpickling makes objects: each slot set column by
    column at C speed (a frozen dataclass's __init__ sets them one by one through object.__setattr__:
    twice as slow, and a large catalog has hundreds of thousands). Fields that __init__ does not take
    get their defaults."""
    count = len(columns[0]) if columns else 0
    made = tuple(map(object.__new__, repeat(cls, count)))
    given = dict(zip(_names(cls), columns, strict=True))
    for field in fields(cls):
        values = given[field.name] if field.init else repeat(field.default, count)
        deque(map(getattr(cls, field.name).__set__, made, values), maxlen=0)
    return made


class Rows(Lazy[Any]):
    """A kind's entries as the cache's columns of field values, each entry made when first read (and
    kept). A catalog of 100,000 companies has 300,000 references: making them all is a quarter of a warm
    start, and the first screen shows a few dozen. Reads like the tuple of entries it stands for."""

    def __init__(self, cls: type, columns: tuple[tuple[Any, ...], ...]) -> None:
        self._cls, self._columns = cls, columns
        self._entries: list[Any] = [None] * (len(columns[0]) if columns else 0)
        self._whole = False

    def column(self, name: str) -> tuple[Any, ...]:
        """One field's values, without making the entries (if they are not made yet)."""
        if self._whole:
            return tuple(map(attrgetter(name), self._entries))
        return self._columns[_names(self._cls).index(name)]

    @property
    def made(self) -> int:
        """How many entries have been made so far."""
        return len(self._entries) if self._whole else len(self._entries) - self._entries.count(None)

    def __len__(self) -> int:
        return len(self._entries)

    def _read(self, at: int) -> Any:
        found = self._entries[at]  # an IndexError here is the tuple's
        if found is None:  # (never once whole)
            found = self._entries[at] = self._cls(*(column[at] for column in self._columns))
        return found

    def __iter__(self) -> Iterator[Any]:
        if not self._whole:  # all at once, at C speed, keeping those made already
            made = _made(self._cls, self._columns)
            self._entries = [e if e is not None else m for e, m in zip(self._entries, made, strict=True)]
            self._whole, self._columns = True, ()  # the entries hold the values now
        return iter(self._entries)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, list, Rows)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Rows({len(self)} {self._cls.__name__} entries, {self.made} made)"


def load(cache_dir: Path, path: Path, content_digest: str) -> Catalog | None:
    """The cached catalog for this file's content, or None (missing, unreadable or foreign: rebuild)."""
    try:
        return _load(entry_path(cache_dir, path, content_digest).read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # whatever is wrong with a cache entry, the file is parsed instead
        return None


def store(cache_dir: Path, path: Path, content_digest: str, catalog: Catalog) -> None:
    """Keep the parsed catalog; a cache that cannot be written is only a slower next start."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        target = entry_path(cache_dir, path, content_digest)
        write_atomically_bytes(target, _dump(catalog))
        entries = sorted(cache_dir.glob("*.catalog"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass


SLOW_BYTES = 8 * 1024 * 1024  # files from this size on take seconds to parse: worth a word first


def first_read_message(path: Path, size: int) -> str | None:
    """What to tell the user before a large file is parsed (once: later starts read the cache)."""
    if size < SLOW_BYTES:
        return None
    return (
        f"hlexplore: reading {path} ({size / 1024 / 1024:.0f} MiB) for the first time; this takes a while "
        "once, later starts read it from the cache"
    )
