"""The user's own catalogs, merged over the bundled one.

Rules (docs/catalog-format.md, "Your own catalogs"):
- Files are applied in order: the bundled catalog, then `<data dir>/catalogs/*.toml` by name, then each
  `--catalog PATH` in the order given. A later file wins.
- A user catalog needs no [meta]. An entry whose id is new adds it and must be complete, as in the
  bundled catalog. An entry whose id exists extends it: the fields it gives replace the old ones, except
  `aliases` (added to the old ones) and `stack` (items added; an item for a technology already in the
  stack replaces that item). A reference extends an existing one with the same `id`, or with the same
  title and owner; otherwise it is added.
- Each file is checked as it is applied: what it adds or changes, against the catalog so far (which is
  valid). A file with a problem is skipped as a whole, with every problem named by file, line and entry,
  and the files after it still apply.
- Two user files setting the same field of the same entry differently is reported (the later one wins).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import astuple, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, cast

from hlexplore.catalog import cache
from hlexplore.catalog.checker import Checker
from hlexplore.catalog.columns import Columns, Rows, column
from hlexplore.catalog.compiler import compile_piece, entries_of
from hlexplore.catalog.errors import CatalogError, Problem, did_you_mean
from hlexplore.catalog.inverted import Inverted
from hlexplore.catalog.lines import table_line
from hlexplore.catalog.loader import Announce, bundled_catalog_path, load_with_orders
from hlexplore.catalog.models import Catalog, Company, Meta, Reference, StackItem, Technology
from hlexplore.catalog.schema import TABLES
from hlexplore.catalog.toml_file import MAX_CATALOG_BYTES, parse_toml, read_catalog_bytes
from hlexplore.files import FileRefused
from hlexplore.interpreter import bulk

_SKIP = {"origin", "kind"}
_RENAMED = {"ref_kind": "kind"}


@dataclass
class Loaded:
    """A catalog with the user's files merged in, and what was said about them."""

    catalog: Catalog
    orders: Inverted | None = None  # its orders and users, when they came with it (for CatalogIndex)
    applied: list[Path] = field(default_factory=list)
    skipped: list[CatalogError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (kind, id) -> the user files that extended the entry (and first the one that added it, if one did);
    # an entry a user file added and no other changed is not here: its origin names that file
    touched: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def messages(self) -> list[str]:
        said = [
            f"{error.problems[0].path}: skipped ({error.summary()}): "
            + "; ".join(str(p).removeprefix(f"{p.path}: ") for p in error.problems)
            for error in self.skipped
        ]
        return said + self.notes


def raw(entry: Technology | Company | Reference) -> dict[str, Any]:
    """An entry as the TOML table it could have been read from (fields that are set only)."""
    data: dict[str, Any] = {}
    for item in fields(entry):
        if item.name in _SKIP:
            continue
        value = getattr(entry, item.name)
        if item.name == "stack":
            value = [{k: v for k, v in vars_of(i).items() if v} for i in value]
        if value in ("", None, ()):
            continue
        data[_RENAMED.get(item.name, item.name)] = list(value) if isinstance(value, tuple) else value
    return data


def vars_of(item: StackItem) -> dict[str, str]:
    return {"tech": item.tech, "note": item.note, "version": item.version, "group": item.group}


def user_catalog_files(folder: Path | None) -> list[Path]:
    """Every *.toml in the user's folder, whatever it is (reading one that is not a file says so)."""
    if folder is None or not folder.is_dir():
        return []
    try:
        return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))
    except OSError:  # a folder that cannot be listed: folder_problem says so
        return []


def folder_problem(folder: Path | None) -> str | None:
    """What keeps the user's catalogs folder from being read, if anything."""
    if folder is None or not os.path.lexists(folder):
        return None
    if not folder.is_dir():
        return f"{folder} is not a folder, so no catalogs were read from it (they go in a folder there)"
    try:
        with os.scandir(folder) as entries:
            next(entries, None)
    except OSError as error:
        return f"{folder} cannot be read ({error.strerror}), so no catalogs were read from it"
    return None


