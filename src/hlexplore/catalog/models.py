"""Typed, immutable catalog entries. Built by the loader; nothing here knows about files."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeGuard

Kind = Literal["company", "technology", "reference"]
KINDS: tuple[Kind, ...] = ("company", "technology", "reference")


def is_kind(value: object) -> TypeGuard[Kind]:
    """Whether a text read from elsewhere (a user file, an option's id) names a kind."""
    return value in KINDS


@dataclass(frozen=True, slots=True)
class Meta:
    schema: int = 1
    title: str = "Catalog"
    source: str = ""


@dataclass(frozen=True, slots=True)
class Technology:
    id: str
    name: str
    category: str
    description: str = ""
    url: str = ""
    aliases: tuple[str, ...] = ()
    short_url: str = ""
    parent: str = ""
    url_confidence: str = ""
    origin: str = ""

    kind: Kind = field(default="technology", init=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.id, *self.aliases)


@dataclass(frozen=True, slots=True)
class StackItem:
    tech: str
    note: str = ""
    version: str = ""
    group: str = ""


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    name: str
    url: str = ""
    native_name: str = ""
    short_url: str = ""
    url_confidence: str = ""
    note: str = ""
    aliases: tuple[str, ...] = ()
    stack: tuple[StackItem, ...] = ()
    origin: str = ""

    kind: Kind = field(default="company", init=False)

    @property
    def names(self) -> tuple[str, ...]:
        extra = (self.native_name,) if self.native_name else ()
        return (self.name, self.id, *extra, *self.aliases)

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.native_name})" if self.native_name else self.name


@dataclass(frozen=True, slots=True)
class Reference:
    id: str
    title: str
    url: str
    company: str = ""
    technology: str = ""
    short_url: str = ""
    lang: str = "en"
    ref_kind: str = "link"
    year: int | None = None
    url_confidence: str = ""
    origin: str = ""

    kind: Kind = field(default="reference", init=False)

    @property
    def owner(self) -> str:
        return self.company or self.technology

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, self.id)

    @property
    def name(self) -> str:
        return self.title


Entry = Company | Technology | Reference


@dataclass(frozen=True, slots=True)
class Catalog:
    meta: Meta
    technologies: tuple[Technology, ...]
    companies: tuple[Company, ...]
    references: Sequence[Reference]  # a tuple, or (from the cache) rows made when first read
    paths: tuple[Path, ...] = ()

    def entries(self) -> Iterator[Entry]:
        """Every entry: the companies, then the technologies, then the references."""
        yield from self.companies
        yield from self.technologies
        yield from self.references
