"""Comparisons laid out for reading: aligned side-by-side rows, and Markdown for export.

The TUI, the command line and the export all read comparisons through here, so they agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any, Literal

from hlexplore.catalog.models import Company, StackItem, Technology
from hlexplore.files import write_atomically
from hlexplore.index.catalog_index import Comparison, Matrix
from hlexplore.text import clean

Show = Literal["all", "differences", "shared"]


@dataclass(frozen=True, slots=True)
class Side:
    """One company's technology in an aligned row."""

    technology: Technology
    item: StackItem
    shared: bool


@dataclass(frozen=True, slots=True)
class AlignedRow:
    category: str
    left: Side | None
    right: Side | None


def aligned_rows(comparison: Comparison, show: Show = "all") -> list[AlignedRow]:
    """Category by category: shared technologies on the same row on both sides, then each side's own.

    Within a category the rows read across (left's caches | right's caches); a side with fewer
    technologies than the other leaves its cell empty.
    """
    rows: list[AlignedRow] = []
    for group in comparison.rows:
        if show != "differences":
            for entry in group.shared:
                rows.append(
                    AlignedRow(
                        group.category,
                        Side(entry.technology, entry.left, True),
                        Side(entry.technology, entry.right, True),
                    )
                )
        if show != "shared":
            for left, right in zip_longest(group.only_left, group.only_right):
                rows.append(
                    AlignedRow(
                        group.category,
                        Side(left.technology, left.item, False) if left else None,
                        Side(right.technology, right.item, False) if right else None,
                    )
                )
    return rows


def item_extra(item: StackItem) -> str:
    """A stack item's version, note and group as one short phrase."""
    return ", ".join(x for x in (item.version and f"v{item.version}", item.note, item.group) if x)


def summary(comparison: Comparison) -> str:
    left, right = comparison.left.name, comparison.right.name
    return (
        f"{len(comparison.shared)} shared, {len(comparison.only_left)} only {left}, "
        f"{len(comparison.only_right)} only {right}, Jaccard {comparison.jaccard:.2f}"
    )


# -- Markdown --------------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]<>()#+!|~"})


def md(value: str) -> str:
    """Catalog text as literal Markdown: no markup, links, HTML or table breaks can come from it."""
    return " ".join(clean(value).split()).translate(_MARKDOWN_SPECIAL)


def _md_company(company: Company) -> str:
    if not company.url:
        return md(company.display_name)
    return f"[{md(company.display_name)}](<{company.url.replace('>', '%3E').replace('<', '%3C')}>)"


def _md_side(side: Side | None) -> str:
    if side is None:
        return ""
    name = f"**{md(side.technology.name)}**" if side.shared else md(side.technology.name)
    extra = item_extra(side.item)
    return f"{name} ({md(extra)})" if extra else name


def comparison_markdown(comparison: Comparison, catalog_title: str) -> str:
    left, right = comparison.left, comparison.right
    lines = [
        f"# {md(left.name)} and {md(right.name)}: stacks side by side",
        "",
        f"Companies: {_md_company(left)}, {_md_company(right)}.",
        "",
        md(summary(comparison)) + ". Shared technologies are in **bold**.",
        "",
    ]
    rows = aligned_rows(comparison)
    if rows:
        lines += [f"| category | {md(left.name)} | {md(right.name)} |", "|---|---|---|"]
        previous = None
        for row in rows:
            category = md(row.category) if row.category != previous else ""
            previous = row.category
            lines.append(f"| {category} | {_md_side(row.left)} | {_md_side(row.right)} |")
    else:
        lines.append("Neither company's stack lists any technology.")
    lines += ["", f"From {md(catalog_title)}, exported by hlexplore."]
    return "\n".join(lines) + "\n"


def matrix_markdown(matrix: Matrix, catalog_title: str) -> str:
    names = [md(c.name) for c in matrix.companies]
    lines = [
        f"# {', '.join(names)}: stacks compared",
        "",
        f"{len(matrix.rows)} technologies, {matrix.shared_by_all()} used by all {len(names)} companies.",
        "",
    ]
    if matrix.rows:
        lines += [
            f"| category | technology | {' | '.join(names)} | companies |",
            "|---|---|" + "---|" * len(names) + "---|",
        ]
        previous = None
        for row in matrix.rows:
            category = row.technology.category
            marks = " | ".join("●" if item else "" for item in row.items)
            shown = md(category) if category != previous else ""
            previous = category
            lines.append(f"| {shown} | {md(row.technology.name)} | {marks} | {row.count} |")
        counts = " | ".join(str(n) for n in matrix.counts())
        lines.append(f"| | **technologies** | {counts} | |")
    else:
        lines.append("None of these companies' stacks lists any technology.")
    lines += ["", f"From {md(catalog_title)}, exported by hlexplore."]
    return "\n".join(lines) + "\n"


# -- files -------------------------------------------------------------------------------------------------


def export_paths(path: Path, default_name: str) -> tuple[Path, Path]:
    """Where an export goes: the Markdown file asked for (or default_name in a folder) and JSON beside it."""
    path = path.expanduser()
    if path.is_dir():
        path = path / default_name
    markdown = path.with_suffix(".md") if path.suffix.lower() in ("", ".json") else path
    return markdown, markdown.with_suffix(".json")


def write_export(path: Path, default_name: str, markdown: str, data: dict[str, Any]) -> list[Path]:
    markdown_path, json_path = export_paths(path, default_name)
    write_atomically(markdown_path, markdown)
    write_atomically(json_path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return [markdown_path, json_path]
