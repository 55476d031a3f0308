"""One function per subcommand: resolve names, query the index, print text or JSON, return an exit code."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console, Group, RenderableType
from rich.text import Text

from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.loader import bundled_catalog_path, load_catalog
from hlexplore.catalog.merge import Loaded, load_merged
from hlexplore.catalog.models import Catalog, Company, Entry, Kind, Technology
from hlexplore.catalog.toml_file import MAX_CATALOG_BYTES, read_toml
from hlexplore.cli import render
from hlexplore.files import FileRefused, read_regular
from hlexplore.index import CatalogIndex, export, report
from hlexplore.index.catalog_index import Resolution
from hlexplore.interpreter import bulk
from hlexplore.text import clean, count, fold

OK, FAILED, AMBIGUOUS, USAGE = 0, 1, 2, 2


class Stop(Exception):
    """Ends a command early with an exit code, after its message was printed."""

    def __init__(self, code: int) -> None:
        self.code = code


def write_json(value: Any) -> None:
    """One JSON document on standard output, indented by two spaces, as json.dumps(indent=2,
    ensure_ascii=False) writes it. Written by orjson (compiled: the standard encoder is pure Python when it
    indents, and `stats --json` at 100,000 companies is 240 MB); what orjson refuses (a lone surrogate, an
    integer beyond 64 bits, a key that is not a string) is written by the standard encoder."""
    import orjson

    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except (TypeError, orjson.JSONEncodeError):
        sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
        return
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None or (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
        sys.stdout.write(data.decode("utf-8"))  # (a text stream only, or not UTF-8)
        return
    sys.stdout.flush()  # (what was written as text first)
    binary.write(data)  # as bytes: 240 MB decoded and encoded again took seconds
    binary.flush()


class Output:
    def __init__(
        self, as_json: bool, out: Console | None = None, err: Console | None = None, command: str = ""
    ) -> None:
        self.as_json = as_json
        self.command = command  # the subcommand, named in messages
        self.out = out or Console(highlight=False, soft_wrap=False)
        self.err = err or Console(stderr=True, highlight=False)

    def show(
        self, renderable: RenderableType | Callable[[], RenderableType], data: Any | Callable[[], Any]
    ) -> None:
        """The answer as text or as JSON; either may be given as what makes it, so that only the one
        shown is made (a large catalog's text and JSON each take seconds)."""
        if self.as_json:
            with bulk():  # (millions of lists and dicts, none in a cycle: collections would walk them all)
                found = data() if callable(data) else data
            write_json(found)
        else:
            shown = renderable() if callable(renderable) else renderable
            self.out.print(shown, crop=False)  # a line held whole (a URL) runs past the width

    def error(self, message: str) -> None:
        self.err.print(Text(clean(message), style="red"), soft_wrap=True)

    def fail(
        self, code: str, message: str, exit_code: int, hints: tuple[str, ...] = (), **details: Any
    ) -> NoReturn:
        """End the command: the message (and hints) on standard error; with --json, also the one JSON
        object on standard output, `{"error": {"code": ..., "message": ..., ...details}}` (see
        docs/json.md), so a script reading stdout always gets JSON."""
        self.error(message)
        for line in hints:
            self.hint(line)
        if self.as_json:
            error = {"code": code, "message": message, **details}
            write_json({"error": error})
        raise Stop(exit_code)

    def hint(self, message: str) -> None:
        self.err.print(Text(clean(message), style="dim"), soft_wrap=True)

    def line(self, message: str, style: str = "") -> None:
        self.out.print(Text(clean(message), style=style), soft_wrap=True)


def open_catalog(args: argparse.Namespace, out: Output) -> Catalog:
    """The catalog open_loaded gives."""
    return open_loaded(args, out).catalog


def open_index(args: argparse.Namespace, out: Output) -> CatalogIndex:
    loaded = open_loaded(args, out)
    return CatalogIndex(loaded.catalog, loaded.orders)


def open_loaded(args: argparse.Namespace, out: Output) -> Loaded:
    """The bundled catalog with the user's catalogs and every --catalog merged over it (or --only those).

    A catalog in the user's folder with a problem is skipped with a message; a --catalog file with a
    problem stops the command (CatalogError), since it was asked for by name.
    """
    from hlexplore.user.paths import UserPaths

    paths = UserPaths.default()
    loaded = load_merged(
        getattr(args, "catalog", None) or [],
        paths.catalogs_dir,
        only=getattr(args, "only", False),
        cache_dir=paths.catalog_cache_dir,
        announce=lambda path, size, merging: _announce(out, path, size, merging),
    )
    for message in loaded.messages():
        out.hint(message)
    return loaded


def _announce(out: Output, path: Path, size: int, merging: bool) -> None:
    from hlexplore.catalog.cache import first_read_message

    message = first_read_message(path, size, merging)
    if message:
        out.hint(message)


def _candidate(index: CatalogIndex, entry: Entry) -> dict[str, str]:
    return {"kind": entry.kind, "id": entry.id, "name": index.label(entry)}


def resolve_technology(index: CatalogIndex, name: str, out: Output) -> Technology:
    found = resolve_name(index, name, ("technology",), out)
    assert isinstance(found, Technology)  # (resolved among technologies only)
    return found


def resolve_company(index: CatalogIndex, name: str, out: Output) -> Company:
    found = resolve_name(index, name, ("company",), out)
    assert isinstance(found, Company)  # (resolved among companies only)
    return found


def resolve_name(index: CatalogIndex, name: str, kinds: tuple[Kind, ...], out: Output) -> Entry:
    found = index.resolve(name, kinds)
    noun = " or ".join(kinds) if len(kinds) < 3 else "entry"
    shown = name if len(name) <= 60 else name[:59] + "…"
    if len(kinds) < 3 and not found.exact:
        _wrong_kind(index, name, found, kinds, out)
    if found.status == "found" and found.entry is not None:
        if found.guessed:
            out.hint(f'showing {index.label(found.entry)} for "{shown}"')
        return found.entry
    if found.status == "ambiguous":
        listed = tuple(f"  {e.kind:<10} {index.label(e)}  (id: {e.id})" for e in found.candidates)
        out.fail(
            "ambiguous",
            f'"{shown}" matches more than one {noun}:',
            AMBIGUOUS,
            (*listed, "Give a longer name or the id."),
            name=name,
            candidates=[_candidate(index, e) for e in found.candidates],
        )
    hints: tuple[str, ...] = ()
    if found.candidates:
        hints = ("Did you mean: " + ", ".join(f'"{index.label(e)}"' for e in found.candidates) + "?",)
    out.fail(
        "not_found",
        f'no {noun} named "{shown}"',
        FAILED,
        hints,
        name=name,
        suggestions=[_candidate(index, e) for e in found.candidates],
    )


COMMAND_FOR = {"company": "show", "technology": "who-uses", "reference": "show"}


def _wrong_kind(
    index: CatalogIndex, name: str, found: Resolution, kinds: tuple[Kind, ...], out: Output
) -> None:
    """When the name means an entry of another kind than the command takes, say what it is and what to
    run: its very name (while this kind has it only as a prefix, or not at all), or the clearly nearest
    of every kind to a misspelt name (`who-uses twiter`: Twitter, not Twisted)."""
    overall = index.resolve(name)
    entry = overall.entry
    if overall.status != "found" or entry is None or entry.kind in kinds:
        return
    if not (overall.exact or found.status != "found" or found.guessed):
        return  # a prefix of this kind, and only a near miss of another: the prefix it is
    wanted = " or ".join(kinds)
    article = "an" if entry.kind[0] in "aeiou" else "a"
    command = out.command or "this command"
    try_this = f"hlexplore {COMMAND_FOR[entry.kind]} {entry.id}"
    out.fail(
        "wrong_kind",
        f"{index.label(entry)} is {article} {entry.kind}; {command} takes a {wanted}",
        FAILED,
        (f"try: {try_this}",),
        name=name,
        found=_candidate(index, entry),
        expected=list(kinds),
        try_command=try_this,
    )


def cmd_search(args: argparse.Namespace, index: CatalogIndex, out: Output) -> int:
    kinds: tuple[Kind, ...] = (args.kind,) if args.kind else ("company", "technology", "reference")
    results = index.search(args.query, kinds, limit=max(args.limit, 1))
    data = {"query": args.query, "results": [export.search_result(index, r) for r in results]}
    if not results and not out.as_json:
        shown = args.query if len(args.query) <= 60 else args.query[:59] + "…"
        out.hint(f'nothing matches "{shown}"')
        return FAILED
    out.show(lambda: render.search_results(index, results), data)
    return OK if results else FAILED


def cmd_show(args: argparse.Namespace, index: CatalogIndex, out: Output) -> int:
    entry = resolve_name(index, args.name, ("company", "technology", "reference"), out)
    views: dict[str, Callable[[CatalogIndex, Any], RenderableType]] = {
        "company": render.company,
        "technology": render.technology,
        "reference": render.reference,
    }
    out.show(lambda: views[entry.kind](index, entry), lambda: export.entry(index, entry))
    return OK


def cmd_who_uses(args: argparse.Namespace, index: CatalogIndex, out: Output) -> int:
    tech = resolve_technology(index, args.technology, out)
    usages = index.users_of(tech.id)
    title = render.heading(
        f"{tech.name} is used by {len(usages):,} of {count(len(index.companies), 'company')}"
    )
    out.show(
        lambda: Group(title, render.usage_table(usages)),
        lambda: {"technology": export.technology_ref(tech), "companies": [export.usage(u) for u in usages]},
    )
    return OK


def resolve_companies(index: CatalogIndex, names: list[str], out: Output) -> list[str]:
    """Company ids for a comparison; two at least (the same one twice compares it with itself)."""
    if len(names) < 2:
        out.fail(
            "usage", "a comparison needs two or more companies, e.g. `compare instagram pinterest`", USAGE
        )
    ids = list(dict.fromkeys(resolve_name(index, name, ("company",), out).id for name in names))
    return ids * 2 if len(ids) == 1 else ids


def cmd_compare(args: argparse.Namespace, index: CatalogIndex, out: Output) -> int:
    ids = resolve_companies(index, args.companies, out)
    out.as_json = out.as_json or args.format == "json"
    if len(ids) == 2:
        result = index.compare(*ids)
        if args.format == "markdown" and not out.as_json:
            sys.stdout.write(report.comparison_markdown(result, index.title))
        else:
            out.show(lambda: render.comparison(result), lambda: export.comparison(result))
        return OK
    matrix = index.matrix(ids)
    if args.format == "markdown" and not out.as_json:
        sys.stdout.write(report.matrix_markdown(matrix, index.title))
    else:
        out.show(lambda: render.matrix(matrix), lambda: export.matrix(matrix))
    return OK


def cmd_similar(args: argparse.Namespace, index: CatalogIndex, out: Output) -> int:
    company = resolve_company(index, args.company, out)
    found = index.similar(company.id, limit=max(args.limit, 1))
    data = {
        "company": export.company_ref(company),
        "similar": [export.similarity(s) for s in found],
    }
    if not found and not out.as_json:
        out.hint(f"{company.name} shares no technology with any other company")
    out.show(render.similar_table(found), data)
    return OK


def cmd_related(args: argparse.Namespace, index: CatalogIndex, out: Output) -> int:
    tech = resolve_technology(index, args.technology, out)
    found = index.related(tech.id, limit=max(args.limit, 1))
    data = {
        "technology": export.technology_ref(tech),
        "related": [export.companion(c) for c in found],
    }
    out.show(render.companion_table(found), data)
    return OK


def cmd_stats(args: argparse.Namespace, index: CatalogIndex, out: Output) -> int:
    from hlexplore.cli import charts
    from hlexplore.index.insight import Insight

    view = Insight(index, this_year=date.today().year)
    category = None
    if args.category:
        known = view.categories_in_use()
        matching = [c for c in known if fold(c) == fold(args.category)]
        if not matching:
            out.fail(
                "not_found",
                f"no technology in use has the category {args.category!r}",
                FAILED,
                (f"categories in use: {', '.join(known)}",),
                name=args.category,
                suggestions=known,
            )
        category = matching[0]
    top, stale = max(args.top, 1), max(args.stale_years, 0)
    found = index.stats()
    out.show(
        lambda: charts.insight(found, view, category, top, stale),
        lambda: {**export.stats(found), "insight": export.insight(view, category, top, stale)},
    )
    return OK


def cmd_check_links(args: argparse.Namespace, index: CatalogIndex, out: Output) -> int:
    from hlexplore.cli.check_links import check_links

    return check_links(args, index.catalog, out)


def cmd_add_company(args: argparse.Namespace, out: Output) -> int:
    from hlexplore.cli.add_company import add_company
    from hlexplore.user.paths import UserPaths

    target = args.file or UserPaths.default().catalogs_dir / "mine.toml"
    if not out.as_json:
        return add_company(args, open_catalog(args, out), target, lambda message: print(clean(message)))

    def added(company: Any) -> None:
        answer = {
            "file": str(target),
            "added": {"id": company.id, "name": company.name, "url": company.url},
            "stack": [item.tech for item in company.stack],
        }
        write_json(answer)

    code = add_company(args, open_catalog(args, out), target, out.hint, added)  # talk on stderr
    if code != OK:
        out.fail("not_added", "nothing was added", code)
    return code


def cmd_paths(args: argparse.Namespace, out: Output) -> int:
    from hlexplore.user.paths import UserPaths

    places = UserPaths.default().describe()
    table = render.two_columns([(what, str(path)) for what, path in places])
    out.show(table, {what.replace(" ", "_"): str(path) for what, path in places})
    return OK


def cmd_config(args: argparse.Namespace, out: Output) -> int:
    from hlexplore.user.config import EXAMPLE, effective, load_config
    from hlexplore.user.paths import UserPaths

    path = UserPaths.default().config_file
    if args.edit:
        return _edit(path, EXAMPLE, out)
    config = load_config(path)
    if config.theme or config.keymap:  # what the explorer would warn about (it needs Textual to know)
        from hlexplore.app.factory import problems_without_an_app

        config.problems += problems_without_an_app(config)
    values = effective(config)
    rows = [(name, f"{_shown(value)}   ({config.sources[name]})") for name, value in values.items()]
    data = {
        "file": str(path),
        "exists": path.exists(),
        "values": values,
        "sources": config.sources,
        "problems": config.problems,
    }
    if not out.as_json:
        out.line(
            f"{path}{'' if path.exists() else ' (not created yet: `hlexplore config --edit` creates it)'}"
        )
    out.show(render.two_columns(rows), data)
    for problem in config.problems:
        out.error(problem)
    return FAILED if config.problems else OK


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} = {v}" for k, v in value.items()) or "(none)"
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _edit(path: Path, example: str, out: Output) -> int:
    import os
    import shlex

    from hlexplore.files import write_atomically

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, example)
        out.hint(f"created {path} with commented examples")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        out.error(f"no $EDITOR is set; edit {path} with any text editor")
        return FAILED
    if not _has_terminal():
        out.error(
            f"config --edit needs a terminal for the editor ({editor}); edit {path} with any text editor"
        )
        return FAILED
    try:
        code = subprocess.call([*shlex.split(editor), str(path)])
    except (OSError, ValueError) as error:
        why = getattr(error, "strerror", None) or str(error)
        out.error(f"could not start the editor {editor!r}: {why}; edit {path} by hand")
        return FAILED
    if code != 0:
        out.error(f"the editor {editor!r} ended with exit status {code}; {path} is as the editor left it")
        return FAILED
    return OK


