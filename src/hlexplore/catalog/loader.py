"""Loading a catalog file: from the cache when it was compiled before (cache.py), else compiled (in pieces
on every core when large: pieces.py) and stored in the cache as it is handed back."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from hlexplore.catalog import cache
from hlexplore.catalog.inverted import Inverted
from hlexplore.catalog.models import Catalog
from hlexplore.catalog.pieces import compile_file
from hlexplore.catalog.toml_file import MAX_CATALOG_BYTES, read_catalog_bytes
from hlexplore.files import FileRefused
from hlexplore.interpreter import bulk

Announce = Callable[[Path, int, bool], None]  # told (path, size, merging) before a file is read at length


def bundled_catalog_path() -> Path:
    """The catalog that ships with hlexplore: inside the installed package, or the checkout's data/."""
    packaged = resources.files("hlexplore") / "data" / "catalog.toml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data" / "catalog.toml"


def load_catalog(path: Path, cache_dir: Path | None = None, announce: Announce | None = None) -> Catalog:
    """Load and validate one catalog file. Raises CatalogError listing every problem.

    With cache_dir, a file parsed before (same path, same bytes) is read from the cache instead; announce
    is told (path, size in bytes) before a file is parsed, so a slow first load can be explained."""
    return load_with_orders(path, cache_dir, announce)[0]


def load_with_orders(
    path: Path, cache_dir: Path | None = None, announce: Announce | None = None
) -> tuple[Catalog, Inverted | None]:
    """load_catalog, and with cache_dir the orders and users worked out with the catalog (cached with it),
    for CatalogIndex: without them an index works them out itself."""
    path = Path(path)
    with bulk():
        return _load(path, cache_dir, announce)


def _load(path: Path, cache_dir: Path | None, announce: Announce | None) -> tuple[Catalog, Inverted | None]:
    if cache_dir is None:
        with compile_file(path, read_catalog_bytes(path), orders=False) as compiled:
            return compiled.columns.catalog(), None
    try:
        cached = cache.load(cache_dir, path, cache.file_digest(path, MAX_CATALOG_BYTES))
    except FileRefused:
        cached = None  # read_catalog_bytes says what is wrong with the file
    if cached is not None:
        return cached[0], cached[1]
    from concurrent.futures import ThreadPoolExecutor  # (a cached catalog, the common case, needs none)

    raw = read_catalog_bytes(path)
    if announce is not None:
        announce(path, len(raw), False)
    hashing = ThreadPoolExecutor(1, "hash-catalog")  # (hashlib lets go of Python's lock as it hashes)
    content_digest = hashing.submit(cache.digest, raw)
    hashing.shutdown(wait=False)
    with compile_file(path, raw) as compiled:
        catalog = compiled.columns.catalog(lazy=True)
        storing = cache.Storing(cache_dir, cache.dump_columns(compiled.columns))
        inverted = compiled.orders(catalog)
    storing.done(path, content_digest.result(), inverted)
    return catalog, inverted
