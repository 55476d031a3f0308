"""Turn a list written in the "High Load Backend Architectures" markdown dialect into a catalog.

Companies come from `## [Name](url)` headings, stacks from the comma lists under them, references from
their bullets, and technologies from the bullets after a REFERENCES line. Stack items are resolved
against known technologies; anything that cannot be resolved is reported with its line, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz import fuzz, process

from hlexplore.catalog.compiler import with_reference_ids
from hlexplore.catalog.models import Catalog, Company, Meta, Reference, StackItem, Technology
from hlexplore.catalog.urls import url_problem
from hlexplore.text import compact, fold, slugify

Level = Literal["error", "warning", "info"]
FUZZY_CUTOFF = 85
_LINK = re.compile(r"\[([^\]]*)\]\(\s*([^)\s]*)\s*\)")
_HEADING = re.compile(r"^##\s*\[(?P<name>[^\]]*)\]\(\s*(?P<url>[^)\s]*)\s*\)(?P<rest>.*)$")
_BULLET = re.compile(r"^(?P<indent>\s*)[*+-](?:\s+(?P<body>.*)|\s*)$")
_VERSION = re.compile(r"^v?\d+(\.\d+)*[a-z]?$")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_SEGMENT = re.compile(
    r"\s*(?:\((?P<pre>[^()]*)\))?\s*(?P<name>[^()]*[^()\s])\s*(?:\((?P<inner>[^()]*)\))?\s*"
)


@dataclass(frozen=True, slots=True)
class ImportNote:
    line: int
    level: Level
    message: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.level}: {self.message}"


@dataclass
class ImportResult:
    catalog: Catalog
    notes: list[ImportNote] = field(default_factory=list)

    @property
    def unresolved(self) -> list[ImportNote]:
        return [note for note in self.notes if note.level != "info"]


class TechResolver:
    """Finds the technology a written name means: by id, name or alias, then compacted, then fuzzily."""

    def __init__(self, technologies: list[Technology]) -> None:
        self.technologies = {tech.id: tech for tech in technologies}
        self._exact: dict[str, str] = {}
        self._compact: dict[str, str] = {}
        self._links: dict[str, str] = {}
        for tech in technologies:
            self._learn(tech)

    def _learn(self, tech: Technology) -> None:
        self.technologies[tech.id] = tech
        for name in tech.names:
            self._exact.setdefault(fold(name), tech.id)
            self._compact.setdefault(compact(name), tech.id)
        for link in (tech.short_url, tech.url):
            if link:
                self._links.setdefault(link.rstrip("/"), tech.id)

    def add(self, tech: Technology) -> None:
        self._learn(tech)

    def by_link(self, url: str) -> str | None:
        return self._links.get(url.rstrip("/")) if url else None

    def resolve(self, name: str) -> tuple[str, str] | None:
        """(technology id, how) for a written name, or None."""
        key = name.strip()
        if not key:
            return None
        if fold(key) in self._exact:
            return self._exact[fold(key)], "exact"
        if compact(key) in self._compact:
            return self._compact[compact(key)], "exact"
        if len(compact(key)) >= 4:
            found = process.extractOne(
                compact(key), list(self._compact), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if found:
                return self._compact[found[0]], "near"
        return None


@dataclass
class _Draft:
    company: Company
    line: int
    stack: list[StackItem] = field(default_factory=list)


class _Importer:
    def __init__(self, text: str, known: Catalog | None) -> None:
        self.lines = text.splitlines()
        self.notes: list[ImportNote] = []
        self.resolver = TechResolver(list(known.technologies) if known else [])
        self.known_ids = set(self.resolver.technologies)
        self.file_techs: dict[str, Technology] = {}
        self.new_techs: dict[str, Technology] = {}
        self.drafts: list[_Draft] = []
        self.references: list[Reference] = []

    def note(self, line: int, level: Level, message: str) -> None:
        self.notes.append(ImportNote(line, level, message))

    # -- structure ---------------------------------------------------------------------------------

    def run(self, title: str) -> ImportResult:
        split = self._references_start()
        self._technology_section(split)
        self._company_section(split)
        companies = tuple(replace(d.company, stack=tuple(d.stack)) for d in self.drafts)
        used = {item.tech for company in companies for item in company.stack}
        wanted = used | set(self.file_techs) | {r.technology for r in self.references if r.technology}
        wanted |= {
            self.resolver.technologies[t].parent for t in wanted if self.resolver.technologies[t].parent
        }
        technologies = tuple(self.resolver.technologies[t] for t in self._ordered(wanted))
        catalog = Catalog(Meta(1, title, ""), technologies, companies, with_reference_ids(self.references))
        self.notes.sort(key=lambda note: note.line)
        return ImportResult(catalog, self.notes)

    def _ordered(self, wanted: set[str]) -> list[str]:
        order = [*self.file_techs, *self.new_techs, *self.resolver.technologies]
        seen: dict[str, None] = {}
        for tech_id in order:
            if tech_id in wanted:
                seen.setdefault(tech_id)
        return list(seen)

    def _references_start(self) -> int:
        for number, line in enumerate(self.lines):
            stripped = line.strip().strip("#").strip()
            if stripped.upper() == "REFERENCES":
                return number
        return len(self.lines)

    # -- the REFERENCES section: technologies ---------------------------------------------------------

    def _technology_section(self, start: int) -> None:
        parent: Technology | None = None
        last: Technology | None = None
        for index in range(start + 1, len(self.lines)):
            number, raw = index + 1, self.lines[index]
            if not raw.strip() or raw.lstrip().startswith("#") or set(raw.strip()) <= {"-", "="}:
                continue
            bullet = _BULLET.match(raw)
            if not bullet:
                if last is not None:  # a description that wrapped onto the next line
                    last = self._describe(last, f"{last.description} {raw.strip()}".strip())
                else:
                    self.note(number, "warning", f"text outside a bullet ignored: {raw.strip()[:60]!r}")
                continue
            body = (bullet.group("body") or "").strip()
            link = _LINK.match(body)
            if not link:
                self.note(number, "warning", f"technology bullet without a [name](link): {body[:60]!r}")
                continue
            nested = bool(bullet.group("indent")) and parent is not None
            tech = self._technology_entry(number, link, body[link.end() :], parent if nested else None)
            if tech is None:
                continue
            last = tech
            if not nested:
                parent = tech

    def _describe(self, tech: Technology, description: str) -> Technology:
        tech = replace(tech, description=description)
        self.file_techs[tech.id] = tech
        if tech.id not in self.known_ids:
            self.resolver.add(tech)
        return tech

    def _technology_entry(
        self, number: int, link: re.Match[str], rest: str, parent: Technology | None
    ) -> Technology | None:
        title, url = link.group(1).strip(), link.group(2).strip()
        description = rest.strip().lstrip(":").strip()
        for extra in _LINK.finditer(description):
            self._reference(number, extra.group(1), extra.group(2), technology="?")
        description = _LINK.sub("", description).strip().rstrip(",").strip()
        name = derive_name(title)
        found = self.resolver.by_link(url)
        if found is None:
            hit = self.resolver.resolve(title) or self.resolver.resolve(name)
            found = hit[0] if hit else None
        if found is not None:
            tech = self.resolver.technologies[found]
            if found in self.file_techs:
                self.note(number, "info", f"{title!r} is listed again (same technology as before)")
        else:
            aliases = tuple(dict.fromkeys(a for a in (title,) if fold(a) != fold(name)))
            tech = Technology(
                id=self._free_id(slugify(name)),
                name=name,
                category="other",
                url=url,
                short_url=url,
                aliases=aliases,
                parent=parent.id if parent else "",
            )
            self.resolver.add(tech)
            self.note(number, "info", f"new technology {tech.id!r} from {title!r} (category: other)")
        if not tech.description and description:
            tech = replace(tech, description=description)
        if not tech.url and url:
            tech = replace(tech, url=url)
        if not tech.short_url and url:
            tech = replace(tech, short_url=url)
        self.file_techs[tech.id] = tech
        self.resolver.technologies[tech.id] = tech
        for ref in self.references:
            if ref.technology == "?":
                self.references[self.references.index(ref)] = replace(ref, technology=tech.id)
        return tech

    def _free_id(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.resolver.technologies:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    # -- companies ------------------------------------------------------------------------------------

    def _company_section(self, end: int) -> None:
        draft: _Draft | None = None
        for index in range(end):
            number, raw = index + 1, self.lines[index]
            line = raw.strip()
            heading = _HEADING.match(line)
            if heading:
                draft = self._company_heading(number, heading)
                continue
            if not line or set(line) <= {"=", "-"} or draft is None:
                continue
            bullet = _BULLET.match(raw)
            if bullet:
                self._company_bullet(number, draft, (bullet.group("body") or "").strip())
            else:
                self._stack_line(number, draft, line, group="")

    def _company_heading(self, number: int, heading: re.Match[str]) -> _Draft:
        written = heading.group("name").strip()
        name, native = split_native_name(written)
        url = heading.group("url").strip()
        if url and url_problem(url):
            self.note(number, "warning", f"company link {url!r} {url_problem(url)}; left out")
            url = ""
        company = Company(id=self._company_id(name), name=name, native_name=native, url=url, short_url=url)
        draft = _Draft(company, number)
        self.drafts.append(draft)
        for link in _LINK.finditer(heading.group("rest")):
            self._reference(
                number,
                f"{name}: the source article",
                link.group(2),
                company=company.id,
                translation=link.group(1),
            )
        return draft

    def _company_id(self, name: str) -> str:
        base = slugify(name)
        taken = {d.company.id for d in self.drafts}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _company_bullet(self, number: int, draft: _Draft, body: str) -> None:
        if not body:
            self.note(number, "info", "empty bullet ignored")
            return
        link = _LINK.match(body)
        if link:
            title = link.group(1).strip()
            self._reference(number, title, link.group(2), company=draft.company.id)
            for extra in _LINK.finditer(body[link.end() :]):
                self._reference(
                    number,
                    title,
                    extra.group(2),
                    company=draft.company.id,
                    translation=extra.group(1),
                )
            return
        label, colon, items = body.partition(":")
        if colon and label.strip():
            self._stack_line(number, draft, items, group=label.strip())
        else:
            self._stack_line(number, draft, body, group="")

    def _reference(
        self,
        number: int,
        title: str,
        url: str,
        *,
        company: str = "",
        technology: str = "",
        translation: str = "",
    ) -> None:
        url = url.strip()
        problem = url_problem(url) if url else "is empty"
        if problem:
            self.note(number, "warning", f"link {url!r} for {title!r} {problem}; left out")
            return
        owner_refs = [r for r in self.references if (r.company, r.technology) == (company, technology)]
        if any(r.short_url == url for r in owner_refs):
            self.note(number, "info", f"link {url} is already a reference of the same entry")
            return
        title = " ".join(title.split())
        if translation:
            title = f"{title} ({translation} translation)" if translation.lower() != "translate" else title
        lang = "ko" if translation.lower() == "korean" or _HANGUL.search(title) else "en"
        kind = "translation" if translation else "link"
        self.references.append(
            Reference(
                id="",
                title=title,
                url=url,
                short_url=url,
                company=company,
                technology=technology,
                lang=lang,
                ref_kind=kind,
            )
        )

    # -- stack lines ----------------------------------------------------------------------------------

    def _stack_line(self, number: int, draft: _Draft, text: str, group: str) -> None:
        text = self._quotes(number, draft, text)
        for link in _LINK.finditer(text):
            title = link.group(1).strip().strip("()").strip() or link.group(2)
            self._reference(number, title, link.group(2), company=draft.company.id)
            self.note(number, "info", f"link {title!r} inside the stack kept as a reference")
        text = _LINK.sub("", text)
        for token in split_items(text):
            token = re.sub(r"\s+and more$", "", token.strip())
            if token:
                self._stack_token(number, draft, token, group)

    def _quotes(self, number: int, draft: _Draft, text: str) -> str:
        """A quoted remark in a stack line is a note on the company, with its links as references."""
        quote = re.search(r'"(?P<quote>[^"]*)"\s*(?:-\s*(?P<by>@?\[[^\]]*\]\([^)]*\)|@\S+))?', text)
        if not quote:
            return text
        said = quote.group("quote")
        for link in _LINK.finditer(said):
            self._reference(
                number,
                f"{draft.company.name}: the quoted remark",
                link.group(2),
                company=draft.company.id,
                translation=link.group(1).strip(),
            )
        for link in _LINK.finditer(quote.group("by") or ""):
            self._reference(number, f"@{link.group(1).lstrip('@')}", link.group(2), company=draft.company.id)
        remark = _LINK.sub(lambda m: "" if m.group(1).lower() == "translate" else m.group(1), said)
        remark = re.sub(r"\(\s*\)", "", remark).strip()
        by = _LINK.sub(lambda m: m.group(1), quote.group("by") or "").strip()
        note = f"“{remark}” — {by}" if by else f"“{remark}”"
        draft.company = replace(draft.company, note=note)
        self.note(number, "info", "quoted remark kept as the company's note")
        return text[: quote.start()] + text[quote.end() :]

    def _stack_token(self, number: int, draft: _Draft, token: str, group: str) -> None:
        segments = list(parse_segments(token))
        if not segments:
            self.note(number, "warning", f"cannot read stack item {token!r}; kept as written")
            segments = [("", token, "")]
        if len(segments) > 1:
            self.note(number, "info", f"read {token!r} as {len(segments)} items (missing comma)")
        for pre, name, inner in segments:
            self._segment(number, draft, pre, name, inner, group)

    def _segment(self, number: int, draft: _Draft, pre: str, name: str, inner: str, group: str) -> None:
        words = name.split()
        resolved = self._resolve(number, name, quiet=len(words) > 1)
        if resolved is None and len(words) > 1:
            found = [self._resolve(number, word, quiet=True) for word in words]
            parts = [part for part in found if part is not None]
            if len(parts) == len(found):
                self.note(number, "info", f"read {name!r} as {len(words)} items (missing comma)")
                for part in parts[:-1]:
                    self._add(number, draft, StackItem(part, group=group))
                resolved = parts[-1]
            else:
                resolved = self._resolve(number, name)
        if resolved is None:
            resolved = self._new_technology(number, name)
        note, version, subs = self._inner(number, inner)
        notes = [text for text in (pre, note) if text]
        self._add(number, draft, StackItem(resolved, "; ".join(notes), version, group))
        for sub in subs:
            if sub != resolved:  # `nbp (nhn business platform)` spells the name out
                self._add(number, draft, StackItem(sub, group=group))

    def _inner(self, number: int, inner: str) -> tuple[str, str, list[str]]:
        """A parenthesis holds a version, technologies that are part of the item, or a note."""
        inner = inner.strip()
        if not inner:
            return "", "", []
        if _VERSION.match(inner):
            return "", inner, []
        parts = [part.strip() for part in inner.split(",") if part.strip()]
        found = [(part, self._resolve(number, part, quiet=True, near=False)) for part in parts]
        subs = [tech for _part, tech in found if tech]
        rest = [part for part, tech in found if not tech]
        if not subs:
            return inner, "", []
        return ", ".join(rest), "", subs

    def _resolve(self, number: int, name: str, quiet: bool = False, near: bool = True) -> str | None:
        hit = self.resolver.resolve(name)
        if hit is None or (hit[1] == "near" and not near):
            return None
        tech_id, how = hit
        if how == "near" and not quiet:
            self.note(
                number,
                "warning",
                f"{name!r} read as near miss of {tech_id!r}; add it as an alias if right",
            )
        return tech_id

    def _new_technology(self, number: int, name: str) -> str:
        tech = Technology(id=self._free_id(slugify(name)), name=name, category="other")
        self.resolver.add(tech)
        self.new_techs[tech.id] = tech
        self.note(
            number,
            "warning",
            f"unknown technology {name!r}: added as {tech.id!r} (category: other)",
        )
        return tech.id

    def _add(self, number: int, draft: _Draft, item: StackItem) -> None:
        for index, existing in enumerate(draft.stack):
            if existing.tech == item.tech:
                extra = [n for n in (existing.note, item.note) if n]
                if item.group and item.group != existing.group:
                    extra.append(f"also under {item.group}")
                draft.stack[index] = replace(existing, note="; ".join(extra))
                self.note(
                    number,
                    "info",
                    f"{item.tech!r} is already in {draft.company.id!r}'s stack; merged",
                )
                return
        draft.stack.append(item)


def split_items(text: str) -> list[str]:
    """Split a stack line on commas that are outside parentheses, brackets and quotes."""
    items: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "([":
            depth += 1
        elif not quoted and char in ")]":
            depth = max(0, depth - 1)
        if char == "," and depth == 0 and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def parse_segments(token: str) -> list[tuple[str, str, str]]:
    """`(pre)name(inner)` segments of one stack token; a token that does not parse gives []."""
    segments, position = [], 0
    while position < len(token):
        match = _SEGMENT.match(token, position)
        if not match or match.end() == position:
            return []
        segments.append((match.group("pre") or "", match.group("name"), match.group("inner") or ""))
        position = match.end()
    return segments


def split_native_name(written: str) -> tuple[str, str]:
    """`Gae9(개9)` -> ("Gae9", "개9"): a parenthesis in another script is the native name."""
    match = re.search(r"\(([^()]*)\)", written)
    if match and re.search(r"[^\x00-\x7f]", match.group(1)):
        name = (written[: match.start()] + written[match.end() :]).strip()
        return re.sub(r"\s{2,}", " ", name), match.group(1).strip()
    return written.strip(), ""


def derive_name(title: str) -> str:
    """A technology's name from its link title: `unbit/uwsgi · GitHub` -> `uwsgi`."""
    name = re.sub(r"\s*·\s*GitHub\s*$", "", title).strip()
    name = name.split(" - ")[0].strip()
    name = re.split(r",\s", name)[0].strip()
    if re.fullmatch(r"[\w.-]+/[\w.-]+", name):
        name = name.split("/")[1]
    return name or title


def import_markdown(text: str, known: Catalog | None = None, title: str = "Imported catalog") -> ImportResult:
    return _Importer(text, known).run(title)
