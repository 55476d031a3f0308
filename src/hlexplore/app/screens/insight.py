"""The catalog at a glance: bars, heat tables and lists, every one of which can be followed (enter)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from operator import attrgetter

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from hlexplore.app.history import Place
from hlexplore.app.keys import HintsUnboundKeys
from hlexplore.app.messages import explorer
from hlexplore.app.targets import Target
from hlexplore.app.widgets.rows import text
from hlexplore.catalog.models import Company, Entry, Technology
from hlexplore.catalog.vocabulary import category_code
from hlexplore.index import CatalogIndex
from hlexplore.index.insight import Insight, Pair, Ref, YearBar, largest_rows, refs
from hlexplore.links.store import LinkHealth, broken_entries
from hlexplore.text import bar, clean

MUTED = "$foreground-muted"
VIEWS = ("insight-tech", "insight-heat", "insight-together", "insight-time", "insight-health")
# Theme colours that stay apart in every built-in theme (the first kinds are the common ones).
KIND_COLOURS = (
    "primary",
    "accent",
    "success",
    "error",
    "primary-lighten-3",
    "warning-darken-3",
    "success-darken-3",
    "error-lighten-3",
    "foreground-muted",
)
Spot = tuple[str, int, int]  # (widget id, row, column)
Cell = tuple[Text, str, str, Sequence[Entry]]  # what a cell shows, says, is titled, and leads to
Said = str | Callable[[], str]  # a line about a spot, or what makes it when the cursor lands there
Found = list[Target] | Callable[[], list[Target]]  # the entries behind a spot, or what finds them
GRID_ROWS = 200  # companies in the heat table and the timeline: those with the most (stats --json has all)
LISTED = 200  # entries listed per health group and names per line (the count says how many there are)


def targets(found: tuple[Ref, ...] | list[Ref]) -> list[Target]:
    return [Target(kind, entry_id) for kind, entry_id in found]


def _with_users(technology: Technology, companies: Sequence[Company]) -> list[Target]:
    return [Target("technology", technology.id), *targets(refs(companies))]


def _references_of(year: YearBar) -> list[Target]:
    return targets(refs(year.references))


def _targets_of(pair: Pair) -> list[Target]:
    return targets(refs(pair.together))


class InsightScreen(HintsUnboundKeys, Screen[None]):
    UNBOUND_HINT = "1 to 5 switch views, ? lists every key"
    BINDINGS = [
        Binding("escape,backspace,alt+left", "back", "Back", priority=True, id="insight.back"),
        Binding("alt+right", "app.go_forward", "Forward", show=False, priority=True, id="insight.forward"),
        Binding("enter", "follow", "Follow", priority=True, id="insight.follow"),
        Binding("slash", "category", "Category", priority=True, id="insight.category"),
        *(
            Binding(str(n + 1), f"view({n})", title, show=False, priority=True, id=f"insight.view{n + 1}")
            for n, title in enumerate(("Technologies", "Stacks", "Together", "Time", "Health"))
        ),
        Binding("question_mark", "app.help", "Help", show=False, id="insight.help"),
        Binding("q", "app.quit", "Quit", show=False, id="insight.quit"),
    ]

    def __init__(
        self, index: CatalogIndex, this_year: int, links: LinkHealth | None = None, place: Place | None = None
    ) -> None:
        """place: how the user left the insight view, to restore it (back and forward)."""
        super().__init__()
        self.index = index
        self.view = Insight(index, this_year)
        self.links = links
        self.category: str | None = place.category if place else None
        self._restore = place
        # What each bar, cell and row stands for: a title and the entries behind it, and a line about it.
        self._behind: dict[Spot, tuple[str, Found]] = {}
        self._about: dict[Spot, Said] = {}
        self._width = 0
        self._built: set[str] = set()  # the views built for this width, theme and category

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with TabbedContent(id="insight-views"):
            with TabPane("1 Technologies", id="insight-tech"):
                yield Static(id="tech-caption", classes="insight-caption")
                yield OptionList(id="tech-bars", classes="insight-list")
            with TabPane("2 Stacks", id="insight-heat"):
                yield Static(id="heat-caption", classes="insight-caption")
                yield DataTable(id="heat-table", cursor_type="cell", classes="insight-table")
            with TabPane("3 Together", id="insight-together"):
                yield Static(id="together-caption", classes="insight-caption")
                yield DataTable(id="together-table", cursor_type="cell", classes="insight-table")
            with TabPane("4 Time", id="insight-time"):
                yield OptionList(id="year-bars", classes="insight-list")
                yield Static(id="year-legend")
                yield DataTable(id="timeline-table", cursor_type="cell", classes="insight-table")
            with TabPane("5 Health", id="insight-health"):
                yield OptionList(id="health-list", classes="insight-list")
        yield Static(id="insight-info")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Insight"
        self.sub_title = clean(self.index.title)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._build())
        self._build()
        self.set_focus(self.query_one("#tech-bars"))
        if self._restore is not None:
            self.call_after_refresh(self._restore_place, self._restore)

    def _restore_place(self, place: Place) -> None:
        self.action_view(min(max(place.view, 0), len(VIEWS) - 1))
        widget = next(iter(self.query(f"#{place.widget}")), None) if place.widget else None
        if widget is None or place.cursor is None:
            return
        row, column = place.cursor
        if isinstance(widget, DataTable) and widget.row_count:
            widget.cursor_coordinate = widget.validate_cursor_coordinate(Coordinate(row, column))
        elif isinstance(widget, OptionList) and widget.option_count:
            widget.highlighted = min(row, widget.option_count - 1)
        self.set_focus(widget)

    def place(self) -> Place:
        """Where the user is, for back and forward: the view, the widget with the cursor, the cursor."""
        tabs = self.query(TabbedContent)
        if not tabs:  # not composed yet: as it was asked for
            return self._restore or Place("insight", category=self.category)
        active = tabs.first().active
        view = VIEWS.index(active) if active in VIEWS else 0
        spot = self._spot()
        widget, cursor = (spot[0], (spot[1], spot[2])) if spot else ("", None)
        return Place("insight", view=view, widget=widget, cursor=cursor, category=self.category)

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width:
            self._build()

    # -- colours -------------------------------------------------------------------------------------

    def _colour(self, name: str) -> Color:
        try:
            return Color.parse(self.app.theme_variables.get(name, ""))
        except Exception:
            return Color.parse("#808080")

    def _heat(self, value: float, most: float) -> Style:
        """From the surface towards the warning colour as value nears most; text in a readable contrast."""
        surface = self._colour("surface")
        if value <= 0 or most <= 0:
            return Style(color=self._colour("foreground-muted").hex6)
        background = surface.blend(self._colour("warning"), 0.2 + 0.8 * min(value / most, 1.0))
        return Style(color=background.get_contrast_text().hex6, bgcolor=background.hex6, bold=True)

    # -- building ------------------------------------------------------------------------------------

    def _build(self) -> None:
        """Build the view shown now; the others when first shown (a large catalog's take seconds each)."""
        self._width = self.size.width or 80
        self._behind.clear()
        self._about.clear()
        self._built.clear()
        tabs = self.query(TabbedContent)
        self._build_view(tabs.first().active if tabs else VIEWS[0])

    def is_built(self, number: int) -> bool:
        """Whether a view (by its number, from 0) is built for what is shown now."""
        return VIEWS[number] in self._built

    def _build_view(self, view: str) -> None:
        if view in self._built or view not in VIEWS:
            return
        self._built.add(view)
        builders = (self._build_bars, self._build_heat, self._build_together, self._build_time)
        (*builders, self._build_health)[VIEWS.index(view)]()
        self._describe_focus()

    def _keep(self, spot: Spot, about: Said, title: str = "", found: Found | None = None) -> None:
        self._about[spot] = about
        if found:
            self._behind[spot] = (title, found)

    def _build_bars(self) -> None:
        bars = self.view.top_technologies(self.category, limit=LISTED)
        in_use = self.view.technologies_in_use(self.category) if len(bars) == LISTED else len(bars)
        where = self.category or "all categories"
        shown = f" · the {len(bars)} most used of {in_use:,}" if in_use > len(bars) else ""
        self.query_one("#tech-caption", Static).update(
            Content.assemble(
                text("Most used technologies: ", "bold"),
                text(where, "bold $text-accent"),
                text(f"{shown} · / picks a category", MUTED),
            )
        )
        names = min(24, max((len(b.technology.name) for b in bars), default=8))
        room = max(4, self._width - names - 12)
        most = max((b.value for b in bars), default=0)
        options = self.query_one("#tech-bars", OptionList)
        kept = options.highlighted
        options.clear_options()
        shown_bars = []
        for row, found in enumerate(bars):
            name = clean(found.technology.name)
            name = name if len(name) <= names else name[: names - 1] + "…"
            shown_bars.append(
                Option(
                    Content.assemble(
                        text(f"{name:<{names}} "),
                        text(f"{found.value:>3} ", MUTED),
                        text(bar(found.value, most, room), "$success"),
                    ),
                    id=Target("technology", found.technology.id).option_id(),
                )
            )
            users = partial(_with_users, found.technology, found.companies)
            named = found.companies if found.value <= LISTED else found.companies[:12]
            who = ", ".join(c.name for c in named)
            if len(named) < found.value:
                who += f" and {found.value - len(named):,} more"
            self._keep(
                ("tech-bars", row, 0),
                f"{found.technology.name} ({found.technology.category}): {found.value} — {who}",
                f"{found.technology.name} and the companies using it",
                users,
            )
        options.add_options(shown_bars)  # (at once: each add_option measures the list again)
        options.highlighted = min(kept or 0, len(bars) - 1) if bars else None

    def _build_heat(self) -> None:
        heat = self.view.heat
        self.query_one("#heat-caption", Static).update(
            Content.assemble(
                text("Where stacks are heavy: ", "bold"),
                text("technologies per category · the line below names the column", MUTED),
            )
        )
        columns = [(Text(f" {category_code(category)}", overflow="crop"), 3) for category in heat.categories]
        rows = largest_rows(list(map(len, map(attrgetter("stack"), heat.companies))), GRID_ROWS)
        most = heat.most(rows)

        def cells(row: int, company: Company) -> Iterator[Cell]:
            for category, found in zip(heat.categories, heat.cells[row], strict=True):
                shown = f"{len(found):>2} " if found else " · "
                names = ", ".join(t.name for t in found) or "nothing"
                about = f"{company.name} · {category}"
                yield Text(shown, style=self._heat(len(found), most)), f"{about}: {names}", about, found

        width = min(16, max(8, self._width // 6))
        if len(rows) < len(heat.companies):
            shown = f"the {len(rows)} largest stacks of {len(heat.companies):,} · stats --json has them all"
            self.query_one("#heat-caption", Static).update(
                Content.assemble(text("Where stacks are heavy: ", "bold"), text(shown, MUTED))
            )
        self._company_grid(
            "heat-table",
            width,
            columns,
            heat.companies,
            cells,
            lambda c: f"{len(c.stack)} technologies",
            rows,
        )

    def _company_grid(
        self,
        table_id: str,
        width: int,
        columns: list[tuple[Text, int]],
        companies: tuple[Company, ...],
        cells: Callable[[int, Company], Iterable[Cell]],
        count: Callable[[Company], object],
        rows: Sequence[int] | None = None,
    ) -> None:
        """A table with a row per company (or per company of rows, by their places in companies): its name
        (followed to it), then cells each followed to their entries; the cursor stays where it was."""
        table = self.query_one(f"#{table_id}", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.cell_padding = 0
        table.add_column(Text("company"), width=width)
        for header, column_width in columns:
            table.add_column(header, width=column_width)
        for row, at in enumerate(range(len(companies)) if rows is None else rows):
            company = companies[at]
            shown = [Text(clean(company.name), no_wrap=True, overflow="ellipsis")]
            self._keep(
                (table_id, row, 0), f"{company.name}: {count(company)}", "", [Target("company", company.id)]
            )
            for column, (cell, about, title, found) in enumerate(cells(at, company), start=1):
                shown.append(cell)
                self._keep((table_id, row, column), about, title, targets(refs(found)))
            table.add_row(*shown)
        table.cursor_coordinate = cursor

    def _build_together(self) -> None:
        count = max(3, min(12, (self._width - 22) // 4))
        found = self.view.cooccurrence(top=count)
        self.query_one("#together-caption", Static).update(
            Content.assemble(
                text("Used together: ", "bold"),
                text("companies using both · hotter = more often than chance", MUTED),
            )
        )
        table = self.query_one("#together-table", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.cell_padding = 0
        table.add_column(Text("technology"), width=20)
        for i in range(len(found.technologies)):
            table.add_column(Text(f"{i + 1:>3}"), width=4)
        most = max((p.lift for row in found.pairs for p in row if p), default=0)
        for row, (tech, pairs) in enumerate(zip(found.technologies, found.pairs, strict=True)):
            cells = [Text(f"{row + 1:>2} {clean(tech.name)}", no_wrap=True, overflow="ellipsis")]
            self._keep(  # (what goes with it is worked out when the cursor is there: seconds at scale)
                ("together-table", row, 0),
                partial(self._goes_with, tech),
                f"What goes with {tech.name}",
                partial(self._going_with, tech),
            )
            for column, pair in enumerate(pairs, start=1):
                other = found.technologies[column - 1]
                if pair is None:
                    cells.append(Text("  — ", style=Style(dim=True)))
                    self._keep(
                        ("together-table", row, column),
                        f"{tech.name}: {self.index.usage_count(tech.id)} companies",
                    )
                    continue
                shown = f"{pair.count:>3} " if pair.count else "  · "
                cells.append(Text(shown, style=self._heat(pair.lift, most)))
                self._keep(
                    ("together-table", row, column),
                    f"{tech.name} + {other.name}: {pair.count} companies, lift ×{pair.lift:.2f}",
                    f"{tech.name} and {other.name} together",
                    partial(_targets_of, pair),
                )
            table.add_row(*cells)
        table.cursor_coordinate = cursor

    def _goes_with(self, tech: Technology) -> str:
        best = ", ".join(f"{c.technology.name} {c.together}" for c in self.view.companions(tech.id, limit=6))
        return f"{tech.name} goes with: {best}"

    def _going_with(self, tech: Technology) -> list[Target]:
        companions = self.view.companions(tech.id, limit=None)
        return [Target("technology", tech.id), *(Target("technology", c.technology.id) for c in companions)]

    def _build_time(self) -> None:
        timeline = self.view.timeline
        colours = {kind: KIND_COLOURS[i % len(KIND_COLOURS)] for i, kind in enumerate(timeline.kinds)}
        most = max((y.value for y in timeline.years), default=0)
        room = max(4, self._width - 20)  # the label, the count and the box around the bars
        options = self.query_one("#year-bars", OptionList)
        kept = options.highlighted
        options.clear_options()
        for row, year in enumerate(timeline.years):
            segments, done, drawn = [], 0, 0
            for kind, found in year.by_kind:  # cumulative rounding: the whole bar is as long as its total
                done += len(found)
                end = max(drawn + 1, round(room * done / most))
                segments.append(text("█" * (end - drawn), f"${colours[kind]}"))
                drawn = end
            options.add_option(Option(Content.assemble(text(f"{year.label:<8}{year.value:>3} "), *segments)))
            kinds = ", ".join(f"{kind} {len(found)}" for kind, found in year.by_kind)
            self._keep(
                ("year-bars", row, 0),
                f"{year.label}: {year.value} references — {kinds}",
                f"References of {year.label}",
                partial(_references_of, year),
            )
        options.highlighted = min(kept or 0, len(timeline.years) - 1) if timeline.years else None
        legend = Content.assemble(*(text(f"█ {kind}  ", f"${colours[kind]}") for kind in timeline.kinds))
        options.border_title = Content("References per year, by kind")
        self.query_one("#year-legend", Static).update(legend)
        columns = [(Text(f" {year.label[-2:] if year.year else '?':>2} "), 4) for year in timeline.years]

        def cells(row: int, company: Company) -> Iterator[Cell]:
            for year, found in zip(timeline.years, timeline.cells[row], strict=True):
                dots = "●" * len(found) if len(found) < 3 else f"●{len(found)}"
                titles = "; ".join(r.title for r in found) or "no reference"
                about = f"{company.name} · {year.label}"
                yield Text(f" {dots:<3}"[:4]), f"{about}: {titles}", about, found

        def count(company: Company) -> str:
            return f"{self.index.reference_count(company.id)} references"

        rows = largest_rows(timeline.counts, GRID_ROWS)
        if len(rows) < len(timeline.companies):
            shown = f"the {len(rows)} companies with the most references of {len(timeline.companies):,}"
            options.border_title = Content(f"References per year, by kind · below: {shown}")
        self._company_grid("timeline-table", 16, columns, timeline.companies, cells, count, rows)

    def _build_health(self) -> None:
        options = self.query_one("#health-list", OptionList)
        kept = options.highlighted
        options.clear_options()
        groups: list[tuple[str, Sequence[Entry]]] = [(g.title, g.entries) for g in self.view.health().groups]
        if self.links is not None:
            when = self.links.last_checked()[:10]
            if when:
                broken = broken_entries(self.index.catalog, self.links)
                groups.insert(0, (f"Links broken at the last check ({when})", [e for e, _check in broken]))
        shown: list[Option] = []  # (added at once: each add_option measures the list again)
        for title, entries in groups:
            shown.append(Option(text(f"{title} ({len(entries):,})", "bold $text-primary"), disabled=True))
            for entry in entries[:LISTED]:
                year = getattr(entry, "year", None)
                label = self.index.label(entry) + (f"  ({year})" if year else "")
                row = len(shown)
                target = Target(entry.kind, entry.id)
                shown.append(Option(Content.assemble(text("  "), text(label)), id=target.option_id(row)))
                self._keep(("health-list", row, 0), f"{title}: {self.index.label(entry)}", "", [target])
            if len(entries) > LISTED:
                more = f"  and {len(entries) - LISTED:,} more · `hlexplore stats --json` lists them all"
                shown.append(Option(text(more, MUTED), disabled=True))
        if self.links is not None and not self.links.last_checked():
            never = "Links never checked: the palette's Check links does it (it uses the network)."
            shown.append(Option(text(never, MUTED), disabled=True))
        options.add_options(shown)
        if kept is not None and kept < options.option_count:
            options.highlighted = kept
        else:
            enabled = (i for i in range(options.option_count) if not options.get_option_at_index(i).disabled)
            options.highlighted = next(enabled, None)

    # -- the cursor ----------------------------------------------------------------------------------

    def _spot(self) -> Spot | None:
        widget = self.focused
        if isinstance(widget, DataTable) and widget.id:
            cell = widget.cursor_coordinate
            return (widget.id, cell.row, cell.column)
        if isinstance(widget, OptionList) and widget.id and widget.highlighted is not None:
            return (widget.id, widget.highlighted, 0)
        return None

    def _describe_focus(self) -> None:
        spot = self._spot()
        said = self._about.get(spot, "") if spot else ""
        about = said() if callable(said) else said
        follow = "  · enter shows them" if spot in self._behind else ""
        info = self.query_one("#insight-info", Static)
        info.update(Content.assemble(text(about), text(follow, MUTED)) if about else text("", MUTED))

    @on(OptionList.OptionHighlighted)
    @on(DataTable.CellHighlighted)
    def _moved(self, event: Widget) -> None:
        self._describe_focus()

    @on(TabbedContent.TabActivated)
    def _view_changed(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        if pane is not None and pane.id:
            self._build_view(pane.id)
        focusable = pane.query(".insight-list, .insight-table").first() if pane else None
        if focusable is not None:
            self.set_focus(focusable)
        self._describe_focus()

    def on_descendant_focus(self) -> None:
        self._describe_focus()

    # -- actions -------------------------------------------------------------------------------------

    def action_view(self, number: int) -> None:
        self.query_one(TabbedContent).active = VIEWS[number]

    def action_follow(self) -> None:
        spot = self._spot()
        if spot is None or spot not in self._behind:
            if spot is not None:
                self.app.bell()
            return
        title, finding = self._behind[spot]
        found = finding() if callable(finding) else finding
        if len(found) == 1 and not title:
            explorer(self.app).visit(found[0])
            return
        from hlexplore.app.screens.entries import EntriesScreen

        self.app.push_screen(EntriesScreen(self.index, title, found))

    def action_category(self) -> None:
        def choose(category: str | None) -> None:
            self.category = category
            self.action_view(0)
            self._build()

        choices = [("All categories", lambda: choose(None), "the most used technologies of every category")]
        for category in self.view.categories_in_use():
            count = len(self.view.top_technologies(category))
            choices.append((category, partial(choose, category), f"{count} technologies in use"))
        self.app.search_commands(choices, placeholder="Most used technologies of which category?")

    def action_back(self) -> None:
        if not explorer(self.app).go_back():
            self.dismiss()
