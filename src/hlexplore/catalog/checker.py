"""Checking a catalog's entries as they are read: the Checker collects every problem of a file (or a piece of
it) with its line, checks each entry's fields against the schema, and, over the whole catalog, that ids are
unique and every id an entry points at exists."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, cast

from hlexplore.catalog.columns import COMPANY, ITEM, REFERENCE, TECH, Column, spans
from hlexplore.catalog.errors import Problem, did_you_mean
from hlexplore.catalog.lines import field_line, header_lines, item_line, table_line
from hlexplore.catalog.schema import MAX_STRING, SPECS, TYPE_NAMES, describe
from hlexplore.catalog.urls import url_problem
from hlexplore.catalog.vocabulary import URL_CONFIDENCES


class At(NamedTuple):
    """An entry's place (its table and index): turned into the line of its header only when a problem is
    reported there, so a file without problems is never scanned for its headers."""

    table: str
    number: int  # its place in the table


Line = int | At | None
Row = tuple[Any, ...]


class Checker:
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
        spec = SPECS[table]
        if spec.plain(raw):
            return cast("dict[str, Any]", raw)  # (plain says it is a dict of known fields)
        if not isinstance(raw, dict):
            self.add(where, f"must be a table, not {describe(raw)}", line)
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
                wanted = TYPE_NAMES.get(expected, str(expected))
                self.add(
                    where, f'"{key}" must be {wanted}, not {describe(value)}', self.field_line(line, key)
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
                self.add(f"{where}[{i}]", f"must be a string, not {describe(value)}", line)
        return tuple(kept)

    def url(self, values: dict[str, Any], key: str, where: str, line: Line) -> str:
        url = values.get(key, "")
        if url:
            problem = url_problem(url)
            if problem:
                self.add(where, f'"{key}" {problem}', self.field_line(line, key))
                return ""
        return str(url)

    def confidence(self, values: dict[str, Any], where: str, line: Line) -> str:
        confidence = values.get("url_confidence", "")
        if confidence and confidence not in URL_CONFIDENCES:
            message = f'"url_confidence" must be one of {", ".join(URL_CONFIDENCES)}'
            self.add(where, message, self.field_line(line, "url_confidence"))
            return ""
        return str(confidence)


class Stacks(NamedTuple):
    numbers: array[int]  # every stack's item numbers, one stack after another
    sizes: array[int]  # each company's stack size
    repeating: list[int]  # the companies whose stack lists a technology twice

    def each(self) -> Iterator[array[int]]:
        return map(self.numbers.__getitem__, map(slice, *spans(self.sizes)))


def check_references_between(
    technologies: tuple[Column, ...],
    companies: tuple[Column, ...],
    items: tuple[Column, ...],
    stacks: Stacks,
    references: tuple[Column, ...],
    check: Checker,
    known: tuple[Collection[str], Collection[str]] = ((), ()),
    places: Mapping[str, Sequence[int]] | None = None,
) -> None:
    """Ids must be unique and every id an entry points at must exist (over columns); known: the ids of
    technologies and companies already in the catalog these entries join (checked before); places: where
    the rows of a table were written, when not one row per entry (an entry that made no row)."""

    def place(table: str, row: int) -> At:
        return At(table, places[table][row] if places and table in places else row)

    tech_ids = _unique(technologies[TECH.index("id")], "technology", check)
    company_ids = _unique(companies[COMPANY.index("id")], "company", check)
    if known[0] or known[1]:
        tech_ids, company_ids = tech_ids.union(known[0]), company_ids.union(known[1])
    parents = technologies[TECH.index("parent")]
    for index, (tech, parent) in enumerate(zip(technologies[0], parents, strict=True)):
        if not parent:
            continue
        if parent not in tech_ids:
            where = f'technology "{tech}"'
            message = f'unknown parent "{parent}"{did_you_mean(parent, tech_ids)}'
            check.add(where, message, place("technology", index))
        if parent == tech:
            check.add(f'technology "{tech}"', "is its own parent", place("technology", index))
    item_techs = items[ITEM.index("tech")]
    if stacks.repeating or not set(item_techs) <= tech_ids:  # else every stack is fine: nothing to say
        for index, (company, stack) in enumerate(zip(companies[0], stacks.each(), strict=True)):
            seen: Counter[str] = Counter()
            for position, tech in enumerate(map(item_techs.__getitem__, stack)):
                where = f'company "{company}" stack[{position}]'
                if tech not in tech_ids:
                    message = f'unknown technology "{tech}"{did_you_mean(tech, tech_ids)}'
                    check.add(where, message, check.item_line(place("company", index), tech, seen[tech]))
                elif seen[tech]:
                    message = f'"{tech}" is already in the stack'
                    check.add(where, message, check.item_line(place("company", index), tech, seen[tech]))
                seen[tech] += 1
    owned_by, about = references[REFERENCE.index("company")], references[REFERENCE.index("technology")]
    if set(owned_by) <= company_ids | {""} and set(about) <= tech_ids | {""}:
        return  # every owner known: nothing to say
    for index, (title, company, technology) in enumerate(zip(references[1], owned_by, about, strict=True)):
        where = f'reference "{title}"'
        if company and company not in company_ids:
            message = f'unknown company "{company}"{did_you_mean(company, company_ids)}'
            check.add(where, message, place("reference", index))
        if technology and technology not in tech_ids:
            message = f'unknown technology "{technology}"{did_you_mean(technology, tech_ids)}'
            check.add(where, message, place("reference", index))


def _unique(ids: Column, table: str, check: Checker) -> set[str]:
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
