"""`hlexplore add-company`: ask for a company and its stack, and add it to the user's own catalog.

Technologies are matched against the catalog as they are typed (names, aliases, near misses; tab
completes on a terminal). Nothing is written until the entry is known to merge cleanly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.merge import load_merged
from hlexplore.catalog.models import Catalog, Company, StackItem
from hlexplore.catalog.toml_file import MAX_CATALOG_BYTES
from hlexplore.catalog.urls import url_problem
from hlexplore.catalog.writer import company_toml
from hlexplore.files import FileRefused, read_regular, write_atomically
from hlexplore.index import CatalogIndex
from hlexplore.text import clean, count, fold, slugify

Ask = Callable[[str], str]
HEADER = "# Your own additions to hlexplore's catalog (see `hlexplore paths`, docs/catalog-format.md).\n"


class Cancelled(Exception):
    pass


def _asker(out: Callable[[str], None], to_stderr: bool = False) -> Ask:
    """Ask on the terminal; to_stderr (with --json) keeps the questions off standard output, which
    then holds only the JSON answer."""

    def ask(prompt: str) -> str:
        if to_stderr:
            sys.stderr.write(prompt)
            sys.stderr.flush()
            line = sys.stdin.readline()
            if not line:
                raise Cancelled
            return line.rstrip("\n")
        try:
            return input(prompt)
        except EOFError:
            raise Cancelled from None

    return ask


def _completion(names: list[str]) -> None:
    """Tab completes technology names on a terminal (readline), a no-op elsewhere."""
    if not sys.stdin.isatty():
        return
    try:
        import readline
    except ImportError:  # pragma: no cover - no readline on this platform
        return

    def complete(text: str, state: int) -> str | None:
        matches = [n for n in names if n.lower().startswith(text.lower())]
        return matches[state] if state < len(matches) else None

    readline.set_completer_delims("")
    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")


def ask_company(index: CatalogIndex, ask: Ask, say: Callable[[str], None]) -> Company:
    name = ""
    while not name:
        name = clean(ask("Company name: ").strip())
        same = [c for c in index.companies.values() if fold(c.name) == fold(name)]
        question = (
            f"{same[0].name} is already in the catalog (id {same[0].id}); add another? [y/N] " if same else ""
        )
        if same and ask(question).strip().lower() not in ("y", "yes"):
            name = ""  # asked again
    suggested = slugify(name)
    while True:
        entry_id = ask(f"Id [{suggested}]: ").strip() or suggested
        if entry_id in index.companies:
            say(
                f'"{entry_id}" is already in the catalog: choose another id (to extend it, edit your catalog)'
            )
            continue
        if slugify(entry_id) != entry_id:
            say(f'an id is a lowercase slug, like "{slugify(entry_id)}"')
            continue
        break
    while True:
        url = ask("Link (http or https, optional): ").strip()
        problem = url_problem(url) if url else None
        if not problem:
            break
        say(f"that link {problem}")
    stack: list[StackItem] = []
    names = sorted({n for t in index.technologies.values() for n in (t.name, *t.aliases)})
    _completion(names)
    say("Technologies, one per line (tab completes; an empty line ends the list):")
    while True:
        typed = ask("  technology: ").strip()
        if not typed:
            break
        tech_id = _pick_technology(index, typed, ask, say)
        if tech_id is None:
            continue
        if any(item.tech == tech_id for item in stack):
            say(f"  {index.technologies[tech_id].name} is already in the stack")
            continue
        note = clean(ask(f"  note for {index.technologies[tech_id].name} (optional): ").strip())
        stack.append(StackItem(tech_id, note))
    return Company(id=entry_id, name=name, url=url, stack=tuple(stack))


def _pick_technology(index: CatalogIndex, typed: str, ask: Ask, say: Callable[[str], None]) -> str | None:
    found = index.resolve(typed, ("technology",))
    if found.status == "found" and found.entry is not None and not found.guessed:
        say(f"  → {found.entry.name} ({getattr(found.entry, 'category', '')})")
        return found.entry.id
    # A guess at a misspelt name is offered first, never written without the user's word.
    guessed = (found.entry,) if found.guessed and found.entry is not None else ()
    if guessed:
        found = index.resolve(typed, ("technology",), guess=False)  # the other candidates
    candidates = list(dict.fromkeys([*guessed, *found.candidates]))[:9]
    if not candidates:
        say(f'  no technology like "{typed}" in the catalog; add it to your catalog file first')
        return None
    lead = "which one?" if found.status == "ambiguous" else f'no technology named "{typed}"; did you mean'
    say(f"  {lead}")
    for number, entry in enumerate(candidates, start=1):
        say(f"    {number}) {entry.name} ({entry.category})")
    choice = ask("  number (empty: none of these): ").strip()
    if choice.isdigit() and 1 <= int(choice) <= len(candidates):
        return str(candidates[int(choice) - 1].id)
    return None


def add_company(
    args: argparse.Namespace,
    catalog: Catalog,
    target: Path,
    say: Callable[[str], None],
    added: Callable[[Company], None] | None = None,
) -> int:
    """Ask, check, write; `added` hears of the company written (the JSON answer)."""
    index = CatalogIndex(catalog)
    try:
        company = ask_company(index, _asker(say, to_stderr=bool(getattr(args, "json", False))), say)
    except (Cancelled, KeyboardInterrupt):
        say("\nnothing written")
        return 1
    try:
        existing = read_regular(target, MAX_CATALOG_BYTES).decode("utf-8")
    except FileRefused as refused:
        if refused.why != "missing":
            say(f"not written: {target} {refused.reason}")
            return 1
        existing = HEADER
    except UnicodeDecodeError:
        say(f"not written: {target} is not UTF-8 text; it was left as it is")
        return 1
    text = existing.rstrip("\n") + "\n\n" + company_toml(company)
    # Check the new file merges cleanly before it replaces the old one.
    trial = target.with_name(f".{target.name}.check.toml")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        trial.write_text(text, encoding="utf-8")
        load_merged([trial], only=False)
        write_atomically(target, text)
    except CatalogError as error:
        say(f"not written: the entry would not merge ({error.summary()}):\n{error}")
        return 1
    except OSError as error:
        say(f"not written: {target} could not be written ({error.strerror or error})")
        return 1
    finally:
        with suppress(OSError):
            trial.unlink(missing_ok=True)
    say(f"added {company.name} ({count(len(company.stack), 'technology')}) to {target}")
    if added is not None:
        added(company)
    return 0
