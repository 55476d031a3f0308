"""`hlexplore stats`: the insight view's pictures as Rich renderables (bars and heat tables of plain Text)."""

from __future__ import annotations

from rich import box
from rich.color import Color, blend_rgb
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hlexplore.catalog.vocabulary import category_code
from hlexplore.cli.render import heading, plain
from hlexplore.index.catalog_index import CatalogStats
from hlexplore.index.insight import CoOccurrence, Health, Heat, Insight, TechBar, Timeline, largest_rows
from hlexplore.text import bar

BAR_WIDTH = 24
PAIRS_SHOWN = 8
HEALTH_SHOWN = 8  # entries listed per health group (all of them are in --json)
ROWS_SHOWN = 30  # companies in the heat table and the timeline (the bundled 23 all fit; --json has them all)
KIND_COLOURS = ("magenta", "cyan", "yellow", "green", "blue", "red", "bright_magenta", "bright_cyan")
BACKGROUND, HOT = Color.parse("black").get_truecolor(), Color.parse("dark_orange").get_truecolor()


def _grid(padding: tuple[int, int] = (0, 1)) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False, padding=padding)
    if padding == (0, 0):
        table.box = None  # narrow columns: no separators, the cells' own width spaces them
    return table


def _shade(value: float, most: float) -> str:
    """A background from dark to hot by value/most; the text stays readable on it."""
    if value <= 0 or most <= 0:
        return "dim"
    mixed = blend_rgb(BACKGROUND, HOT, 0.25 + 0.75 * min(value / most, 1.0))
    return f"bold white on #{mixed.red:02x}{mixed.green:02x}{mixed.blue:02x}"


def counts_line(found: CatalogStats) -> Text:
    return plain(
        f"{found.companies} companies ({found.companies_with_stack} with a stack), "
        f"{found.technologies} technologies ({found.technologies_in_use} in use), "
        f"{found.references} references, {found.stack_items} stack entries"
    )


def technology_bars(bars: list[TechBar]) -> RenderableType:
    table = _grid()
    table.add_column("technology", no_wrap=True, max_width=24)
    table.add_column("category", style="dim", no_wrap=True, max_width=16)
    table.add_column("companies", justify="right")
    table.add_column("", no_wrap=True, min_width=BAR_WIDTH)
    most = max((b.value for b in bars), default=0)
    for found in bars:
        table.add_row(
            plain(found.technology.name, "green"),
            plain(found.technology.category),
            plain(str(found.value)),
            plain(bar(found.value, most, BAR_WIDTH), "green"),
        )
    return table


def _fewer(kept: int, of: int, what: str) -> list[RenderableType]:
    """The line saying how many rows a long table left out (--json has them all)."""
    return [plain(f"… and {of - kept:,} more {what} (--json lists them all)", "dim")] if of > kept else []


def heat_table(heat: Heat, most_rows: int = ROWS_SHOWN) -> RenderableType:
    """The companies with the largest stacks (all of them in a small catalog), in name order."""
    columns = range(len(heat.categories))  # (each is a category some stack has: categories_in_use)
    rows = largest_rows([len(company.stack) for company in heat.companies], most_rows)
    most = heat.most(rows)
    table = _grid(padding=(0, 0))  # 2-letter columns a space apart: 22 categories fit in 80 columns
    table.add_column("company", no_wrap=True, max_width=13)
    for i in columns:
        table.add_column(category_code(heat.categories[i]), justify="right", width=3)
    for row in rows:
        company = heat.companies[row]
        cells = [heat.count(row, i) for i in columns]
        table.add_row(
            plain(company.name, "cyan"),
            *(plain(str(n) if n else "·", _shade(n, most)) for n in cells),
        )
    legend = plain(
        " · ".join(f"{category_code(heat.categories[i])} {heat.categories[i]}" for i in columns), "dim"
    )
    return Group(table, *_fewer(len(rows), len(heat.companies), "companies"), legend)


