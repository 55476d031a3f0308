"""Read a catalog file, validating everything and reporting every problem at once.

A file is parsed (tomli), each entry checked and turned into a row of values, the rows into columns
(columns.py), and the references between entries checked over the whole catalog (finish); a Catalog is
made from the columns. A large file is compiled in pieces, on every core (pieces.py)."""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from itertools import chain, repeat
from operator import add
from pathlib import Path
from typing import Any, NamedTuple, cast

# tomli is the library the standard tomllib was taken from, with the same behaviour and messages, but
# shipped compiled (mypyc): three times faster, which a catalog of 100,000 companies feels (28 s -> 9 s).
import tomli as tomllib

from hlexplore.catalog.columns import COMPANY, ITEM, REFERENCE, STACK, TECH, Column, Columns, spans
from hlexplore.catalog.errors import CatalogError, Problem
from hlexplore.catalog.inverted import from_bytes, positions
from hlexplore.catalog.lines import field_line, header_lines, item_line, table_line
from hlexplore.catalog.models import Catalog, Meta, Reference
from hlexplore.catalog.urls import url_problem
from hlexplore.catalog.vocabulary import CATEGORIES, REFERENCE_KINDS, URL_CONFIDENCES
from hlexplore.files import FileRefused, read_regular, size_text
from hlexplore.interpreter import bulk
from hlexplore.text import slugify

SCHEMA_VERSION = 1
MAX_CATALOG_BYTES = 256 * 1024 * 1024  # a StackShare-sized catalog (100k companies) is ~150 MB
MAX_STRING = 10_000
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def bundled_catalog_path() -> Path:
    """The catalog that ships with hlexplore: inside the installed package, or the checkout's data/."""
    packaged = resources.files("hlexplore") / "data" / "catalog.toml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data" / "catalog.toml"


