"""Turning a parsed catalog into columns: each entry checked (checker.py) and made a row of values, the
rows columns (columns.py), a large file's pieces joined (pieces.py compiles them apart), and the references
between entries checked over the whole catalog (finish). Problems are CatalogErrors naming every place."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from itertools import chain, repeat
from operator import add
from pathlib import Path
from typing import Any, NamedTuple

from hlexplore.catalog.checker import At, Checker, Line, Row, Stacks, check_references_between
from hlexplore.catalog.columns import COMPANY, ITEM, REFERENCE, STACK, TECH, Column, Columns, shared_texts
from hlexplore.catalog.errors import CatalogError, Problem, did_you_mean
from hlexplore.catalog.inverted import from_bytes, positions
from hlexplore.catalog.models import Catalog, Meta, Reference
from hlexplore.catalog.schema import ID, SCHEMA_VERSION, TABLES, describe
from hlexplore.catalog.vocabulary import CATEGORIES, REFERENCE_KINDS
from hlexplore.text import slugify


def catalog_from_data(data: dict[str, Any], path: Path, text: str = "") -> Catalog:
    """Validate parsed catalog data; problems name path (and lines, when text is the file's)."""
    return compile_data(data, path, text).catalog()


def compile_data(data: dict[str, Any], path: Path, text: str = "") -> Columns:
    """Parsed catalog data checked and turned into columns; raises CatalogError listing every problem."""
    check = Checker(path, text)
    return finish([compile_piece(data, check)], check)


class Piece(NamedTuple):
    """What a file, or a piece of a large file, compiles to: each kind's checked values as columns, the
    stacks as in Columns (numbers into items, as bytes), the companies whose stack lists a technology
    twice, how often each technology is used, how many entries each table had as written, and the
    problems found, by the table they were found in ("" for the file's top level and [meta])."""

    meta: tuple[int, str, str] | None
    technologies: tuple[Column, ...]
    companies: tuple[Column, ...]  # but the stack
    items: tuple[Column, ...]
    numbers: bytes
    sizes: bytes
    repeating: tuple[int, ...]
    used: dict[str, int]  # technology id -> how many of the piece's stacks list it
    references: tuple[Column, ...]
    written: dict[str, int]
    dropped: dict[str, tuple[int, ...]]  # the entries of each table made no row (their problems say why)
    problems: dict[str, list[Problem]]  # (the last field: pieces.py hands it over apart)


def compile_piece(data: dict[str, Any], check: Checker, whole: bool = True) -> Piece:
    """Check parsed data and turn it into columns; whole: the data is a whole file (a later piece of a
    large file holds nothing but entries)."""
    problems: dict[str, list[Problem]] = {}
    meta = None
    if whole:
        known_tables = ("meta", *TABLES)
        for key in data:
            if key not in known_tables:
                check.add(
                    "", f'unknown table "{key}"{did_you_mean(key, known_tables)}', check.table_line(key)
                )
        meta = _meta(data.get("meta"), check)
    problems[""] = check.taken()
    columns, dropped = {}, {}
    for table, build, fields in zip(TABLES, _BUILDERS, (TECH, COMPANY, REFERENCE), strict=True):
        rows, dropped[table] = _entries(data, table, check, build)
        columns[table] = _columns(rows, fields)
        problems[table] = check.taken()
    written = {table: len(data[table]) if isinstance(data.get(table), list) else 0 for table in TABLES}
    items = _columns(check.item_rows, ITEM)
    companies = columns["company"]
    stacks, item_techs = companies[STACK], items[ITEM.index("tech")]
    repeating = tuple(
        i for i, stack in enumerate(stacks) if len(set(map(item_techs.__getitem__, stack))) < len(stack)
    )
    numbers = positions(chain.from_iterable(stacks))
    return Piece(
        meta,
        columns["technology"],
        (*companies[:STACK], *companies[STACK + 1 :]),
        items,
        numbers.tobytes(),
        positions(map(len, stacks)).tobytes(),
        repeating,
        dict(Counter(map(item_techs.__getitem__, numbers))),
        columns["reference"],
        written,
        dropped,
        problems,
    )


def _columns(rows: list[Row], fields: tuple[str, ...]) -> tuple[Column, ...]:
    """Rows as columns, each repeating text once."""
    if not rows:
        return ((),) * len(fields)
    return shared_texts(tuple(zip(*rows, strict=True)), fields)


def _shared(
    ids: dict[str, str], columns: tuple[Column, ...], fields: tuple[str, ...], *names: str
) -> tuple[Column, ...]:
    """Columns whose named fields point at entries by id, holding the entries' own id strings."""
    return tuple(
        tuple(map(ids.get, column, column)) if name in names else column
        for name, column in zip(fields, columns, strict=True)
    )


def finish(pieces: list[Piece], check: Checker) -> Columns:
    """A file's pieces as one catalog's columns, once the references between entries are checked (check
    reads the whole file's lines); raises CatalogError listing every problem, in the file's order."""
    problems = list(pieces[0].problems[""])
    for table in TABLES:
        base = 0
        for piece in pieces:
            problems += (
                [_shifted(p, table, base) for p in piece.problems[table]] if base else piece.problems[table]
            )
            base += piece.written[table]
    meta = pieces[0].meta or (Meta().schema, Meta().title, Meta().source)
    technologies = _joined([p.technologies for p in pieces])
    companies = _joined([p.companies for p in pieces])
    items = _joined([p.items for p in pieces])
    references = _joined([p.references for p in pieces])
    numbers, sizes, repeating, first, companies_before = positions(), positions(), [], 0, 0
    for piece in pieces:  # each piece numbered its own items and companies from 0
        in_piece = from_bytes(piece.numbers)
        numbers.extend(positions(map(add, in_piece, repeat(first))) if first else in_piece)
        sizes.frombytes(piece.sizes)
        repeating += [companies_before + at for at in piece.repeating]
        first += len(piece.items[0])
        companies_before += len(piece.companies[0])
    check.problems = []
    stacks = Stacks(numbers, sizes, repeating)
    check_references_between(
        technologies, companies, items, stacks, references, check, places=_places(pieces)
    )
    problems += check.problems
    if problems:
        raise CatalogError(problems)
    references = _with_ids(references)
    ids = dict(zip(companies[0], companies[0], strict=True)) | dict(
        zip(technologies[0], technologies[0], strict=True)
    )
    technologies = _shared(ids, technologies, TECH, "parent")
    items = _shared(ids, items, ITEM, "tech")
    references = _shared(ids, references, REFERENCE, "company", "technology")
    return Columns(meta, (check.path,), technologies, companies, items, numbers, sizes, references)


def entries_of(
    piece: Piece,
    check: Checker,
    known: tuple[Collection[str], Collection[str]],
    references: Collection[str],
) -> Catalog:
    """A piece's entries as a catalog of their own, once the references between them and the entries of
    the catalog they join are checked: known holds that catalog's technology and company ids, references
    its reference ids (a new reference's id is none of them). Raises CatalogError with every problem."""
    problems = [*piece.problems[""], *chain.from_iterable(piece.problems[t] for t in TABLES)]
    numbers, sizes = from_bytes(piece.numbers), from_bytes(piece.sizes)
    check.problems = []
    stacks = Stacks(numbers, sizes, list(piece.repeating))
    check_references_between(
        piece.technologies,
        piece.companies,
        piece.items,
        stacks,
        piece.references,
        check,
        known,
        _places([piece]),
    )
    problems += check.problems
    if problems:
        raise CatalogError(problems)
    with_ids = _with_ids(piece.references, references)
    meta = (Meta().schema, Meta().title, Meta().source)
    kinds = (piece.technologies, piece.companies, piece.items, numbers, sizes, with_ids)
    return Columns(meta, (check.path,), *kinds).catalog()


def _places(pieces: list[Piece]) -> dict[str, list[int]]:
    """Where each table's rows were written in the file, for the tables where an entry made no row (the
    nth row is then not the nth entry)."""
    places: dict[str, list[int]] = {}
    for table in TABLES:
        if any(piece.dropped[table] for piece in pieces):
            base, places[table] = 0, []
            for piece in pieces:
                dropped = set(piece.dropped[table])
                places[table] += [base + i for i in range(piece.written[table]) if i not in dropped]
                base += piece.written[table]
    return places


def _joined(kinds: list[tuple[Column, ...]]) -> tuple[Column, ...]:
    if len(kinds) == 1:
        return kinds[0]
    return tuple(tuple(chain.from_iterable(columns)) for columns in zip(*kinds, strict=True))


_UNLABELLED = re.compile(r"^(technology|company|reference)\[(\d+)\]")


def _shifted(problem: Problem, table: str, base: int) -> Problem:
    """A later piece's problem, its entry numbered in the whole file (an entry without an id or title is
    named by its place in its table)."""
    found = _UNLABELLED.match(problem.where)
    if not found or found.group(1) != table:
        return problem
    where = f"{table}[{int(found.group(2)) + base}]{problem.where[found.end() :]}"
    return replace(problem, where=where)


def _meta(raw: Any, check: Checker) -> tuple[int, str, str]:
    default = Meta()
    if raw is None:
        check.add("[meta]", "missing: a catalog starts with [meta] (schema, title)")
        return (default.schema, default.title, default.source)
    line = check.table_line("meta")
    values = check.fields("meta", raw, "[meta]", line)
    if values is None:
        return (default.schema, default.title, default.source)
    if values["schema"] != SCHEMA_VERSION:
        supported = f"schema {values['schema']} is not supported (this version reads {SCHEMA_VERSION})"
        check.add("[meta]", supported, check.field_line(line, "schema"))
    return (values["schema"], values["title"], values.get("source", ""))


def _entries(
    data: dict[str, Any], table: str, check: Checker, build: Callable[..., Row]
) -> tuple[list[Row], tuple[int, ...]]:
    """A table's rows, and the places of the entries that made none."""
    raw = data.get(table, [])
    if not isinstance(raw, list):
        message = f"must be an array of tables ([[{table}]]), not {describe(raw)}"
        check.add(f"[{table}]", message, check.table_line(table))
        return [], ()
    built, dropped = [], []
    label_key = "title" if table == "reference" else "id"
    for index, entry in enumerate(raw):
        line = At(table, index)
        label = entry.get(label_key) if type(entry) is dict else None
        where = f'{table} "{label}"' if isinstance(label, str) else f"{table}[{index}]"
        values = check.fields(table, entry, where, line)
        if values is not None:
            built.append(build(values, where, line, check))
        else:
            dropped.append(index)
    return built, tuple(dropped)


def _check_id(value: str, where: str, line: Line, check: Checker) -> None:
    if not ID.match(value):
        check.add(where, f'id "{value}" must be a lowercase slug like "{slugify(value)}"', line)


# Each builder returns a row: the entry's values in the order of its fields (columns.TECH, COMPANY,
# REFERENCE); the tests compare every field with what the entry was written with.


def _technology(values: dict[str, Any], where: str, line: Line, check: Checker) -> Row:
    _check_id(values["id"], where, line, check)
    category = values["category"]
    if category not in CATEGORIES:
        check.add(where, f'unknown category "{category}"{did_you_mean(category, CATEGORIES)}', line)
    return (
        values["id"],
        values["name"],
        category,
        values.get("description", ""),
        check.url(values, "url", where, line),
        check.strings(values.get("aliases", ()), f"{where} aliases", line),
        check.url(values, "short_url", where, line),
        values.get("parent", ""),
        check.confidence(values, where, line),
        check.path,
    )


def _company(values: dict[str, Any], where: str, line: Line, check: Checker) -> Row:
    _check_id(values["id"], where, line, check)
    return (
        values["id"],
        values["name"],
        check.url(values, "url", where, line),
        values.get("native_name", ""),
        check.url(values, "short_url", where, line),
        check.confidence(values, where, line),
        values.get("note", ""),
        check.strings(values.get("aliases", ()), f"{where} aliases", line),
        check.stack(values.get("stack", ()), where, line),
        check.path,
    )


def _reference(values: dict[str, Any], where: str, line: Line, check: Checker) -> Row:
    kind = values.get("kind", "link")
    if kind not in REFERENCE_KINDS:
        check.add(where, f'unknown kind "{kind}"{did_you_mean(kind, REFERENCE_KINDS)}', line)
    company, technology = values.get("company", ""), values.get("technology", "")
    if bool(company) == bool(technology):
        check.add(where, 'needs exactly one of "company" or "technology"', line)
    year = values.get("year")
    if year is not None and not 1900 <= year <= 2100:
        check.add(where, f'"year" {year} is not a plausible year', check.field_line(line, "year"))
        year = None
    return (
        values.get("id", ""),
        values["title"],
        check.url(values, "url", where, line),
        company,
        technology,
        check.url(values, "short_url", where, line),
        values.get("lang", "en"),
        kind,
        year,
        check.confidence(values, where, line),
        check.path,
    )


_BUILDERS = (_technology, _company, _reference)


def with_reference_ids(references: Iterable[Reference]) -> tuple[Reference, ...]:
    """Give references without an id a stable one derived from owner and title."""
    references = tuple(references)
    ids = _reference_ids(
        [r.id for r in references], [r.owner for r in references], [r.title for r in references]
    )
    return tuple(
        ref if ref.id == new else replace(ref, id=new) for ref, new in zip(references, ids, strict=True)
    )


def _with_ids(references: tuple[Column, ...], taken: Iterable[str] = ()) -> tuple[Column, ...]:
    """References' columns with an id for each (taken: the ids of references already in the catalog these
    join, which a new id must not repeat)."""
    at = REFERENCE.index("id")
    if all(references[at]):
        return references
    owners = [
        c or t
        for c, t in zip(
            references[REFERENCE.index("company")], references[REFERENCE.index("technology")], strict=True
        )
    ]
    ids = tuple(_reference_ids(references[at], owners, references[REFERENCE.index("title")], taken))
    return (*references[:at], ids, *references[at + 1 :])


def _reference_ids(
    ids: Sequence[str], owners: Sequence[str], titles: Sequence[str], before: Iterable[str] = ()
) -> list[str]:
    """Each reference's id: its own, or a stable one derived from owner and title (and not one of before)."""
    taken: set[str] = set(filter(None, ids))
    taken.update(before)
    result = []
    for given, owner, title in zip(ids, owners, titles, strict=True):
        if not given:
            base = f"{owner}-{slugify(title)[:40]}".strip("-")
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            taken.add(candidate)
            given = candidate
        result.append(given)
    return result
