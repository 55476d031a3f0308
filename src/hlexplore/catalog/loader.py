"""Read a catalog file into models, validating everything and reporting every problem at once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

# tomli is the library the standard tomllib was taken from, with the same behaviour and messages, but
# shipped compiled (mypyc): three times faster, which a catalog of 100,000 companies feels (28 s -> 9 s).
import tomli as tomllib

from hlexplore.catalog.errors import CatalogError, Problem
from hlexplore.catalog.models import Catalog, Company, Meta, Reference, StackItem, Technology
from hlexplore.catalog.urls import url_problem
from hlexplore.catalog.vocabulary import CATEGORIES, REFERENCE_KINDS, URL_CONFIDENCES
from hlexplore.memory import bulk
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
    type: type | tuple[type, ...]
    required: bool = False


_STR = Field(str)
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


class _Checker:
    """Collects problems for one file while its entries are converted."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = str(path)
        self.problems: list[Problem] = []
        self.header_lines = _header_lines(text)
        self.items: dict[tuple[tuple[str, Any], ...], StackItem] = {}  # stack entries as written, made

    def add(self, where: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, where, message, line))

    def line_of(self, table: str, index: int) -> int | None:
        lines = self.header_lines.get(table, [])
        return lines[index] if index < len(lines) else None

    def fields(self, table: str, raw: Any, where: str, line: int | None) -> dict[str, Any] | None:
        """The entry's known fields, type-checked; None if it is not a table at all."""
        if not isinstance(raw, dict):
            self.add(where, f"must be a table, not {_describe(raw)}", line)
            return None
        spec = _FIELDS[table]
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in spec:
                self.add(where, f'unknown field "{key}"{did_you_mean(key, spec)}', line)
                continue
            expected = spec[key].type
            if isinstance(value, bool) or not isinstance(value, expected):
                wanted = _TYPE_NAMES.get(expected, str(expected))  # type: ignore[arg-type]
                self.add(where, f'"{key}" must be {wanted}, not {_describe(value)}', line)
                continue
            if isinstance(value, str) and len(value) > MAX_STRING:
                self.add(where, f'"{key}" is {len(value)} characters long (at most {MAX_STRING})', line)
                continue
            values[key] = value
        for key, field in spec.items():
            if field.required and key not in raw:
                self.add(where, f'missing required field "{key}"', line)
        if any(field.required and key not in values for key, field in spec.items()):
            return None
        return values

    def stack_item(self, raw: Any, where: str, line: int | None) -> StackItem | None:
        """A stack entry; the same one written the same way in many stacks is checked and made once."""
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
        made = StackItem(item["tech"], item.get("note", ""), item.get("version", ""), item.get("group", ""))
        if key is not None and item.keys() == raw.keys():  # nothing was dropped with a problem
            self.items[key] = made
        return made

    def strings(self, values: list[Any], where: str, line: int | None) -> tuple[str, ...]:
        kept = []
        for i, value in enumerate(values):
            if isinstance(value, str) and len(value) <= MAX_STRING:
                kept.append(value)
            else:
                self.add(f"{where}[{i}]", f"must be a string, not {_describe(value)}", line)
        return tuple(kept)

    def url(self, values: dict[str, Any], key: str, where: str, line: int | None) -> str:
        url = values.get(key, "")
        if url:
            problem = url_problem(url)
            if problem:
                self.add(where, f'"{key}" {problem}', line)
                return ""
        return url

    def confidence(self, values: dict[str, Any], where: str, line: int | None) -> str:
        confidence = values.get("url_confidence", "")
        if confidence and confidence not in URL_CONFIDENCES:
            self.add(where, f'"url_confidence" must be one of {", ".join(URL_CONFIDENCES)}', line)
            return ""
        return confidence


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z_]+)[ \t]*\]\]", re.MULTILINE)