def cooccurrence_table(found: CoOccurrence) -> RenderableType:
    table = _grid(padding=(0, 0))
    table.add_column("technology", no_wrap=True, max_width=24)
    for i in range(len(found.technologies)):
        table.add_column(str(i + 1), justify="right", width=3)
    most = max((p.lift for row in found.pairs for p in row if p), default=0)
    for i, (tech, row) in enumerate(zip(found.technologies, found.pairs, strict=True)):
        cells = (plain(str(p.count), _shade(p.lift, most)) if p else plain("—", "dim") for p in row)
        table.add_row(plain(f"{i + 1:>2} {tech.name}", "green"), *cells)
    note = plain("each cell: companies using both; the hotter, the higher the lift over chance", "dim")
    pairs = _grid()
    pairs.add_column("most often together", no_wrap=True)
    pairs.add_column("companies", justify="right")
    pairs.add_column("lift", justify="right")
    for a, b, pair in found.strongest()[:PAIRS_SHOWN]:
        pairs.add_row(
            plain(f"{a.name} + {b.name}", "green"), plain(str(pair.count)), plain(f"×{pair.lift:.2f}")
        )
    return Group(table, note, plain(""), pairs)


def year_bars(timeline: Timeline) -> RenderableType:
    colours = {kind: KIND_COLOURS[i % len(KIND_COLOURS)] for i, kind in enumerate(timeline.kinds)}
    most = max((y.value for y in timeline.years), default=0)
    table = _grid()
    table.add_column("year", no_wrap=True)
    table.add_column("refs", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("by kind", style="dim")
    for year in timeline.years:
        drawn = Text()
        for kind, found in year.by_kind:  # whole cells, so the segments of a stacked bar touch
            drawn.append("█" * max(1, round(BAR_WIDTH * len(found) / most)), colours[kind])
        kinds = ", ".join(f"{kind} {len(found)}" for kind, found in year.by_kind)
        table.add_row(plain(year.label), plain(str(year.value)), drawn, plain(kinds))
    legend = Text.assemble(*((plain(f"█ {kind}  ", colours[kind])) for kind in timeline.kinds))
    return Group(table, legend)


def company_timeline(timeline: Timeline, most_rows: int = ROWS_SHOWN) -> RenderableType:
    """The companies with the most references (all of them in a small catalog), in name order."""
    counts = list(timeline.counts)
    rows = largest_rows(counts, most_rows)
    table = _grid()
    table.add_column("company", no_wrap=True, max_width=22)
    for year in timeline.years:
        table.add_column(year.label[-2:] if year.year else "?", justify="center", no_wrap=True)
    for at in rows:
        table.add_row(
            plain(timeline.companies[at].name, "cyan"),
            *(
                plain("●" * len(found) if len(found) < 4 else f"●{len(found)}", "magenta")
                for found in timeline.cells[at]
            ),
        )
    return Group(table, *_fewer(len(rows), len(counts), "companies"))


def health_lists(health: Health, shown: int = HEALTH_SHOWN) -> RenderableType:
    parts: list[RenderableType] = []
    for group in health.groups:
        parts.append(plain(f"{group.title}: {len(group.entries)}", "bold" if group.entries else ""))
        for entry in group.entries[:shown]:
            written = getattr(entry, "year", None)  # (references have a year)
            year = f" ({written})" if written else ""
            parts.append(plain(f"  {entry.name}{year}", "dim"))
        if len(group.entries) > shown:
            parts.append(plain(f"  … and {len(group.entries) - shown} more (--json lists them all)", "dim"))
    return Group(*parts)


def insight(
    found: CatalogStats, view: Insight, category: str | None, top: int, stale_years: int
) -> RenderableType:
    bars = view.top_technologies(category, limit=top)
    title = f"Most used technologies{f' in {category}' if category else ''}"
    return Group(
        counts_line(found),
        heading(f"\n{title}"),
        technology_bars(bars),
        heading("\nWhere each company's stack is heavy (technologies per category)"),
        heat_table(view.heat),
        heading("\nUsed together (the most used technologies)"),
        cooccurrence_table(view.cooccurrence(min(top, 10))),
        heading("\nReferences per year"),
        year_bars(view.timeline),
        heading("\nEach company's references over time"),
        company_timeline(view.timeline),
        heading("\nCatalog health"),
        health_lists(view.health(stale_years)),
    )
