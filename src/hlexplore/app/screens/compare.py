"""Companies' stacks compared: two side by side in aligned rows, three or more as a matrix."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, cast

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hlexplore.app import messages
from hlexplore.app.history import Place
from hlexplore.app.keys import HintsUnboundKeys
from hlexplore.app.messages import explorer
from hlexplore.app.targets import Target
from hlexplore.app.widgets.rows import text
from hlexplore.catalog.models import Technology
from hlexplore.index import CatalogIndex, export
from hlexplore.index.catalog_index import Comparison, Matrix
from hlexplore.index.report import (
    Show,
    Side,
    aligned_rows,
    comparison_markdown,
    item_extra,
    matrix_markdown,
    summary,
    write_export,
)
from hlexplore.text import clean

MUTED = "$foreground-muted"
SHOWING = {"all": "", "differences": "differences only", "shared": "shared only"}


def _fit_matrix(room: int, category: int, technology: int, companies: list[int], count: int) -> list[int]:
    """Column widths for the matrix: full names where they fit, else the widest columns give way first
    (down to a floor), and past that the table scrolls sideways."""
    widths = [min(category, 20), min(technology, 26), *(max(3, min(n, 12)) for n in companies)]
    floors = [10, 14, *(3 for _ in companies)]
    while sum(widths) + count > room:
        slack = [w - f for w, f in zip(widths, floors, strict=True)]
        widest = max(range(len(widths)), key=lambda i: (slack[i], -i))
        if slack[widest] <= 0:
            break
        widths[widest] -= 1
    return widths


class CompareScreen(HintsUnboundKeys, Screen[None]):
    """Reads the comparison from the index; the cursor is on a technology of one company's side."""

    UNBOUND_HINT = "enter goes to the technology, ? lists every key"
    BINDINGS = [
        Binding("escape,backspace,alt+left", "back", "Back", priority=True, id="compare.back"),
        Binding("alt+right", "app.go_forward", "Forward", show=False, priority=True, id="compare.forward"),
        Binding("enter", "follow", "Follow", priority=True, id="compare.follow"),
        Binding("o", "open", "Open", priority=True, id="compare.open"),
        Binding("y", "copy", "Copy", show=False, priority=True, id="compare.copy"),
        Binding("d", "show('differences')", "Diff", priority=True, id="compare.differences"),
        Binding("s", "show('shared')", "Shared", priority=True, id="compare.shared"),
        Binding("w", "swap", "Swap", priority=True, id="compare.swap"),
        Binding("e", "export", "Export", priority=True, id="compare.export"),
        Binding("j", "cursor('down')", "Down", show=False, priority=True, id="compare.down"),
        Binding("k", "cursor('up')", "Up", show=False, priority=True, id="compare.up"),
        Binding("h", "cursor('left')", "Left", show=False, priority=True, id="compare.left"),
        Binding("l", "cursor('right')", "Right", show=False, priority=True, id="compare.right"),
        # Help and quit work here as everywhere; the footer's room goes to the comparison's own keys.
        Binding("question_mark", "app.help", "Help", show=False, id="compare.help"),
        Binding("q", "app.quit", "Quit", show=False, id="compare.quit"),
    ]

    def __init__(self, index: CatalogIndex, company_ids: list[str], place: Place | None = None) -> None:
        """place: how the user left this comparison, to restore it (back and forward)."""
        super().__init__()
        self.index = index
        ids = list(dict.fromkeys(company_ids))
        self.company_ids = ids * 2 if len(ids) == 1 else ids
        self.show: Show = place.show if place and place.show in SHOWING else "all"  # type: ignore[assignment]
        self._restore_cursor = place.cursor if place else None
        self.comparison: Comparison | None = None
        self.matrix: Matrix | None = None
        if len(self.company_ids) == 2:
            self.comparison = index.compare(*self.company_ids)
        else:
            self.matrix = index.matrix(self.company_ids)
        # What each cell points at, by (row, column).
        self._cells: dict[tuple[int, int], Technology] = {}
        self._width = 0

    @property
    def is_pair(self) -> bool:
        return self.comparison is not None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static(id="compare-summary")
        yield DataTable(id="compare-table", cursor_type="cell", zebra_stripes=False)
        yield Static(id="compare-info")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        names = [self.index.companies[c].name for c in self.company_ids]
        self.title = clean("Compare " + (" and ".join(names) if self.is_pair else ", ".join(names)))
        self.sub_title = clean(self.index.title)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._build())
        self._build()
        if self._restore_cursor is not None:
            table = self.query_one(DataTable)
            table.cursor_coordinate = self._nearest_technology(
                table.validate_cursor_coordinate(Coordinate(*self._restore_cursor))
            )

    def place(self) -> Place:
        """Where the user is, for back and forward: these companies, as shown, the cursor where it is."""
        tables = self.query(DataTable)
        table = tables.first() if tables else None  # none until composed
        cursor = tuple(table.cursor_coordinate) if table is not None and table.row_count else None
        return Place("compare", companies=tuple(self.company_ids), show=self.show, cursor=cursor)  # type: ignore[arg-type]

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width:
            self._build()

    # -- building the table --------------------------------------------------------------------------

    def _colour(self, variable: str) -> str:
        """A theme colour for Rich text in the table (DataTable cells are Rich renderables)."""
        value = self.app.theme_variables.get(variable, "")
        try:
            color = Color.parse(value)
        except Exception:
            return ""
        return color.hex6

    def _side_cell(self, side: Side | None, width: int) -> Text:
        if side is None:
            return Text("")
        cell = Text(no_wrap=True, overflow="ellipsis", end="")
        if side.shared:
            cell.append(
                "● " + clean(side.technology.name), Style.parse(f"bold {self._colour('text-success')}")
            )
        else:
            cell.append("  " + clean(side.technology.name))
        extra = item_extra(side.item)
        if extra:
            cell.append(f"  {clean(extra)}", "dim")
        cell.truncate(width, overflow="ellipsis")
        return cell

    def _build(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate
        self._width = self.size.width
        table.clear(columns=True)
        self._cells.clear()
        if self.comparison is not None:
            self._build_pair(table, self.comparison)
        elif self.matrix is not None:
            self._build_matrix(table, self.matrix)
        if table.row_count:
            table.cursor_coordinate = self._nearest_technology(table.validate_cursor_coordinate(keep))
        self._update_info()

    def _nearest_technology(self, at: Coordinate) -> Coordinate:
        """The cell to put the cursor on: this one if it names a technology (outside the category column),
        else the first one that does in this row, else in the rows below, else in the rows above."""
        columns = range(1, max(2, len(self.query_one(DataTable).columns)))
        rows = sorted(
            {row for row, _column in self._cells}, key=lambda row: (row < at.row, abs(row - at.row))
        )
        if at.column >= 1 and (at.row, at.column) in self._cells:
            return at
        for row in rows:
            for column in sorted(columns, key=lambda column: abs(column - at.column)):
                if (row, column) in self._cells:
                    return Coordinate(row, column)
        return at

    def _build_pair(self, table: DataTable[Any], comparison: Comparison) -> None:
        rows = aligned_rows(comparison, self.show)
        categories = [r.category for r in rows] or [""]
        room = self.size.width - 2 * 3 - 2  # three columns' padding and the scrollbar
        category_width = max(8, min(max(len(c) for c in categories), room - 2 * 26))
        side_width = max(12, (room - category_width) // 2)
        table.add_column(_label("category", MUTED), width=category_width, key="category")
        table.add_column(_label(comparison.left.display_name, "bold"), width=side_width, key="left")
        table.add_column(_label(comparison.right.display_name, "bold"), width=side_width, key="right")
        previous = None
        for number, row in enumerate(rows):
            category = Text(
                clean(row.category) if row.category != previous else "", style="dim", no_wrap=True
            )
            category.truncate(category_width, overflow="ellipsis")
            previous = row.category
            table.add_row(
                category, self._side_cell(row.left, side_width), self._side_cell(row.right, side_width)
            )
            for column, side in ((1, row.left), (2, row.right)):
                if side:
                    self._cells[number, column] = side.technology
            either = row.left or row.right
            if either:
                self._cells[number, 0] = either.technology
        showing = SHOWING[self.show]
        line = Content.assemble(
            text(f"{showing}  ·  " if showing else "", "bold $text-warning"),
            text(summary(comparison)),
        )
        self.query_one("#compare-summary", Static).update(line)

    def _build_matrix(self, table: DataTable[Any], matrix: Matrix) -> None:
        everyone = len(matrix.companies)
        if self.show == "differences":
            rows = [r for r in matrix.rows if r.count < everyone]
        elif self.show == "shared":
            rows = [r for r in matrix.rows if r.count > 1]
        else:
            rows = list(matrix.rows)
        names = [Text(clean(c.name), style="bold", no_wrap=True) for c in matrix.companies]
        count_label = f"of {everyone}"
        widths = _fit_matrix(
            self.size.width - 2 * (len(names) + 3) - 2,
            max((len(r.technology.category) for r in rows), default=8),
            max((len(clean(r.technology.name)) for r in rows), default=10),
            [n.cell_len for n in names],
            len(count_label),
        )
        category_width, technology_width, *company_widths = widths
        table.add_column(_label("category", MUTED), width=category_width, key="category")
        table.add_column(_label("technology", MUTED), width=technology_width, key="technology")
        for company, name, width in zip(matrix.companies, names, company_widths, strict=True):
            name.truncate(width, overflow="ellipsis")
            table.add_column(name, width=width, key=f"company-{company.id}")
        table.add_column(_label(count_label, MUTED), width=len(count_label), key="count")
        mark = Style.parse(f"bold {self._colour('text-success')}")
        previous = None
        for number, row in enumerate(rows):
            category = row.technology.category
            cells: list[Text] = [
                Text(clean(category) if category != previous else "", style="dim", no_wrap=True),
                Text(clean(row.technology.name), no_wrap=True),
            ]
            cells[0].truncate(category_width, overflow="ellipsis")
            cells[1].truncate(technology_width, overflow="ellipsis")
            previous = category
            for item in row.items:
                cells.append(
                    Text("●", style=mark, justify="center") if item else Text("·", "dim", justify="center")
                )
            cells.append(Text(str(row.count), justify="right"))
            table.add_row(*cells)
            for column in range(len(cells)):
                self._cells[number, column] = row.technology
        counts = [Text(str(n), style="bold", justify="center") for n in matrix.counts()]
        table.add_row(Text(""), Text("technologies", style="bold"), *counts, Text(""))
        showing = {
            "all": "",
            "differences": "only those not used by all",
            "shared": "only those used by two or more",
        }[self.show]
        line = Content.assemble(
            text(f"{showing}  ·  " if showing else "", "bold $text-warning"),
            text(f"{len(matrix.rows)} technologies across {everyone} companies, "),
            text(f"{matrix.shared_by_all()} used by all", "bold"),
        )
        self.query_one("#compare-summary", Static).update(line)

    # -- the technology under the cursor -------------------------------------------------------------

    @property
    def pointed(self) -> Technology | None:
        tables = self.query(DataTable)
        table = tables.first() if tables else None  # (none before the screen is composed)
        if table is None or not table.row_count:
            return None
        coordinate = table.cursor_coordinate
        return self._cells.get((coordinate.row, coordinate.column))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._update_info()

    def _update_info(self) -> None:
        info = self.query_one("#compare-info", Static)
        tech = self.pointed
        if tech is None:
            empty = not (self.comparison.rows if self.comparison else self.matrix and self.matrix.rows)
            if empty:
                message = "None of these stacks lists any technology."
            elif self.query_one(DataTable).row_count <= 1 and self.show != "all":
                message = f"Nothing to show: press {'d' if self.show == 'differences' else 's'} to show all."
            else:
                message = "Move to a technology to see what each company said about it."
            info.update(text(message, MUTED))
            return
        parts = [text(tech.name, "bold"), text(f"  {tech.category}", MUTED)]
        if tech.description:
            parts.append(text(f"  {tech.description}"))
        lines = [Content.assemble(*parts)]
        for company_id in dict.fromkeys(self.company_ids):
            company = self.index.companies[company_id]
            item = next((i for i in company.stack if i.tech == tech.id), None)
            said = "—" if item is None else (item_extra(item) or "uses it")
            lines.append(Content.assemble(text(f"{company.name}: ", MUTED), text(said)))
        info.update(Content("\n").join(lines))

    # -- actions -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.query(DataTable):
            return False  # a key typed ahead of the screen's first frame waits for nothing: it is let go
        if action == "swap":
            return self.is_pair
        if action in ("follow", "open", "copy"):
            return self.pointed is not None or None
        return True

    def action_back(self) -> None:
        if not explorer(self.app).go_back():
            self.dismiss()

    def action_cursor(self, direction: str) -> None:
        getattr(self.query_one(DataTable), f"action_cursor_{direction}")()

    def action_follow(self) -> None:
        tech = self.pointed
        if tech:
            self.post_message(messages.Visit(Target("technology", tech.id)))

    def action_open(self) -> None:
        tech = self.pointed
        if tech:
            self.post_message(messages.OpenEntry(tech))

    def action_copy(self) -> None:
        tech = self.pointed
        if tech:
            self.post_message(messages.CopyLink(tech))

    def action_show(self, show: Show) -> None:
        self.show = "all" if self.show == show else show
        self._build()
        self.refresh_bindings()

    def action_swap(self) -> None:
        if self.comparison is not None:
            self.comparison = self.comparison.swapped()
            self.company_ids.reverse()
            self._build()

    def default_export_name(self) -> str:
        return "compare-" + "-".join(dict.fromkeys(self.company_ids)) + ".md"

    def action_export(self) -> None:
        from hlexplore.app.screens.export import ExportDialog

        self.app.push_screen(ExportDialog(Path.cwd() / self.default_export_name()), self.export_to)

    def export_to(self, path: Path | None) -> None:
        """Write the comparison as Markdown to path and as JSON beside it; say where, or what failed."""
        if path is None:
            return
        if self.comparison is not None:
            markdown = comparison_markdown(self.comparison, self.index.title)
            data = export.comparison(self.comparison)
        else:
            assert self.matrix is not None
            markdown = matrix_markdown(self.matrix, self.index.title)
            data = export.matrix(self.matrix)
        say = partial(messages.say, self)
        try:
            written = write_export(path, self.default_export_name(), markdown, data)
        except OSError as error:
            say(f"Not exported: {error.strerror or error} ({error.filename or path})", "error", 10)
            return
        say("Exported to\n" + "\n".join(str(p) for p in written), timeout=8)


def _label(content: str, style: str = "") -> Text:
    """A column's label: DataTable draws Content as it draws Rich Text, though it is typed for Text."""
    return cast("Text", text(content, style))
