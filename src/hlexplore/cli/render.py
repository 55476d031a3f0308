"""Rich renderables for the command line. Every catalog string enters as plain Text, never markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from hlexplore.catalog.models import Company, Entry, Reference, Technology
from hlexplore.catalog.urls import archive_url
from hlexplore.index.catalog_index import (
    CatalogIndex,
    Companion,
    Comparison,
    Matrix,
    SearchResult,
    Similarity,
    Usage,
)
from hlexplore.index.report import Side, aligned_rows, item_extra, summary
from hlexplore.text import clean, count

KIND_STYLE = {"company": "bold cyan", "technology": "bold green", "reference": "bold magenta"}


def plain(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


def highlighted(text: str, positions: tuple[int, ...], style: str = "") -> Text:
    result = plain(text, style)
    for position in positions:
        if position < len(result):
            result.stylize("bold underline yellow", position, position + 1)
    return result


def two_columns(rows: list[tuple[str, str]]) -> RenderableType:
    table = Table(box=None, show_header=False, pad_edge=False, highlight=False)
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    for left, right in rows:
        table.add_row(plain(left), plain(right))
    return table


def _table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def heading(text: str) -> Text:
    return plain(text, "bold")


def unbroken(line: Text) -> Text:
    """A line that is never wrapped or cut, however narrow the terminal or the pipe: it holds a URL,
    which must survive whole for grep and copy-paste."""
    line.no_wrap = True
    line.overflow = "ignore"
    return line


def _link_line(label: str, url: str, short: str = "", confidence: str = "") -> Text:
    line = Text.assemble((f"{label}: ", "dim"), plain(url or "(none)", "blue"))
    if short and short != url:
        line.append_text(Text.assemble(("  (from ", "dim"), plain(short, "dim"), (")", "dim")))
    if confidence == "low":
        line.append(" resolved with low confidence", style="yellow")
    return unbroken(line)


def describe_entry(index: CatalogIndex, entry: Entry) -> str:
    if isinstance(entry, Technology):
        return entry.category
    if isinstance(entry, Company):
        return count(len(entry.stack), "technology")
    owner = index.owner(entry)
    year = f", {entry.year}" if entry.year else ""
    return f"{entry.ref_kind}{year} · {owner.name if owner else entry.owner}"


def search_results(index: CatalogIndex, results: list[SearchResult]) -> RenderableType:
    table = _table("kind", "name", "about")
    for result in results:
        table.add_row(
            plain(result.kind, KIND_STYLE[result.kind]),
            highlighted(index.label(result.entry), result.positions),
            plain(describe_entry(index, result.entry), "dim"),
        )
    return table


def company(index: CatalogIndex, company: Company) -> RenderableType:
    parts: list[RenderableType] = [
        Text.assemble(plain(company.display_name, "bold cyan"), ("  company", "dim")),
        _link_line("source", company.url, company.short_url, company.url_confidence),
    ]
    if company.note:
        parts.append(Text.assemble(("note: ", "dim"), plain(company.note)))
    if company.stack:
        table = _table("category", "technology", "note")
        for category, entries in index.stack_by_category(company.id):
            for n, entry in enumerate(entries):
                item = entry.item
                extra = ", ".join(
                    x for x in (item.version and f"v{item.version}", item.note, item.group) if x
                )
                table.add_row(
                    plain(category if n == 0 else "", "dim"),
                    plain(entry.technology.name, "green"),
                    plain(extra, "dim"),
                )
        parts += [heading(f"\nStack ({len(company.stack)})"), table]
    else:
        parts.append(plain("\nThe list names no technologies for this company.", "dim italic"))
    parts += _references(index.references_of(company.id))
    similar = index.similar(company.id, limit=5)
    if similar:
        parts += [heading("\nMost similar"), similar_table(similar)]
    return Group(*parts)


def technology(index: CatalogIndex, tech: Technology) -> RenderableType:
    parts: list[RenderableType] = [
        Text.assemble(plain(tech.name, "bold green"), ("  ", ""), plain(tech.category, "dim")),
    ]
    if tech.description:
        parts.append(plain(tech.description))
    parts.append(_link_line("home", tech.url, tech.short_url, tech.url_confidence))
    if tech.aliases:
        parts.append(Text.assemble(("also written: ", "dim"), plain(", ".join(tech.aliases))))
    if tech.parent and tech.parent in index.technologies:
        parts.append(Text.assemble(("part of: ", "dim"), plain(index.technologies[tech.parent].name)))
    children = index.children(tech.id)
    if children:
        parts.append(Text.assemble(("parts: ", "dim"), plain(", ".join(c.name for c in children))))
    usages = index.users_of(tech.id)
    parts += [heading(f"\nUsed by ({len(usages)})"), usage_table(usages[:USERS_SHOWN])]
    if len(usages) > USERS_SHOWN:
        more = f"… and {len(usages) - USERS_SHOWN:,} more (hlexplore who-uses {tech.id} lists them all)"
        parts.append(plain(more, "dim"))
    related = index.related(tech.id, limit=5)
    if related:
        parts += [heading("\nOften used with"), companion_table(related)]
    parts += _references(index.references_of(tech.id))
    return Group(*parts)


def reference(index: CatalogIndex, ref: Reference) -> RenderableType:
    owner = index.owner(ref)
    facts = [ref.ref_kind, str(ref.year) if ref.year else "year unknown", ref.lang]
    parts: list[RenderableType] = [
        plain(ref.title, "bold magenta"),
        plain(" · ".join(facts), "dim"),
        Text.assemble(("about: ", "dim"), plain(owner.name if owner else ref.owner)),
        _link_line("link", ref.url, ref.short_url, ref.url_confidence),
        unbroken(
            Text.assemble(("archived copies: ", "dim"), plain(archive_url(ref.short_url or ref.url), "blue"))
        ),
    ]
    return Group(*parts)


def _references(refs: list[Reference]) -> list[RenderableType]:
    """Each reference: its kind, year and title, then its address on a line of its own (whole)."""
    if not refs:
        return []
    lines: list[RenderableType] = [heading(f"\nReferences ({len(refs)})")]
    for ref in refs:
        facts = " ".join(x for x in (ref.ref_kind, str(ref.year or "")) if x)
        lines.append(Text.assemble(plain(ref.title), ("  ", ""), plain(facts, "dim")))
        lines.append(
            unbroken(Text.assemble(("  ", ""), plain(ref.url or ref.short_url or "(no link)", "blue")))
        )
    return lines


USERS_SHOWN = 200  # a technology's users `show` lists (who-uses and --json list them all)
LONG = 500  # rows from which a table is written as lines (LongTable), not laid out by Rich


class LongTable:
    """A table of many rows written line by line, each cell padded to its column's width: a Rich Table
    measures and wraps every cell before the first line is written (24 s for 93,020 rows); this writes
    them as fast as they can be padded, one row per line however long (no folding: a script reads one row
    per line). Looks as a Rich table with box.SIMPLE_HEAD does."""

    def __init__(self, headers: Sequence[str], styles: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.headers, self.styles = headers, [Style.parse(s) if s else Style() for s in styles]
        self.rows = [[clean(cell) for cell in row] for row in rows]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = [cell_len(header) for header in self.headers]
        for row in self.rows:
            widths = [max(width, cell_len(cell)) for width, cell in zip(widths, row, strict=True)]
        bold, last = Style(bold=True), len(widths) - 1
        for i, (header, width) in enumerate(zip(self.headers, widths, strict=True)):
            yield Segment(header + " " * (width - cell_len(header) + (2 if i < last else 0)), bold)
        yield Segment.line()
        yield Segment("─" * (sum(widths) + 2 * last))
        yield Segment.line()
        for row in self.rows:
            for i, (cell, width, style) in enumerate(zip(row, widths, self.styles, strict=True)):
                yield Segment(cell + " " * (width - cell_len(cell) + (2 if i < last else 0)), style)
            yield Segment.line()


def usage_table(usages: Sequence[Usage]) -> RenderableType:
    rows = []
    for usage in usages:
        notes = [usage.item.version and f"v{usage.item.version}", usage.item.note, usage.item.group]
        if usage.via:
            notes.insert(0, f"via {usage.via.name}")
        rows.append((usage.company.display_name, ", ".join(n for n in notes if n)))
    if len(rows) >= LONG:
        return LongTable(("company", "note"), ("cyan", "dim"), rows)
    table = _table("company", "note")
    for company, note in rows:
        table.add_row(plain(company, "cyan"), plain(note, "dim"))
    return table


def similar_table(similar: list[Similarity]) -> RenderableType:
    table = _table("company", "score", "shared")
    for found in similar:
        table.add_row(
            plain(found.company.display_name, "cyan"),
            plain(f"{found.score:.2f}"),
            plain(", ".join(t.name for t in found.shared), "dim"),
        )
    return table


def companion_table(companions: list[Companion]) -> RenderableType:
    table = _table("technology", "together", "lift", "companies")
    for found in companions:
        table.add_row(
            plain(found.technology.name, "green"),
            plain(str(found.together)),
            plain(f"{found.lift:.2f}"),
            plain(named([c.name for c in found.companies[:NAMED]], total=len(found.companies)), "dim"),
        )
    return table


NAMED = 12  # names a cell lists before it counts the rest (--json lists them all)


def named(names: Sequence[str], most: int = NAMED, total: int | None = None) -> str:
    """Names joined by commas, the first `most` of them, then how many more (of total, when names holds
    only the first): a cell of 90,000 company names helps nobody and takes Rich seconds to wrap."""
    total = len(names) if total is None else total
    if total <= most:
        return ", ".join(names)
    return ", ".join(names[:most]) + f" and {total - most:,} more"


def _side(side: Side | None) -> Text:
    if side is None:
        return Text("")
    name = plain(f"= {side.technology.name}" if side.shared else f"  {side.technology.name}")
    if side.shared:
        name.stylize("bold green")
    extra = item_extra(side.item)
    return Text.assemble(name, plain(f" ({extra})", "dim")) if extra else name


def comparison(result: Comparison) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    table.add_column("category", style="dim", overflow="fold")
    table.add_column(clean(result.left.display_name), overflow="fold", ratio=1)
    table.add_column(clean(result.right.display_name), overflow="fold", ratio=1)
    previous = None
    for row in aligned_rows(result):
        table.add_row(
            plain(row.category if row.category != previous else ""), _side(row.left), _side(row.right)
        )
        previous = row.category
    parts: list[RenderableType] = [plain(summary(result))]
    if result.rows:
        parts += [table, plain("= shared by both; (version, note, group) as each company gave them", "dim")]
    else:
        parts.append(plain("Neither company's stack lists any technology.", "dim"))
    return Group(*parts)


def matrix(result: Matrix) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    table.add_column("category", style="dim", overflow="fold")
    table.add_column("technology", overflow="fold")
    for company in result.companies:
        table.add_column(clean(company.name), justify="center", overflow="fold")
    table.add_column("of " + str(len(result.companies)), justify="right")
    previous = None
    for row in result.rows:
        category = row.technology.category
        marks = [Text("●", style="bold green") if item else Text("·", style="dim") for item in row.items]
        table.add_row(
            plain(category if category != previous else ""),
            plain(row.technology.name),
            *marks,
            plain(str(row.count)),
        )
        previous = category
    table.add_row(
        Text(""), Text("technologies", style="bold"), *(plain(str(n)) for n in result.counts()), Text("")
    )
    everyone = len(result.companies)
    heading_text = plain(
        f"{len(result.rows)} technologies, {result.shared_by_all()} used by all {everyone} companies"
    )
    if not result.rows:
        return Group(heading_text, plain("None of these companies' stacks lists any technology.", "dim"))
    return Group(heading_text, table)
