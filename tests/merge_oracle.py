"""The merge as it was before layers were checked by what they change (issue 22): every layer turned
back into dicts and the whole catalog validated again. Kept as the oracle the layered merge is compared
with (tests/test_merge_oracle.py); not used by hlexplore."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from hlexplore.catalog.compiler import catalog_from_data
from hlexplore.catalog.errors import CatalogError, Problem, did_you_mean
from hlexplore.catalog.lines import field_line, header_lines, item_line, table_line
from hlexplore.catalog.merge import _extend, _written_as, raw, raw_meta
from hlexplore.catalog.models import Catalog
from hlexplore.catalog.schema import TABLES
from hlexplore.catalog.toml_file import read_toml


class WholeMerger:
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
