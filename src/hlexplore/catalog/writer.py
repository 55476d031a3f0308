"""Write a catalog back out as TOML in the documented layout (stable order, only fields that are set)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from hlexplore.catalog.models import Catalog, Company, Reference, StackItem, Technology


def _string(value: str) -> str:
    # A JSON string is a valid TOML basic string once non-ASCII is kept as is.
    return json.dumps(value, ensure_ascii=False)


def _line(key: str, value: object) -> str:
    if isinstance(value, str):
        return f"{key} = {_string(value)}"
    if isinstance(value, (list, tuple)):
        return f"{key} = [{', '.join(_string(v) for v in value)}]"
    return f"{key} = {value}"


def _fields(pairs: Iterable[tuple[str, object]]) -> list[str]:
    return [_line(key, value) for key, value in pairs if value not in ("", None, ())]


def _stack_item(item: StackItem) -> str:
    pairs = (
        ("tech", item.tech),
        ("note", item.note),
        ("version", item.version),
        ("group", item.group),
    )
    body = ", ".join(f"{k} = {_string(v)}" for k, v in pairs if v)
    return f"  {{ {body} }},"


def _technology(tech: Technology) -> list[str]:
    return [
        "[[technology]]",
        *_fields(
            (
                ("id", tech.id),
                ("name", tech.name),
                ("category", tech.category),
                ("description", tech.description),
                ("url", tech.url),
                ("short_url", tech.short_url),
                ("url_confidence", tech.url_confidence),
                ("parent", tech.parent),
                ("aliases", tech.aliases),
            )
        ),
    ]


def _company(company: Company) -> list[str]:
    lines = [
        "[[company]]",
        *_fields(
            (
                ("id", company.id),
                ("name", company.name),
                ("native_name", company.native_name),
                ("aliases", company.aliases),
                ("url", company.url),
                ("short_url", company.short_url),
                ("url_confidence", company.url_confidence),
                ("note", company.note),
            )
        ),
    ]
    if company.stack:
        lines += ["stack = [", *(_stack_item(item) for item in company.stack), "]"]
    else:
        lines.append("stack = []")
    return lines


def company_toml(company: Company) -> str:
    """One [[company]] table, as it would appear in a catalog file."""
    return "\n".join(_company(company)) + "\n"


def _reference(ref: Reference) -> list[str]:
    return [
        "[[reference]]",
        *_fields(
            (
                ("title", ref.title),
                ("company", ref.company),
                ("technology", ref.technology),
                ("url", ref.url),
                ("short_url", ref.short_url),
                ("url_confidence", ref.url_confidence),
                ("lang", ref.lang),
                ("kind", ref.ref_kind),
                ("year", ref.year),
            )
        ),
    ]


def dump_catalog(catalog: Catalog, header: str = "") -> str:
    blocks: list[list[str]] = []
    if header:
        blocks.append([f"# {line}".rstrip() for line in header.splitlines()])
    blocks.append(
        [
            "[meta]",
            *_fields(
                (
                    ("schema", catalog.meta.schema),
                    ("title", catalog.meta.title),
                    ("source", catalog.meta.source),
                )
            ),
        ]
    )
    blocks += [_technology(tech) for tech in catalog.technologies]
    blocks += [_company(company) for company in catalog.companies]
    blocks += [_reference(ref) for ref in catalog.references]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