def load_merged(
    catalogs: Sequence[Path] = (),
    user_folder: Path | None = None,
    only: bool = False,
    cache_dir: Path | None = None,
    announce: Announce | None = None,
) -> Loaded:
    """The bundled catalog (or, with only, the first of catalogs) with the other files merged over it.

    Files from the user's folder that have a problem are skipped (Loaded.skipped says why). Files named
    in catalogs were asked for explicitly: a problem in one raises CatalogError, as does an unusable base.
    With cache_dir, the base catalog is read from the parsed-catalog cache when its file is unchanged, and
    so is the merged catalog (with what was said of it) when no file of it changed.
    """
    if only:
        if not catalogs:
            raise CatalogError([Problem("--only", "", "needs at least one --catalog PATH")])
        base_path, layers = Path(catalogs[0]), [Path(p) for p in catalogs[1:]]
    else:
        base_path = bundled_catalog_path()
        layers = [*user_catalog_files(user_folder), *(Path(p) for p in catalogs)]
    notes = [] if only or not (problem := folder_problem(user_folder)) else [problem]
    files = _digests(base_path, layers) if layers and cache_dir is not None else None
    with bulk():
        if cache_dir is not None and files and (cached := _cached(cache_dir, files, only)):
            cached.notes[:0] = notes
            return cached
        loaded = Loaded(*load_with_orders(base_path, cache_dir, announce), applied=[base_path])
        loaded.notes += notes
        if layers:
            read = _merge(loaded, layers, {Path(p) for p in catalogs}, announce)
            if cache_dir is not None and files and all(read.get(p) == d for p, d in files[1:]):
                _store(cache_dir, loaded, files, only, len(notes))  # (no file changed as it was read)
    return loaded


def _merge(
    loaded: Loaded, layers: list[Path], explicit: set[Path], announce: Announce | None
) -> dict[Path, str]:
    """Each layer applied over the loaded catalog, in order (a layer of the user's folder that has a
    problem is skipped; one named on the command line raises). The digest of each file's bytes as read."""
    merger = _Merger(loaded.catalog)
    for layer in layers:
        if announce is not None:
            with suppress(OSError):  # (reading it says what is wrong with it)
                announce(layer, os.stat(layer).st_size, True)
        try:
            loaded.catalog, notes = merger.apply(layer)
            loaded.orders = None  # (of the catalog before)
        except CatalogError as error:
            if layer in explicit:
                raise
            loaded.skipped.append(error)
            continue
        loaded.applied.append(layer)
        loaded.notes.extend(notes)
    loaded.touched = {k: list(v) for k, v in merger.touched.items()}
    return merger.digests


def _digests(base: Path, layers: list[Path]) -> list[tuple[Path, str]] | None:
    """Each file of a merged catalog with the digest of its content, in order; None if one cannot be read
    (merging says what is wrong with it)."""
    try:
        return [(path, cache.file_digest(path, MAX_CATALOG_BYTES)) for path in (base, *layers)]
    except FileRefused:
        return None


def _cached(cache_dir: Path, files: list[tuple[Path, str]], only: bool) -> Loaded | None:
    """The merged catalog kept from an earlier start with the same files, unchanged, or None."""
    found = cache.load(cache_dir, files[0][0], cache.merged_digest(files, only))
    if found is None:
        return None
    catalog, orders, said = found
    try:
        applied, skipped, notes, touched = said
        return Loaded(
            catalog,
            orders,
            [Path(p) for p in applied],
            [CatalogError([Problem(*p) for p in problems]) for problems in skipped],
            list(notes),
            {(kind, entry): list(files) for kind, entry, files in touched},
        )
    except (TypeError, ValueError):  # kept by other code: merge again
        return None


def _store(cache_dir: Path, loaded: Loaded, files: list[tuple[Path, str]], only: bool, fresh: int) -> None:
    """Keep the merged catalog, its orders and what was said of it (but the first fresh notes, made
    afresh at each start), named by every file and its content."""
    orders = Inverted.of(loaded.catalog)
    said = (
        [str(p) for p in loaded.applied],
        [[astuple(p) for p in error.problems] for error in loaded.skipped],
        loaded.notes[fresh:],
        [(kind, entry, files) for (kind, entry), files in loaded.touched.items()],
    )
    storing = cache.Storing(cache_dir, cache.dump_columns(Columns.of(loaded.catalog)))
    storing.done(files[0][0], cache.merged_digest(files, only), orders, said)
    loaded.orders = orders