def cmd_validate(args: argparse.Namespace, out: Output) -> int:
    """Each file on its own: a file with [meta] is a whole catalog; one without is checked as a user
    catalog merged over the bundled one. With no files: the bundled catalog, the user's catalogs
    folder, and every --catalog."""
    from hlexplore.catalog.merge import folder_problem, load_merged, user_catalog_files
    from hlexplore.user.paths import UserPaths

    given = list(getattr(args, "catalog", None) or [])
    reports: list[dict[str, Any]] = []
    code = OK
    if args.files:
        paths = list(args.files)
    else:
        folder = UserPaths.default().catalogs_dir
        paths = [bundled_catalog_path(), *user_catalog_files(folder), *given]
        if getattr(args, "only", False):
            paths = given
        elif problem := folder_problem(folder):  # (a folder that cannot be read is a problem too)
            code = FAILED
            reports.append({"file": str(folder), "valid": False, "problems": [problem]})
            if not out.as_json:
                out.error(problem)
    for path in paths:
        try:
            data, _text = read_toml(path)
            if "meta" in data:
                catalog, how = load_catalog(path), "catalog"
            else:
                catalog, how = load_merged([path]).catalog, "user catalog, merged over the bundled one"
        except CatalogError as error:
            code = FAILED
            reports.append({"file": str(path), "valid": False, "problems": [str(p) for p in error.problems]})
            if not out.as_json:
                for each in error.problems:
                    out.error(str(each))
                out.hint(error.summary())
            continue
        counts = {
            "companies": len(catalog.companies),
            "technologies": len(catalog.technologies),
            "references": len(catalog.references),
        }
        reports.append({"file": str(path), "valid": True, "as": how, **counts})
        if not out.as_json:
            out.line(
                f"{path}: valid {how} ({counts['companies']} companies, {counts['technologies']} "
                f"technologies, {counts['references']} references)",
                style="green",
            )
    if out.as_json:
        out.show(Text(""), {"files": reports})
    return code


