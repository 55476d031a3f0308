"""The user's own catalogs, merged over the bundled one.

Rules (docs/catalog-format.md, "Your own catalogs"):
- Files are applied in order: the bundled catalog, then `<data dir>/catalogs/*.toml` by name, then each
  `--catalog PATH` in the order given. A later file wins.
- A user catalog needs no [meta]. An entry whose id is new adds it and must be complete, as in the
  bundled catalog. An entry whose id exists extends it: the fields it gives replace the old ones, except
  `aliases` (added to the old ones) and `stack` (items added; an item for a technology already in the
  stack replaces that item). A reference extends an existing one with the same `id`, or with the same
  title and owner; otherwise it is added.
- After each file the whole catalog is validated again. A file with a problem is skipped as a whole,
  with every problem named by file and entry, and the files after it still apply.
- Two user files setting the same field of the same entry differently is reported (the later one wins).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from hlexplore.catalog.compiler import catalog_from_data
from hlexplore.catalog.errors import CatalogError, Problem, did_you_mean
from hlexplore.catalog.inverted import Inverted
from hlexplore.catalog.lines import field_line, header_lines, item_line, table_line
from hlexplore.catalog.loader import Announce, bundled_catalog_path, load_with_orders
from hlexplore.catalog.models import Catalog, Company, Meta, Reference, StackItem, Technology
from hlexplore.catalog.schema import TABLES
from hlexplore.catalog.toml_file import read_toml

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
    # (kind, id) -> the user files that added or extended the entry
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
    With cache_dir, the base catalog is read from the parsed-catalog cache when its file is unchanged.
    """
    if only:
        if not catalogs:
            raise CatalogError([Problem("--only", "", "needs at least one --catalog PATH")])
        base_path, layers = Path(catalogs[0]), [Path(p) for p in catalogs[1:]]
    else:
        base_path = bundled_catalog_path()
        layers = [*user_catalog_files(user_folder), *(Path(p) for p in catalogs)]
    explicit = {Path(p) for p in catalogs}
    loaded = Loaded(*load_with_orders(base_path, cache_dir, announce), applied=[base_path])
    if not only and (problem := folder_problem(user_folder)):
        loaded.notes.append(problem)
    if not layers:
        return loaded
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
    return loaded


class _Merger:
    def __init__(self, base: Catalog) -> None:
        self.meta = base.meta
        self.paths: tuple[Path, ...] = base.paths
        self.tables: dict[str, list[dict[str, Any]]] = {
            "technology": [raw(t) for t in base.technologies],
            "company": [raw(c) for c in base.companies],
            "reference": [raw(r) for r in base.references],
        }
        self.origins: dict[tuple[str, str], str] = {(e.kind, e.id): e.origin for e in base.entries()}
        self.touched: dict[tuple[str, str], list[str]] = {}
        self.set_by: dict[tuple[str, str, str], tuple[str, Any]] = {}

    def apply(self, path: Path) -> tuple[Catalog, list[str]]:
        data, text = read_toml(path)
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
        tables = {name: [dict(e) for e in entries] for name, entries in self.tables.items()}
        finder = _Finder(tables)
        origins, notes = dict(self.origins), []
        touched: list[tuple[str, dict[str, Any], bool]] = []  # (table, entry, added here)
        set_by = dict(self.set_by)
        for table in TABLES:
            entries = data.get(table, [])
            if not isinstance(entries, list):
                problems.append(Problem(where, f"[{table}]", f"must be an array of tables ([[{table}]])"))
                continue
            for index, entry in enumerate(entries):
                label = f"{table}[{index}]"
                if not isinstance(entry, dict):
                    problems.append(Problem(where, label, "must be a table"))
                    continue
                found = finder.find(table, entry)
                if found is None:
                    finder.added(table, entry)
                    touched.append((table, entry, True))
                    continue
                existing = tables[table][found]
                entry_id = str(existing.get("id", ""))
                for key, value in entry.items():
                    previous = set_by.get((table, entry_id, key))
                    if (
                        previous
                        and previous[0] != where
                        and previous[1] != value
                        and key not in ("aliases", "stack")
                    ):
                        said = f'{where}: {table} "{entry_id}" {key}: also set by {previous[0]}'
                        notes.append(f"{said}; the value here is used")
                    set_by[(table, entry_id, key)] = (where, value)
                tables[table][found] = _extend(existing, entry)
                touched.append((table, tables[table][found], False))
        if problems:
            raise CatalogError(problems)
        combined = {"meta": raw_meta(self.meta), **tables}
        try:
            catalog = catalog_from_data(combined, path)  # every problem names this file and the entry
        except CatalogError as error:
            raise CatalogError(_located(error.problems, where, data, text)) from None
        reference_ids = _ReferenceIds(catalog)
        for table, entry, added in touched:
            key = reference_ids.key_of(table, entry)
            if key is None:
                continue
            if added:
                origins[key] = where
            self.touched.setdefault(key, [])
            if where not in self.touched[key]:
                self.touched[key].append(where)
        catalog = self._with_origins(catalog, origins, path)
        self.tables, self.origins, self.set_by = tables, origins, set_by
        return catalog, notes

    def _with_origins(self, catalog: Catalog, origins: dict[tuple[str, str], str], path: Path) -> Catalog:
        def fix(entries: Iterable[Any]) -> tuple[Any, ...]:
            return tuple(replace(e, origin=origins.get((e.kind, e.id), str(path))) for e in entries)

        paths = self.paths if path in self.paths else (*self.paths, path)
        self.paths = paths
        return Catalog(
            catalog.meta, fix(catalog.technologies), fix(catalog.companies), fix(catalog.references), paths
        )