class _Merger:
    """The catalog so far, and each layer applied over it: only what a layer adds or changes is checked
    (the catalog so far is valid), against the ids of everything already there."""

    def __init__(self, base: Catalog) -> None:
        self.meta = base.meta
        self.paths: tuple[Path, ...] = base.paths
        self.kinds: dict[str, Sequence[Any]] = {
            "technology": base.technologies,
            "company": base.companies,
            "reference": base.references,  # (made when a layer touches references: columns.Rows)
        }
        self.finder = _Finder(self.kinds)
        self.touched: dict[tuple[str, str], list[str]] = {}
        self.set_by: dict[tuple[str, str, str], tuple[str, Any]] = {}
        self.digests: dict[Path, str] = {}  # of each file's bytes, as read
        self.layers: set[str] = set()  # the files applied so far (an entry's origin names one)

    def catalog(self) -> Catalog:
        kinds = self.kinds
        return Catalog(
            self.meta,
            tuple(kinds["technology"]),
            tuple(kinds["company"]),
            kinds["reference"] if isinstance(kinds["reference"], Rows) else tuple(kinds["reference"]),
            self.paths,
        )

    def apply(self, path: Path) -> tuple[Catalog, list[str]]:
        """The catalog with this file applied (CatalogError, and nothing changed, when it has a problem)."""
        raw_bytes = read_catalog_bytes(path)
        self.digests[path] = cache.digest(raw_bytes)
        data, text = parse_toml(path, raw_bytes)
        del raw_bytes
        where = str(path)
        problems = [
            Problem(
                where,
                "",
                f'unknown table "{key}"{did_you_mean(key, ("meta", *TABLES))}',
                table_line(text, key),
            )
            for key in data
            if key not in ("meta", *TABLES)
        ]
        layer = _Layer(self, where)
        for table in TABLES:
            entries = data.get(table, [])
            if not isinstance(entries, list):
                problems.append(Problem(where, f"[{table}]", f"must be an array of tables ([[{table}]])"))
                continue
            for index, entry in enumerate(entries):
                if isinstance(entry, dict):
                    layer.add(table, index, entry)
                else:
                    problems.append(Problem(where, f"{table}[{index}]", "must be a table"))
        if problems:  # (the file's shape: its entries are not checked until it has one)
            raise CatalogError(problems)
        check = _LayerChecker(path, text, layer.written_at)
        piece = compile_piece(layer.entries, check, whole=False)
        kinds, finder = self.kinds, self.finder
        known = (finder.by_id["technology"].keys(), finder.by_id["company"].keys())
        try:
            made = entries_of(piece, check, known, finder.by_id["reference"].keys())
        except CatalogError as error:
            raise CatalogError(list(map(check.renumbered, error.problems))) from None
        kinds_made: tuple[Sequence[Technology | Company | Reference], ...] = (
            made.technologies,
            made.companies,
            made.references,
        )
        for table, entries in zip(TABLES, kinds_made, strict=True):
            if not entries:
                continue
            if not isinstance(kinds[table], list):
                kinds[table] = list(kinds[table])
            listed = cast(list[Any], kinds[table])
            for entry, at in zip(entries, layer.extends[table], strict=True):
                if at is None:
                    finder.added(table, entry, len(listed))
                    listed.append(entry)
                    continue
                origin = listed[at].origin
                listed[at] = replace(entry, origin=origin)
                added_by = [origin] if origin in self.layers else []
                files = self.touched.setdefault((table, entry.id), added_by)
                if where not in files:
                    files.append(where)
        self.set_by.update(layer.set_by)
        if path not in self.paths:
            self.paths = (*self.paths, path)
        self.layers.add(where)
        return self.catalog(), layer.notes


class _Layer:
    """One file's entries as they will be checked: each new entry as written, each entry that extends one
    of the catalog's (or an earlier one of this file) as the two together, once, where it first appears."""

    def __init__(self, merger: _Merger, where: str) -> None:
        self.merger, self.where = merger, where
        self.entries: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
        self.written_at: dict[str, list[int]] = {
            table: [] for table in TABLES
        }  # each one's place in the file
        self.extends: dict[str, list[int | None]] = {table: [] for table in TABLES}
        self._slots: dict[tuple[str, Any], int] = {}  # (table, what an entry is found by) -> its slot
        self.set_by: dict[tuple[str, str, str], tuple[str, Any]] = {}
        self.notes: list[str] = []

    def add(self, table: str, index: int, entry: dict[str, Any]) -> None:
        found = self.merger.finder.find(table, entry)
        if found is not None:
            slot = self._slots.get((table, found))
        else:
            known = _known_by(table, entry)
            slot = None if known is None else self._slots.get((table, known))
        if slot is not None:  # extends an entry this file gave before (or extended)
            self.entries[table][slot] = _extend(self.entries[table][slot], entry)
            return
        slot = len(self.entries[table])
        if found is not None:
            existing = self.merger.kinds[table][found]
            self._note_conflicts(table, existing.id, entry)
            self._slots[(table, found)] = slot
            entry = _extend(raw(existing), entry)
        else:  # a new entry, found by a later one by its id, or a reference also by its title and owner
            if isinstance(entry.get("id"), str) and entry["id"]:
                self._slots.setdefault((table, entry["id"]), slot)
            if table == "reference" and (written_as := _written_as(entry)) is not None:
                self._slots.setdefault((table, written_as), slot)
        self.entries[table].append(dict(entry))
        self.written_at[table].append(index)
        self.extends[table].append(found)

    def _note_conflicts(self, table: str, entry_id: str, entry: dict[str, Any]) -> None:
        """Another user file that set a field of this entry to another value: said (this one wins)."""
        for key, value in entry.items():
            previous = self.merger.set_by.get((table, entry_id, key))
            if (
                previous
                and previous[0] != self.where
                and previous[1] != value
                and key not in ("aliases", "stack")
            ):
                said = f'{self.where}: {table} "{entry_id}" {key}: also set by {previous[0]}'
                self.notes.append(f"{said}; the value here is used")
            self.set_by[(table, entry_id, key)] = (self.where, value)


