"""The details of one entry, as a list whose linked rows can be followed (enter) or opened (o)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from hlexplore.app.targets import Target
from hlexplore.app.widgets.rows import reference_hint, text
from hlexplore.catalog.models import Company, Entry, Reference, Technology
from hlexplore.catalog.urls import archive_url, site_of
from hlexplore.index import CatalogIndex
from hlexplore.links.check import LinkCheck
from hlexplore.user.data import UserData

MUTED = "$foreground-muted"
LISTED = 200  # rows of one list in the details at most (users of a technology, references)
HEAVY = 500_000  # a section that would count more stack entries than this (about 50 ms) waits for enter


class DetailsView(OptionList):
    """Rows are built from the index; rows that point at another entry carry its Target."""

    @dataclass
    class Follow(Message):
        target: Target

    @dataclass
    class Compare(Message):
        left: str
        right: str

    @dataclass
    class OpenLink(Message):
        target: Target
        archived: bool = False

    @property
    def on_archive_row(self) -> bool:
        option = self.get_option_at_index(self.highlighted) if self.highlighted is not None else None
        return bool(option and (option.id or "").startswith("archive#"))

    def __init__(self, index: CatalogIndex, *, id: str, user: UserData | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.user = user
        self.subject: Target | None = None
        self._nothing = ""  # what is said when there is no subject
        self._serial = 0
        self._asked_for: set[str] = set()  # entries whose costly sections the user asked to see
        self._rows: list[Option] = []  # what show() is building

    @property
    def pointed(self) -> Target | None:
        """The entry under the cursor, when the cursor is on a linked row."""
        return Target.under_cursor(self)

    def show(self, target: Target | None, nothing: str = "Nothing selected.") -> None:
        """Show an entry's details; with none, say `nothing` (why nothing is shown)."""
        if target == self.subject and (target is not None or self._nothing == nothing):
            return
        self.subject = target
        self._nothing = nothing
        self.clear_options()
        self._serial = 0
        entry = self.index.get(target.kind, target.id) if target else None
        if entry is None:
            self.border_title = "Details"
            self.add_option(Option(text(nothing, MUTED), disabled=True))
            return
        self.border_title = {"company": "Company", "technology": "Technology", "reference": "Reference"}[
            entry.kind
        ]
        builder = {Company: self._company, Technology: self._technology, Reference: self._reference}
        self._rows.clear()
        builder[type(entry)](entry)  # type: ignore[operator]
        self.add_options(self._rows)  # at once: the list measures its rows once, not once per row
        first_link = next((i for i, row in enumerate(self._rows) if not row.disabled), None)
        self.highlighted = first_link
        self.scroll_home(animate=False)

    def refresh_subject(self) -> None:
        """Rebuild the rows of what is shown (after a bookmark or a note changed), keeping the cursor."""
        subject, highlighted = self.subject, self.highlighted
        self.subject = None
        self.show(subject)
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted

    def _yours(self, entry: Entry) -> None:
        """The user's own: the catalog files it came from, the bookmark and the note."""
        files = self.index.files_of(entry)
        if files:
            added = entry.origin in files
            how = "from your catalog" if added else "extended by your catalog"
            names = ", ".join(PurePath(f).name for f in files)  # `hlexplore paths` shows the folder
            self._line(text(f"{how}: {names}", "$text-accent"))
        if self.user is None:
            return
        note = self.user.note(entry.kind, entry.id)
        bookmarked = self.user.is_bookmarked(entry.kind, entry.id)
        if not (note or bookmarked):
            return
        if bookmarked:
            self._line(text("★ bookmarked", "$text-accent"))
        if note:
            for number, line in enumerate(note.splitlines()):
                self._line(Content.assemble(text("✎ " if number == 0 else "  ", "$text-accent"), text(line)))

    # -- row helpers ---------------------------------------------------------------------------------

    def _line(self, content: Content | str = "") -> None:
        prompt = text(content) if isinstance(content, str) else content
        self._rows.append(Option(prompt, disabled=True))

    def _heading(self, title: str) -> None:
        self._line("")
        self._line(text(title, "bold $text-primary"))

    def _link(self, entry: Entry, prompt: Content) -> None:
        self._serial += 1
        self._rows.append(Option(prompt, id=Target(entry.kind, entry.id).option_id(self._serial)))

    def _option(self, option_id: str, prompt: Content) -> None:
        self._rows.append(Option(prompt, id=option_id))

    def _field(self, label: str, value: str, style: str = "") -> None:
        if value:
            self._line(self._field_text(label, value, style))

    @staticmethod
    def _field_text(label: str, value: str, style: str = "") -> Content:
        return Content.assemble(text(f"{label}:\u00a0", MUTED), text(value, style))

    def _health(self, url: str, short: bool = False) -> LinkCheck | None:
        links = getattr(self.app, "links", None)
        return links.get(url, short) if links is not None and url else None

    def _address(self, url: str, short_url: str, confidence: str) -> None:
        """The entry's own addresses: enter on the link or the archived copies opens them. A link that was
        broken at its last check is marked, and its archived copies come first."""
        if not (url or short_url):
            return
        self._serial += 1
        check = self._health(url or short_url)
        link = Option(self._field_text("link", url or short_url, "$text-accent"), id=f"open#{self._serial}")
        archived = Option(
            self._field_text("archived copies", archive_url(short_url or url), MUTED),
            id=f"archive#{self._serial}",
        )
        broken = check is not None and check.broken
        if check is not None and check.broken:  # the archived copies first: the link is likely to fail
            self._rows.append(archived)
            self._rows.append(link)
            self._line(text(f"✗ {check.describe()} · checked {check.checked_at[:10]}", "$text-error"))
        else:
            self._rows.append(link)
            if check is not None:
                where = (
                    f" → {check.final_url}"
                    if check.outcome == "redirected" and check.final_url != url
                    else ""
                )
                self._line(
                    text(f"✓ {check.describe()}{where} · checked {check.checked_at[:10]}", "$text-success")
                )
        if short_url and short_url != url:
            note = " (resolved with low confidence)" if confidence == "low" else ""
            short = self._health(short_url, short=True)
            state = f" · {short.describe()}" if short is not None else ""
            self._field("short link", f"{short_url}{note}{state}")
        if not broken:
            self._rows.append(archived)

    def _deferred(self, entry_id: str, cost: int, title: str) -> bool:
        """In a large catalog, a costly section waits for enter instead of slowing every move: True then."""
        if cost <= HEAVY or entry_id in self._asked_for:
            return False
        self._heading(title)
        self._serial += 1
        prompt = text(f"enter finds them (a large catalog: over {HEAVY:,} stack entries to count)", MUTED)
        self._option(f"expand:{entry_id}#{self._serial}", prompt)
        return True

    def _more(self, count: int, how: str) -> None:
        if count > LISTED:
            self._line(text(f"… and {count - LISTED:,} more ({how})", MUTED))

    def _references(self, refs: list[Reference]) -> None:
        if refs:
            self._heading(f"References ({len(refs)})")
            for ref in refs[:LISTED]:
                site = site_of(ref.url)
                facts = " · ".join(x for x in (ref.ref_kind, str(ref.year or ""), site) if x)
                check = self._health(ref.url)
                mark = text(" ✗ broken", "$text-error") if check is not None and check.broken else text("")
                self._link(ref, Content.assemble(text(ref.title), text(f"  {facts}", MUTED), mark))
            self._more(len(refs), "the References pane finds them")

    # -- one builder per kind ------------------------------------------------------------------------

    def _company(self, company: Company) -> None:
        self._line(text(company.name, "bold"))
        self._yours(company)
        self._field("native name", company.native_name)
        self._address(company.url, company.short_url, company.url_confidence)
        self._field("note", company.note)
        if company.stack:
            self._heading(f"Stack ({len(company.stack)})")
            for category, entries in self.index.stack_by_category(company.id):
                self._line(text(category, MUTED))
                for entry in entries:
                    item = entry.item
                    extra = ", ".join(
                        x for x in (item.version and f"v{item.version}", item.note, item.group) if x
                    )
                    hint = text(f"  {extra}", MUTED) if extra else text("")
                    self._link(
                        entry.technology, Content.assemble(text("  "), text(entry.technology.name), hint)
                    )
        else:
            self._heading("Stack")
            self._line(text("The list names no technologies for this company.", MUTED))
        self._references(self.index.references_of(company.id))
        similar = self.index.similar(company.id, limit=5)
        if similar:
            self._heading("Most similar companies (enter compares)")
            for found in similar:
                shared = ", ".join(t.name for t in found.shared[:6])
                more = f" +{len(found.shared) - 6}" if len(found.shared) > 6 else ""
                self._serial += 1
                self._option(
                    f"compare:{found.company.id}#{self._serial}",
                    Content.assemble(
                        text(f"{found.score:.2f} ", MUTED),
                        text(found.company.display_name),
                        text(f"  {shared}{more}", MUTED),
                    ),
                )

    def _technology(self, tech: Technology) -> None:
        self._line(Content.assemble(text(tech.name, "bold"), text(f"  {tech.category}", MUTED)))
        self._yours(tech)
        if tech.description:
            self._line(tech.description)
        self._address(tech.url, tech.short_url, tech.url_confidence)
        self._field("also written", ", ".join(tech.aliases))
        parent = self.index.technologies.get(tech.parent)
        if parent:
            self._link(parent, Content.assemble(text("part of: ", MUTED), text(parent.name)))
        for child in self.index.children(tech.id):
            self._link(child, Content.assemble(text("part: ", MUTED), text(child.name)))
        usages = self.index.users_of(tech.id)
        self._heading(f"Used by {len(usages)} of {len(self.index.companies)} companies")
        for usage in usages[:LISTED]:
            notes = [
                usage.via and f"via {usage.via.name}",
                usage.item.version and f"v{usage.item.version}",
                usage.item.note,
                usage.item.group,
            ]
            extra = ", ".join(n for n in notes if n)
            self._link(
                usage.company,
                Content.assemble(
                    text(usage.company.display_name), text(f"  {extra}" if extra else "", MUTED)
                ),
            )
        self._more(len(usages), "`hlexplore who-uses` lists them all")
        cost = self.index.related_cost(tech.id)
        if self._deferred(tech.id, cost, "Often used with"):
            related = []
        else:
            related = self.index.related(tech.id, limit=8)
        if related:
            self._heading("Often used with")
            for found in related:
                self._link(
                    found.technology,
                    Content.assemble(
                        text(found.technology.name),
                        text(f"  {found.together} together · lift {found.lift:.1f}", MUTED),
                    ),
                )
        self._references(self.index.references_of(tech.id))

    def _reference(self, ref: Reference) -> None:
        self._line(text(ref.title, "bold"))
        self._yours(ref)
        self._line(text(reference_hint(self.index, ref) + f" · {ref.lang}", MUTED))
        owner = self.index.owner(ref)
        if owner:
            self._link(owner, Content.assemble(text("about: ", MUTED), text(self.index.label(owner))))
        self._address(ref.url, ref.short_url, ref.url_confidence)

    @on(OptionList.OptionSelected)
    def _follow(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("expand:") and self.subject:
            self._asked_for.add(option_id[len("expand:") :].split("#", 1)[0])
            self.refresh_subject()
            return
        if option_id.startswith("compare:") and self.subject:
            self.post_message(self.Compare(self.subject.id, option_id[len("compare:") :].split("#", 1)[0]))
            return
        if option_id.startswith(("open#", "archive#")) and self.subject:
            self.post_message(self.OpenLink(self.subject, archived=option_id.startswith("archive#")))
            return
        target = Target.from_option_id(option_id)
        if target:
            self.post_message(self.Follow(target))