def cmd_import(args: argparse.Namespace, out: Output) -> int:
    """The catalog made from a Markdown list: TOML to stdout or -o; with --json, a report instead (what
    was imported, every note with its line, where the TOML went, or the TOML itself)."""
    try:
        text = read_regular(args.file, MAX_CATALOG_BYTES).decode("utf-8")
    except FileRefused as refused:
        code = "not_found" if refused.why == "missing" else "unreadable"
        out.fail(code, f"{args.file}: {refused.reason}", FAILED, name=str(args.file))
    except UnicodeDecodeError as error:
        message = f"{args.file}: is not UTF-8 text (byte {error.start + 1})"
        out.fail("unreadable", message, FAILED, name=str(args.file))
    known = open_catalog(args, out)
    from hlexplore.catalog.importers.markdown import import_markdown  # only this command needs it
    from hlexplore.catalog.writer import dump_catalog

    result = import_markdown(text, known, title=args.title or args.file.stem)
    for note in result.notes:
        if note.level != "info" or not args.json:
            out.hint(note.format(str(args.file)))
    header = f"Imported from {args.file.name} by hlexplore import-markdown."
    toml = dump_catalog(result.catalog, header)
    if args.output:
        try:
            args.output.write_text(toml, encoding="utf-8")
        except OSError as error:
            out.fail("unwritable", f"{args.output}: not written ({error.strerror or error})", FAILED)
        out.hint(f"wrote {args.output}")
    elif not out.as_json:
        sys.stdout.write(toml)
    catalog = result.catalog
    out.hint(
        f"{count(len(catalog.companies), 'company')}, {count(len(catalog.technologies), 'technology')}, "
        f"{count(len(catalog.references), 'reference')}; {count(len(result.unresolved), 'item')} need a look"
    )
    if out.as_json:
        report = {
            "file": str(args.file),
            "output": str(args.output) if args.output else None,
            "counts": {
                "companies": len(catalog.companies),
                "technologies": len(catalog.technologies),
                "references": len(catalog.references),
                "need_a_look": len(result.unresolved),
            },
            "notes": [{"line": n.line, "level": n.level, "message": n.message} for n in result.notes],
            "toml": None if args.output else toml,
        }
        write_json(report)
    return OK


