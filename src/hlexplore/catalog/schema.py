"""What a catalog file may hold: its tables, each table's fields and their types, and the limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 1
MAX_STRING = 10_000
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TABLES = ("technology", "company", "reference")  # the arrays of tables a catalog holds, beside [meta]


@dataclass(frozen=True, slots=True)
class Field:
    type: type
    required: bool = False


_TEXT = Field(str)


@dataclass(frozen=True, slots=True)
class Spec:
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


FIELDS: dict[str, dict[str, Field]] = {
    "meta": {"schema": Field(int, True), "title": Field(str, True), "source": _TEXT},
    "technology": {
        "id": Field(str, True),
        "name": Field(str, True),
        "category": Field(str, True),
        "description": _TEXT,
        "url": _TEXT,
        "aliases": Field(list),
        "short_url": _TEXT,
        "parent": _TEXT,
        "url_confidence": _TEXT,
    },
    "company": {
        "id": Field(str, True),
        "name": Field(str, True),
        "native_name": _TEXT,
        "url": _TEXT,
        "short_url": _TEXT,
        "url_confidence": _TEXT,
        "note": _TEXT,
        "aliases": Field(list),
        "stack": Field(list),
    },
    "reference": {
        "id": _TEXT,
        "title": Field(str, True),
        "url": Field(str, True),
        "short_url": _TEXT,
        "company": _TEXT,
        "technology": _TEXT,
        "lang": _TEXT,
        "kind": _TEXT,
        "year": Field(int),
        "url_confidence": _TEXT,
    },
    "stack": {"tech": Field(str, True), "note": _TEXT, "version": _TEXT, "group": _TEXT},
}
TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "a table"}
SPECS = {
    table: Spec(
        fields,
        {key: field.type for key, field in fields.items()},
        frozenset(key for key, field in fields.items() if field.required),
    )
    for table, fields in FIELDS.items()
}


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__