def suggest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The closest valid names to word, best first."""
    from rapidfuzz import process  # only when something is wrong: not on the way to the first frame

    found = process.extract(word, list(choices), limit=limit, score_cutoff=60)
    return [choice for choice, _score, _index in found]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = suggest(word, choices, limit=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


@dataclass(frozen=True, slots=True)
class Field:
    type: type
    required: bool = False


_STR = Field(str)


@dataclass(frozen=True, slots=True)
class _Spec:
    fields: dict[str, Field]
    types: dict[str, type]  # each field's exact type, for the quick check
    required: frozenset[str]

    def plain(self, raw: Any) -> bool:
        """Whether raw is a table every check would pass (the common case, checked quickly)."""
        if type(raw) is dict and raw.keys() <= self.types.keys() and self.required <= raw.keys():
            for key, value in raw.items():
                kind = type(value)
                if kind is not self.types[key] or (kind is str and len(value) > MAX_STRING):
                    return False
            return True
        return False


_FIELDS: dict[str, dict[str, Field]] = {
    "meta": {"schema": Field(int, True), "title": Field(str, True), "source": _STR},
    "technology": {
        "id": Field(str, True),
        "name": Field(str, True),
        "category": Field(str, True),
        "description": _STR,
        "url": _STR,
        "aliases": Field(list),
        "short_url": _STR,
        "parent": _STR,
        "url_confidence": _STR,
    },
    "company": {
        "id": Field(str, True),
        "name": Field(str, True),
        "native_name": _STR,
        "url": _STR,
        "short_url": _STR,
        "url_confidence": _STR,
        "note": _STR,
        "aliases": Field(list),
        "stack": Field(list),
    },
    "reference": {
        "id": _STR,
        "title": Field(str, True),
        "url": Field(str, True),
        "short_url": _STR,
        "company": _STR,
        "technology": _STR,
        "lang": _STR,
        "kind": _STR,
        "year": Field(int),
        "url_confidence": _STR,
    },
    "stack": {"tech": Field(str, True), "note": _STR, "version": _STR, "group": _STR},
}
_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "a table"}
_SPECS = {
    table: _Spec(
        fields,
        {key: field.type for key, field in fields.items()},
        frozenset(key for key, field in fields.items() if field.required),
    )
    for table, fields in _FIELDS.items()
}


class At(NamedTuple):
    """An entry's place (its table and index): turned into the line of its header only when a problem is
    reported there, so a file without problems is never scanned for its headers."""

    table: str
    number: int  # its place in the table


Line = int | At | None
Announce = Callable[[Path, int, bool], None]  # told (path, size, merging) before a file is read at length
Row = tuple[Any, ...]


class _Checker:
    """Collects problems for one file (or one piece of it) while its entries are turned into rows."""

    def __init__(self, path: Path, text: str | Callable[[], str] = "", line_base: int = 0) -> None:
        self.path = str(path)
        self.problems: list[Problem] = []
        self._text = text  # the text the entries were read from, or how to read it when a line is asked
        self._lines: dict[str, list[int]] | None = None
        self._text_lines: list[str] | None = None
        self.line_base = line_base  # lines before the text (a piece of a larger file)
        self.items: dict[tuple[tuple[str, Any], ...], int] = {}  # stack entry as written -> its number
        self.item_rows: list[Row] = []  # each distinct stack entry, by number

    def add(self, where: str, message: str, line: Line = None) -> None:
        if isinstance(line, At):
            line = self.line_of(line.table, line.number)
        self.problems.append(Problem(self.path, where, message, line))

    def taken(self) -> list[Problem]:
        """The problems found so far; from now on, none."""
        problems, self.problems = self.problems, []
        return problems

    def text(self) -> str:
        return self._text() if callable(self._text) else self._text

    def line_of(self, table: str, index: int) -> int | None:
        if self._lines is None:
            self._lines = header_lines(self.text())
        lines = self._lines.get(table, [])
        return lines[index] + self.line_base if index < len(lines) else None

    def table_line(self, key: str) -> int | None:
        """The line where a top-level table (or key) is given."""
        line = table_line(self.text(), key)
        return line + self.line_base if line is not None else None

    def field_line(self, line: Line, key: str) -> Line:
        """The line of an entry's field when it can be found below the entry's header, else line."""
        return self._below(line, lambda lines, header: field_line(lines, header, key))

    def item_line(self, line: Line, tech: str, nth: int) -> Line:
        """The line of a company's nth stack item naming tech, else line."""
        return self._below(line, lambda lines, header: item_line(lines, header, tech, nth))

    def _below(self, line: Line, find: Callable[[list[str], int], int | None]) -> Line:
        header = self.line_of(line.table, line.number) if isinstance(line, At) else None
        if header is None:
            return line
        if self._text_lines is None:
            self._text_lines = self.text().splitlines()
        found = find(self._text_lines, header - self.line_base)
        return found + self.line_base if found is not None else header

    def fields(self, table: str, raw: Any, where: str, line: Line) -> dict[str, Any] | None:
        """The entry's known fields, type-checked; None if it is not a table at all."""
        spec = _SPECS[table]
        if spec.plain(raw):
            return raw  # type: ignore[no-any-return]  # (plain says it is a dict of known fields)
        if not isinstance(raw, dict):
            self.add(where, f"must be a table, not {_describe(raw)}", line)
            return None
        fields = spec.fields
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in fields:
                self.add(
                    where, f'unknown field "{key}"{did_you_mean(key, fields)}', self.field_line(line, key)
                )
                continue
            expected = fields[key].type
            if isinstance(value, bool) or not isinstance(value, expected):
                wanted = _TYPE_NAMES.get(expected, str(expected))
                self.add(
                    where, f'"{key}" must be {wanted}, not {_describe(value)}', self.field_line(line, key)
                )
                continue
            if isinstance(value, str) and len(value) > MAX_STRING:
                message = f'"{key}" is {len(value)} characters long (at most {MAX_STRING})'
                self.add(where, message, self.field_line(line, key))
                continue
            values[key] = value
        for key, field in fields.items():
            if field.required and key not in raw:
                self.add(where, f'missing required field "{key}"', line)
        if any(field.required and key not in values for key, field in fields.items()):
            return None
        return values

    def stack(self, raw: list[Any], where: str, line: Line) -> tuple[int, ...]:
        """A stack as the numbers of its items; an item written the same way in many stacks is checked and
        made once."""
        try:  # the common case at C speed: every item a table, written as in a stack before
            found = list(map(self.items.get, map(tuple, map(dict.items, raw))))
        except TypeError:  # an item that is not a table, or holds a list or a table: checked one by one
            found = [None] * len(raw)
        if None in found:
            for place, number in enumerate(found):
                if number is None:
                    found[place] = self.stack_item(raw[place], f"{where} stack[{place}]", line)
            return tuple(number for number in found if number is not None)  # (one with a problem was said)
        return tuple(cast("list[int]", found))

    def stack_item(self, raw: Any, where: str, line: Line) -> int | None:
        try:
            key = tuple(raw.items()) if type(raw) is dict else None
            known = self.items.get(key) if key is not None else None
        except TypeError:  # a value that is a list or a table: the checks below say what is wrong
            key = known = None
        if known is not None:
            return known
        item = self.fields("stack", raw, where, line)
        if item is None:
            return None
        number = self._item(item)
        if key is not None and item.keys() == raw.keys():  # nothing was dropped with a problem
            self.items[key] = number
        return number

    def _item(self, item: dict[str, Any]) -> int:
        """A new distinct stack item's number."""
        self.item_rows.append(
            (item["tech"], item.get("note", ""), item.get("version", ""), item.get("group", ""))
        )
        return len(self.item_rows) - 1

    def strings(self, values: list[Any], where: str, line: Line) -> tuple[str, ...]:
        if all(type(value) is str and len(value) <= MAX_STRING for value in values):
            return tuple(values)
        kept = []
        for i, value in enumerate(values):
            if isinstance(value, str) and len(value) <= MAX_STRING:
                kept.append(value)
            else:
                self.add(f"{where}[{i}]", f"must be a string, not {_describe(value)}", line)
        return tuple(kept)

    def url(self, values: dict[str, Any], key: str, where: str, line: Line) -> str:
        url = values.get(key, "")
        if url:
            problem = url_problem(url)
            if problem:
                self.add(where, f'"{key}" {problem}', line)
                return ""
        return str(url)

    def confidence(self, values: dict[str, Any], where: str, line: Line) -> str:
        confidence = values.get("url_confidence", "")
        if confidence and confidence not in URL_CONFIDENCES:
            self.add(where, f'"url_confidence" must be one of {", ".join(URL_CONFIDENCES)}', line)
            return ""
        return str(confidence)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file, turning every failure into a CatalogError that names the place."""
    return _parse(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    """A catalog file's bytes: a regular file of at most MAX_CATALOG_BYTES (a FIFO, a device such as
    /dev/zero or a directory is refused, never read)."""
    try:
        return read_regular(path, MAX_CATALOG_BYTES)
    except FileRefused as refused:
        raise CatalogError([Problem(str(path), "", _refusal(refused))]) from None


def _refusal(refused: FileRefused) -> str:
    if refused.why == "too_large":
        return f"{refused.reason.partition(';')[0]}; catalogs are limited to {size_text(MAX_CATALOG_BYTES)}"
    if refused.why == "not_a_file":
        return refused.reason.replace("not a file", "not a catalog file")
    return refused.reason


def _parse(path: Path, data: bytes) -> tuple[dict[str, Any], str]:
    where = str(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        at_line = data[: error.start].count(b"\n") + 1
        at_column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"is not UTF-8 text (byte 0x{data[error.start]:02x})"
        raise CatalogError([Problem(where, "", message, at_line, at_column)]) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = column = None
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].strip()
        elif message.endswith("(at end of document)"):  # where the file ends
            line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
            message = message.removesuffix("(at end of document)").strip() + " (at the end of the file)"
        raise CatalogError([Problem(where, "", f"invalid TOML: {message}", line, column)]) from None
    except RecursionError:
        raise CatalogError([Problem(where, "", "invalid TOML: nested too deeply")]) from None


def load_catalog(path: Path, cache_dir: Path | None = None, announce: Announce | None = None) -> Catalog:
    """Load and validate one catalog file. Raises CatalogError listing every problem.

    With cache_dir, a file parsed before (same path, same bytes) is read from the cache instead; announce
    is told (path, size in bytes) before a file is parsed, so a slow first load can be explained."""
    path = Path(path)
    with bulk():
        return _load(path, cache_dir, announce)


def _load(path: Path, cache_dir: Path | None, announce: Announce | None) -> Catalog:
    from hlexplore.catalog.pieces import compile_file

    if cache_dir is None:
        with compile_file(path, _read_bytes(path), orders=False) as compiled:
            return compiled.columns.catalog()
    from concurrent.futures import ThreadPoolExecutor

    from hlexplore.catalog import cache

    try:
        cached = cache.load(cache_dir, path, cache.file_digest(path, MAX_CATALOG_BYTES))
    except FileRefused:
        cached = None  # _read_bytes says what is wrong with the file
    if cached is not None:
        return cached
    raw = _read_bytes(path)
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
    return replace(catalog, inverted=inverted)


def catalog_from_data(data: dict[str, Any], path: Path, text: str = "") -> Catalog:
    """Validate parsed catalog data; problems name path (and lines, when text is the file's)."""
    return compile_data(data, path, text).catalog()


def compile_data(data: dict[str, Any], path: Path, text: str = "") -> Columns:
    """Parsed catalog data checked and turned into columns; raises CatalogError listing every problem."""
    check = _Checker(path, text)
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
    problems: dict[str, list[Problem]]


TABLES = ("technology", "company", "reference")


def compile_piece(data: dict[str, Any], check: _Checker, whole: bool = True) -> Piece:
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
    columns = {}
    for table, build, fields in zip(TABLES, _BUILDERS, (TECH, COMPANY, REFERENCE), strict=True):
        columns[table] = _columns(_entries(data, table, check, build), fields)
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
        problems,
    )