def _header_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of each [[table]] header, in order, so entries can be located by index."""
    found: dict[str, list[int]] = {}
    line, counted_to = 1, 0
    for match in _HEADER.finditer(text):
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        found.setdefault(match.group(1), []).append(line)
    return found


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file, turning every failure into a CatalogError that names the place."""
    return _parse(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            limit = MAX_CATALOG_BYTES // (1024 * 1024)
            message = f"is {size / 1024 / 1024:.0f} MiB; catalogs are limited to {limit} MiB"
            raise CatalogError([Problem(where, "", message)])
        return path.read_bytes()
    except FileNotFoundError:
        raise CatalogError([Problem(where, "", "no such file")]) from None
    except IsADirectoryError:
        raise CatalogError([Problem(where, "", "is a directory, not a catalog file")]) from None
    except OSError as error:
        raise CatalogError([Problem(where, "", f"cannot be read ({error.strerror})")]) from None


def _parse(path: Path, data: bytes) -> tuple[dict[str, Any], str]:
    where = str(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"is not UTF-8 text (byte 0x{data[error.start]:02x})"
        raise CatalogError([Problem(where, "", message, line, column)]) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = column = None
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].strip()
        raise CatalogError([Problem(where, "", f"invalid TOML: {message}", line, column)]) from None
    except RecursionError:
        raise CatalogError([Problem(where, "", "invalid TOML: nested too deeply")]) from None


def load_catalog(
    path: Path, cache_dir: Path | None = None, announce: Callable[[Path, int], None] | None = None
) -> Catalog:
    """Load and validate one catalog file. Raises CatalogError listing every problem.

    With cache_dir, a file parsed before (same path, same bytes) is read from the cache instead; announce
    is told (path, size in bytes) before a file is parsed, so a slow first load can be explained."""
    path = Path(path)
    with bulk():
        return _load(path, cache_dir, announce)


def _load(path: Path, cache_dir: Path | None, announce: Callable[[Path, int], None] | None) -> Catalog:
    if cache_dir is None:
        data, text = read_toml(path)
        return catalog_from_data(data, path, text)
    from hlexplore.catalog import cache

    try:
        cached = cache.load(cache_dir, path, cache.file_digest(path))
    except OSError:
        cached = None  # _read_bytes says what is wrong with the file
    if cached is not None:
        return cached
    raw = _read_bytes(path)
    if announce is not None:
        announce(path, len(raw))
    data, text = _parse(path, raw)
    catalog = catalog_from_data(data, path, text)
    cache.store(cache_dir, path, cache.digest(raw), catalog)
    return catalog


def catalog_from_data(data: dict[str, Any], path: Path, text: str = "") -> Catalog:
    """Validate parsed catalog data; problems name path (and lines, when text is the file's)."""
    check = _Checker(path, text)
    known_tables = ("meta", "technology", "company", "reference")
    for key in data:
        if key not in known_tables:
            check.add("", f'unknown table "{key}"{did_you_mean(key, known_tables)}')

    meta = _meta(data.get("meta"), check)
    technologies = _entries(data, "technology", check, _technology)
    companies = _entries(data, "company", check, _company)
    references = _entries(data, "reference", check, _reference)
    catalog = Catalog(meta, tuple(technologies), tuple(companies), with_reference_ids(references), (path,))
    check_references_between(catalog, check)
    if check.problems:
        raise CatalogError(check.problems)
    return catalog


def _meta(raw: Any, check: _Checker) -> Meta:
    if raw is None:
        check.add("[meta]", "missing: a catalog starts with [meta] (schema, title)")
        return Meta()
    values = check.fields("meta", raw, "[meta]", None)
    if values is None:
        return Meta()
    if values["schema"] != SCHEMA_VERSION:
        check.add(
            "[meta]",
            f"schema {values['schema']} is not supported (this version reads {SCHEMA_VERSION})",
        )
    return Meta(values["schema"], values["title"], values.get("source", ""))


def _entries(data: dict[str, Any], table: str, check: _Checker, build: Callable) -> list:
    raw = data.get(table, [])
    if not isinstance(raw, list):
        check.add(f"[{table}]", f"must be an array of tables ([[{table}]]), not {_describe(raw)}")
        return []
    built = []
    for index, entry in enumerate(raw):
        line = check.line_of(table, index)
        label = entry.get("id") if isinstance(entry, dict) else None
        if table == "reference" and isinstance(entry, dict):
            label = entry.get("title")
        where = f'{table} "{label}"' if isinstance(label, str) else f"{table}[{index}]"
        values = check.fields(table, entry, where, line)
        if values is not None:
            built.append(build(values, where, line, check))
    return built


def _check_id(value: str, where: str, line: int | None, check: _Checker) -> None:
    if not _ID.match(value):
        check.add(where, f'id "{value}" must be a lowercase slug like "{slugify(value)}"', line)


def _technology(values: dict[str, Any], where: str, line: int | None, check: _Checker) -> Technology:
    _check_id(values["id"], where, line, check)
    category = values["category"]
    if category not in CATEGORIES:
        check.add(where, f'unknown category "{category}"{did_you_mean(category, CATEGORIES)}', line)
    return Technology(
        id=values["id"],
        name=values["name"],
        category=category,
        description=values.get("description", ""),
        url=check.url(values, "url", where, line),
        aliases=check.strings(values.get("aliases", []), f"{where} aliases", line),
        short_url=check.url(values, "short_url", where, line),
        parent=values.get("parent", ""),
        url_confidence=check.confidence(values, where, line),
        origin=check.path,
    )


def _company(values: dict[str, Any], where: str, line: int | None, check: _Checker) -> Company:
    _check_id(values["id"], where, line, check)
    stack = []
    for index, raw in enumerate(values.get("stack", [])):
        item = check.stack_item(raw, f"{where} stack[{index}]", line)
        if item is not None:
            stack.append(item)
    return Company(
        id=values["id"],
        name=values["name"],
        url=check.url(values, "url", where, line),
        native_name=values.get("native_name", ""),
        short_url=check.url(values, "short_url", where, line),
        url_confidence=check.confidence(values, where, line),
        note=values.get("note", ""),
        aliases=check.strings(values.get("aliases", []), f"{where} aliases", line),
        stack=tuple(stack),
        origin=check.path,
    )


def _reference(values: dict[str, Any], where: str, line: int | None, check: _Checker) -> Reference:
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
    return Reference(
        id=values.get("id", ""),
        title=values["title"],
        url=check.url(values, "url", where, line),
        company=company,
        technology=technology,
        short_url=check.url(values, "short_url", where, line),
        lang=values.get("lang", "en"),
        ref_kind=kind,
        year=year,
        url_confidence=check.confidence(values, where, line),
        origin=check.path,
    )


def check_references_between(catalog: Catalog, check: _Checker) -> None:
    """Ids must be unique and every id an entry points at must exist."""
    tech_ids = _unique(catalog.technologies, "technology", check)
    company_ids = _unique(catalog.companies, "company", check)
    tech_lines = check.header_lines.get("technology", [])
    for index, tech in enumerate(catalog.technologies):
        line = tech_lines[index] if index < len(tech_lines) else None
        if tech.parent and tech.parent not in tech_ids:
            check.add(
                f'technology "{tech.id}"',
                f'unknown parent "{tech.parent}"{did_you_mean(tech.parent, tech_ids)}',
                line,
            )
        if tech.parent == tech.id:
            check.add(f'technology "{tech.id}"', "is its own parent", line)
    company_lines = check.header_lines.get("company", [])
    for index, company in enumerate(catalog.companies):
        techs = {item.tech for item in company.stack}
        if techs <= tech_ids and len(techs) == len(company.stack):
            continue  # every technology known, none twice: nothing to say
        line = company_lines[index] if index < len(company_lines) else None
        seen: set[str] = set()
        for position, item in enumerate(company.stack):
            where = f'company "{company.id}" stack[{position}]'
            if item.tech not in tech_ids:
                check.add(
                    where,
                    f'unknown technology "{item.tech}"{did_you_mean(item.tech, tech_ids)}',
                    line,
                )
            elif item.tech in seen:
                check.add(where, f'"{item.tech}" is already in the stack', line)
            seen.add(item.tech)
    ref_lines = check.header_lines.get("reference", [])
    for index, ref in enumerate(catalog.references):
        line = ref_lines[index] if index < len(ref_lines) else None
        where = f'reference "{ref.title}"'
        if ref.company and ref.company not in company_ids:
            check.add(
                where,
                f'unknown company "{ref.company}"{did_you_mean(ref.company, company_ids)}',
                line,
            )
        if ref.technology and ref.technology not in tech_ids:
            check.add(
                where,
                f'unknown technology "{ref.technology}"{did_you_mean(ref.technology, tech_ids)}',
                line,
            )


def _unique(entries: Iterable[Technology | Company], table: str, check: _Checker) -> set[str]:
    seen: set[str] = set()
    lines = check.header_lines.get(table, [])
    for index, entry in enumerate(entries):
        if entry.id in seen:
            line = lines[index] if index < len(lines) else None
            check.add(f'{table} "{entry.id}"', f"duplicate id (already used by an earlier {table})", line)
        seen.add(entry.id)
    return seen


def with_reference_ids(references: Iterable[Reference]) -> tuple[Reference, ...]:
    """Give references without an id a stable one derived from owner and title."""
    taken: set[str] = {ref.id for ref in references if ref.id}
    result = []
    for ref in references:
        if not ref.id:
            base = f"{ref.owner}-{slugify(ref.title)[:40]}".strip("-")
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            taken.add(candidate)
            ref = replace(ref, id=candidate)
        result.append(ref)
    return tuple(result)
