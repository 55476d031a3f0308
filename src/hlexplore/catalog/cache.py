"""A cache of parsed catalogs in the user's cache directory, so a large catalog is parsed once.

Each file's cache entry is named by a hash of its path and content; a changed file has a new name, so a
stale entry is never used. Entries are written with `marshal` (plain tuples and strings: loading one can
build nothing but data, unlike pickle) and carry a format number and a stamp of the Python and the code
that built them: an entry that cannot be read, or was written by other code, is ignored and rebuilt, never
trusted.
"""

from __future__ import annotations

import hashlib
import marshal
from dataclasses import fields
from pathlib import Path
from typing import Any

from hlexplore.catalog.models import Catalog, Company, Meta, Reference, StackItem, Technology
from hlexplore.files import write_atomically_bytes

FORMAT = 1
KEEP = 8  # entries kept; older ones are removed when a new one is written


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.init)


TECH, COMPANY, REFERENCE, ITEM = _names(Technology), _names(Company), _names(Reference), _names(StackItem)


def _version() -> str:
    """What wrote an entry: the Python (marshal's format), the fields, and the code that builds catalogs."""
    import sys

    from hlexplore.catalog import loader, models, vocabulary

    code = hashlib.sha256()
    for module in (loader, models, vocabulary):
        code.update(Path(module.__file__ or "").read_bytes())
    return f"{sys.version_info[:2]}|{TECH}{COMPANY}{REFERENCE}{ITEM}|{code.hexdigest()[:16]}"


def entry_path(cache_dir: Path, path: Path, data: bytes) -> Path:
    digest = hashlib.sha256(str(path.resolve()).encode() + b"\0" + data).hexdigest()
    return cache_dir / f"{digest[:32]}.catalog"


def _dump(catalog: Catalog) -> bytes:
    def row(entry: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(getattr(entry, name) for name in names)

    companies = []
    for company in catalog.companies:
        values = list(row(company, COMPANY))
        values[COMPANY.index("stack")] = tuple(row(item, ITEM) for item in company.stack)
        companies.append(tuple(values))
    payload = (
        FORMAT,
        _version(),
        (catalog.meta.schema, catalog.meta.title, catalog.meta.source),
        tuple(row(t, TECH) for t in catalog.technologies),
        tuple(companies),
        tuple(row(r, REFERENCE) for r in catalog.references),
        tuple(str(p) for p in catalog.paths),
    )
    return marshal.dumps(payload)


def _load(blob: bytes) -> Catalog:
    payload = marshal.loads(blob)
    if not (isinstance(payload, tuple) and len(payload) == 7 and payload[:2] == (FORMAT, _version())):
        raise ValueError("written by another version")
    _format, _written_by, meta, technologies, companies, references, paths = payload
    items: dict[tuple[Any, ...], StackItem] = {}  # the same item (most have a technology and no note) once
    stack_at = COMPANY.index("stack")

    def company(values: tuple[Any, ...]) -> Company:
        stack = tuple(items.get(i) or items.setdefault(i, StackItem(*i)) for i in values[stack_at])
        return Company(*values[:stack_at], stack, *values[stack_at + 1 :])

    return Catalog(
        Meta(*meta),
        tuple(Technology(*t) for t in technologies),
        tuple(company(c) for c in companies),
        tuple(Reference(*r) for r in references),
        tuple(Path(p) for p in paths),
    )


def load(cache_dir: Path, path: Path, data: bytes) -> Catalog | None:
    """The cached catalog for this file's content, or None (missing, unreadable or foreign: rebuild)."""
    try:
        return _load(entry_path(cache_dir, path, data).read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # whatever is wrong with a cache entry, the file is parsed instead
        return None


def store(cache_dir: Path, path: Path, data: bytes, catalog: Catalog) -> None:
    """Keep the parsed catalog; a cache that cannot be written is only a slower next start."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        target = entry_path(cache_dir, path, data)
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