# Fields whose texts repeat from entry to entry (a language, a kind, a category, an owner): each text is
# kept as one string (marshal then writes it once, and a language a hundred thousand times is one string
# in memory). The ids other entries point at are shared with those entries when the pieces are joined.
_REPEATING = {
    TECH: ("category", "parent", "url_confidence"),
    COMPANY: ("url_confidence",),
    ITEM: ("tech", "note", "version", "group"),
    REFERENCE: ("company", "technology", "lang", "ref_kind", "url_confidence"),
}


def _columns(rows: list[Row], fields: tuple[str, ...]) -> tuple[Column, ...]:
    """Rows as columns, each repeating text once."""
    if not rows:
        return ((),) * len(fields)
    texts: dict[str, str] = {}
    repeating = _REPEATING[fields]
    return tuple(
        tuple(map(texts.setdefault, column, column)) if name in repeating else column
        for name, column in zip(fields, zip(*rows, strict=True), strict=True)
    )


def _shared(
    ids: dict[str, str], columns: tuple[Column, ...], fields: tuple[str, ...], *names: str
) -> tuple[Column, ...]:
    """Columns whose named fields point at entries by id, holding the entries' own id strings."""
    return tuple(
        tuple(map(ids.get, column, column)) if name in names else column
        for name, column in zip(fields, columns, strict=True)
    )