_NAMED = re.compile(r'(technology|company|reference) "((?:[^"\\]|\\.)*)"')


def _located(problems: list[Problem], where: str, data: dict[str, Any], text: str) -> list[Problem]:
    """The merged catalog's problems, each with the line of the entry's [[table]] header in this layer's
    file when the entry it names is one of this file's (a layer has no [meta] of its own, and its
    entries were checked among the merged ones, so the checker had no line to give)."""
    headers: dict[str, list[int]] | None = None
    text_lines: list[str] | None = None
    located = []
    for problem in problems:
        named = _NAMED.match(problem.where) if problem.line is None and problem.path == where else None
        if named:
            table, name = named.groups()
            entries = data.get(table)
            key = "title" if table == "reference" else "id"
            index = next(
                (
                    i
                    for i, entry in enumerate(entries if isinstance(entries, list) else [])
                    if isinstance(entry, dict) and str(entry.get(key, "")) == name
                ),
                None,
            )
            if index is not None:
                headers = headers if headers is not None else header_lines(text)
                lines = headers.get(table, [])
                if index < len(lines):
                    text_lines = text_lines if text_lines is not None else text.splitlines()
                    problem = replace(problem, line=_line_in_entry(problem, text_lines, lines[index]))
        located.append(problem)
    return located


_ITEM_NAMED = re.compile(r'(?:unknown technology )?"((?:[^"\\]|\\.)*)"')  # the item's tech
_FIELD_NAMED = re.compile(r'(?:unknown field )?"((?:[^"\\]|\\.)*)"')  # the field


def _line_in_entry(problem: Problem, lines: list[str], header: int) -> int:
    """The line of what a problem of an entry is about (the stack item, the field), else the header's."""
    if problem.where.endswith("]"):  # company "x" stack[3]
        named = _ITEM_NAMED.match(problem.message)
        return (named and item_line(lines, header, named.group(1))) or header
    named = _FIELD_NAMED.match(problem.message)
    return (named and field_line(lines, header, named.group(1))) or header


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

    def __init__(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.tables = tables
        self.by_id: dict[str, dict[Any, int]] = {table: {} for table in tables}
        self.by_title: dict[Any, int] = {}
        for table, entries in tables.items():
            for index, existing in enumerate(entries):
                self._index(table, existing, index)

    def _index(self, table: str, entry: dict[str, Any], index: int) -> None:
        if entry.get("id"):
            self.by_id[table].setdefault(entry["id"], index)
        if table == "reference" and (known := _written_as(entry)) is not None:
            self.by_title.setdefault(known, index)

    def find(self, table: str, entry: dict[str, Any]) -> int | None:
        entry_id = entry.get("id")
        if entry_id:
            return self.by_id[table].get(entry_id) if isinstance(entry_id, str) else None
        known = _written_as(entry) if table == "reference" else None
        return None if known is None else self.by_title.get(known)

    def added(self, table: str, entry: dict[str, Any]) -> None:
        self.tables[table].append(entry)
        self._index(table, entry, len(self.tables[table]) - 1)


class _ReferenceIds:
    """The (kind, id) an entry of a file became in the catalog (a reference may get its id there)."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._by_title: dict[Any, str] | None = None  # made when a reference without an id asks

    def key_of(self, table: str, entry: dict[str, Any]) -> tuple[str, str] | None:
        if table != "reference" or entry.get("id"):
            return (table, str(entry.get("id", "")))
        if self._by_title is None:
            self._by_title = {}
            for ref in self._catalog.references:
                self._by_title.setdefault((ref.title, ref.company, ref.technology), ref.id)
        known = _written_as(entry)
        found = None if known is None else self._by_title.get(known)
        return None if found is None else ("reference", found)


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