def _known_by(table: str, entry: dict[str, Any]) -> Any:
    """What an entry of a file is found by: its id, or a reference without one by its title and owner."""
    entry_id = entry.get("id")
    if entry_id:
        return entry_id if isinstance(entry_id, str) else None
    return _written_as(entry) if table == "reference" else None


class _LayerChecker(Checker):
    """A checker of a layer's entries as _Layer lists them: the nth of a table is the file's entry
    written_at[table][n], for its line and for a problem naming it by its place."""

    def __init__(self, path: Path, text: str, written_at: dict[str, list[int]]) -> None:
        super().__init__(path, text)
        self.written_at = written_at

    def line_of(self, table: str, index: int) -> int | None:
        places = self.written_at.get(table, [])
        return super().line_of(table, places[index]) if index < len(places) else None

    def renumbered(self, problem: Problem) -> Problem:
        found = _UNLABELLED.match(problem.where)
        if not found:
            return problem
        table, index = found.group(1), int(found.group(2))
        places = self.written_at.get(table, [])
        if index >= len(places):
            return problem
        return replace(problem, where=f"{table}[{places[index]}]{problem.where[found.end() :]}")


_UNLABELLED = re.compile(r"^(technology|company|reference)\[(\d+)\]")


def _written_as(entry: dict[str, Any]) -> tuple[Any, Any, Any] | None:
    """What a reference written without an id is known by: its title and its owner (None when one of
    them is a list or a table: no entry is known by that, and the check says what is wrong with it)."""
    found = (entry.get("title"), entry.get("company", ""), entry.get("technology", ""))
    try:
        hash(found)
    except TypeError:
        return None
    return found


class _Finder:
    """The entry of the catalog so far that a layer's entry extends: the one with its id, or for a
    reference without an id the one with its title and owner; the first such, by lookup (not a scan of
    every entry for each one the layer holds)."""

    def __init__(self, kinds: dict[str, Sequence[Any]]) -> None:
        self.kinds = kinds
        self.by_id: dict[str, dict[str, int]] = {}
        for table, entries in kinds.items():
            ids = column(entries, "id")
            self.by_id[table] = dict(zip(reversed(ids), range(len(ids) - 1, -1, -1), strict=True))
        self._by_title: dict[Any, int] | None = None  # made when a reference without an id asks

    def find(self, table: str, entry: dict[str, Any]) -> int | None:
        entry_id = entry.get("id")
        if entry_id:
            return self.by_id[table].get(entry_id) if isinstance(entry_id, str) else None
        known = _written_as(entry) if table == "reference" else None
        return None if known is None else self.by_title().get(known)

    def by_title(self) -> dict[Any, int]:
        if self._by_title is None:
            references = self.kinds["reference"]
            found = zip(
                *(column(references, name) for name in ("title", "company", "technology")), strict=True
            )
            self._by_title = {}
            for index, known in enumerate(found):
                self._by_title.setdefault(known, index)
        return self._by_title

    def added(self, table: str, entry: Any, index: int) -> None:
        self.by_id[table].setdefault(entry.id, index)
        if table == "reference" and self._by_title is not None:
            self._by_title.setdefault((entry.title, entry.company, entry.technology), index)


def raw_meta(meta: Meta) -> dict[str, Any]:
    data: dict[str, Any] = {"schema": meta.schema, "title": meta.title}
    if meta.source:
        data["source"] = meta.source
    return data


def _extend(existing: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    merged = dict(existing)
    for key, value in entry.items():
        if key == "aliases" and isinstance(value, list) and isinstance(existing.get(key), list):
            merged[key] = list(dict.fromkeys([*existing[key], *value]))
        elif key == "stack" and isinstance(value, list) and isinstance(existing.get(key), list):
            stack = [dict(item) for item in existing[key]]
            for item in value:
                tech = item.get("tech") if isinstance(item, dict) else None
                at = next((i for i, old in enumerate(stack) if tech and old.get("tech") == tech), None)
                if at is None:
                    stack.append(item)
                else:
                    stack[at] = item
            merged[key] = stack
        else:
            merged[key] = value
    return merged