def finish(pieces: list[Piece], check: _Checker) -> Columns:
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
    check_references_between(technologies, companies, items, stacks, references, check)
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


class Stacks(NamedTuple):
    numbers: array[int]  # every stack's item numbers, one stack after another
    sizes: array[int]  # each company's stack size
    repeating: list[int]  # the companies whose stack lists a technology twice

    def each(self) -> Iterator[array[int]]:
        return map(self.numbers.__getitem__, map(slice, *spans(self.sizes)))


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


def _meta(raw: Any, check: _Checker) -> tuple[int, str, str]:
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


def _entries(data: dict[str, Any], table: str, check: _Checker, build: Callable[..., Row]) -> list[Row]:
    raw = data.get(table, [])
    if not isinstance(raw, list):
        message = f"must be an array of tables ([[{table}]]), not {_describe(raw)}"
        check.add(f"[{table}]", message, check.table_line(table))
        return []
    built = []
    label_key = "title" if table == "reference" else "id"
    for index, entry in enumerate(raw):
        line = At(table, index)
        label = entry.get(label_key) if type(entry) is dict else None
        where = f'{table} "{label}"' if isinstance(label, str) else f"{table}[{index}]"
        values = check.fields(table, entry, where, line)
        if values is not None:
            built.append(build(values, where, line, check))
    return built


def _check_id(value: str, where: str, line: Line, check: _Checker) -> None:
    if not _ID.match(value):
        check.add(where, f'id "{value}" must be a lowercase slug like "{slugify(value)}"', line)


# Each builder returns a row: the entry's values in the order of its fields (columns.TECH, COMPANY,
# REFERENCE); the tests compare every field with what the entry was written with.


def _technology(values: dict[str, Any], where: str, line: Line, check: _Checker) -> Row:
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


def _company(values: dict[str, Any], where: str, line: Line, check: _Checker) -> Row:
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