INDEX_COMMANDS = {
    "search": cmd_search,
    "show": cmd_show,
    "who-uses": cmd_who_uses,
    "compare": cmd_compare,
    "similar": cmd_similar,
    "related": cmd_related,
    "stats": cmd_stats,
    "check-links": cmd_check_links,
}


def run(args: argparse.Namespace, out: Output) -> int:
    try:
        if args.command == "add-company":
            return cmd_add_company(args, out)
        if args.command == "paths":
            return cmd_paths(args, out)
        if args.command == "config":
            return cmd_config(args, out)
        if args.command == "validate":
            return cmd_validate(args, out)
        if args.command == "import-markdown":
            return cmd_import(args, out)
        if getattr(args, "only", False) and not getattr(args, "catalog", None):
            out.fail("usage", "--only needs at least one --catalog PATH", USAGE)
        index = open_index(args, out)
        return INDEX_COMMANDS[args.command](args, index, out)
    except Stop as stop:
        return stop.code
    except CatalogError as error:
        return _invalid_catalog(error, out)


def _invalid_catalog(error: CatalogError, out: Output) -> int:
    try:
        out.fail(
            "invalid_catalog",
            error.summary(),
            FAILED,
            tuple(str(p) for p in error.problems),
            problems=[str(p) for p in error.problems],
        )
    except Stop as stop:
        return stop.code