def _reference(values: dict[str, Any], where: str, line: Line, check: _Checker) -> Row:
    kind = values.get("kind", "link")
    if kind not in REFERENCE_KINDS:
        check.add(where, f'unknown kind "{kind}"{did_you_mean(kind, REFERENCE_KINDS)}', line)
    company, technology = values.get("company", ""), values.get("technology", "")
    if bool(company) == bool(technology):
        check.add(where, 'needs exactly one of "company" or "technology"', line)
    year = values.get("year")
    if year is not None and not 1900 <= year <= 2100:
        check.add(where, f'"year" {year} is not a plausible year', line)
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


def check_references_between(
    technologies: tuple[Column, ...],
    companies: tuple[Column, ...],
    items: tuple[Column, ...],
    stacks: Stacks,
    references: tuple[Column, ...],
    check: _Checker,
) -> None:
    """Ids must be unique and every id an entry points at must exist (over columns)."""
    tech_ids = _unique(technologies[TECH.index("id")], "technology", check)
    company_ids = _unique(companies[COMPANY.index("id")], "company", check)
    parents = technologies[TECH.index("parent")]
    for index, (tech, parent) in enumerate(zip(technologies[0], parents, strict=True)):
        if not parent:
            continue
        if parent not in tech_ids:
            where = f'technology "{tech}"'
            message = f'unknown parent "{parent}"{did_you_mean(parent, tech_ids)}'
            check.add(where, message, At("technology", index))
        if parent == tech:
            check.add(f'technology "{tech}"', "is its own parent", At("technology", index))
    item_techs = items[ITEM.index("tech")]
    if stacks.repeating or not set(item_techs) <= tech_ids:  # else every stack is fine: nothing to say
        for index, (company, stack) in enumerate(zip(companies[0], stacks.each(), strict=True)):
            seen: Counter[str] = Counter()
            for position, tech in enumerate(map(item_techs.__getitem__, stack)):
                where = f'company "{company}" stack[{position}]'
                if tech not in tech_ids:
                    message = f'unknown technology "{tech}"{did_you_mean(tech, tech_ids)}'
                    check.add(where, message, check.item_line(At("company", index), tech, seen[tech]))
                elif seen[tech]:
                    message = f'"{tech}" is already in the stack'
                    check.add(where, message, check.item_line(At("company", index), tech, seen[tech]))
                seen[tech] += 1
    owned_by, about = references[REFERENCE.index("company")], references[REFERENCE.index("technology")]
    if set(owned_by) <= company_ids | {""} and set(about) <= tech_ids | {""}:
        return  # every owner known: nothing to say
    for index, (title, company, technology) in enumerate(zip(references[1], owned_by, about, strict=True)):
        where = f'reference "{title}"'
        if company and company not in company_ids:
            message = f'unknown company "{company}"{did_you_mean(company, company_ids)}'
            check.add(where, message, At("reference", index))
        if technology and technology not in tech_ids:
            message = f'unknown technology "{technology}"{did_you_mean(technology, tech_ids)}'
            check.add(where, message, At("reference", index))


def _unique(ids: Column, table: str, check: _Checker) -> set[str]:
    seen = set(ids)
    if len(seen) == len(ids):
        return seen
    seen = set()
    for index, entry_id in enumerate(ids):
        if entry_id in seen:
            check.add(
                f'{table} "{entry_id}"',
                f"duplicate id (already used by an earlier {table})",
                At(table, index),
            )
        seen.add(entry_id)
    return seen


def with_reference_ids(references: Iterable[Reference]) -> tuple[Reference, ...]:
    """Give references without an id a stable one derived from owner and title."""
    references = tuple(references)
    ids = _reference_ids(
        [r.id for r in references], [r.owner for r in references], [r.title for r in references]
    )
    return tuple(
        ref if ref.id == new else replace(ref, id=new) for ref, new in zip(references, ids, strict=True)
    )


def _with_ids(references: tuple[Column, ...]) -> tuple[Column, ...]:
    at = REFERENCE.index("id")
    if all(references[at]):
        return references
    owners = [
        c or t
        for c, t in zip(
            references[REFERENCE.index("company")], references[REFERENCE.index("technology")], strict=True
        )
    ]
    ids = tuple(_reference_ids(references[at], owners, references[REFERENCE.index("title")]))
    return (*references[:at], ids, *references[at + 1 :])


def _reference_ids(ids: Sequence[str], owners: Sequence[str], titles: Sequence[str]) -> list[str]:
    """Each reference's id: its own, or a stable one derived from owner and title."""
    taken: set[str] = set(filter(None, ids))
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
