"""The command line's grammar: one parser, a subcommand per question."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

DESCRIPTION = """Explore how high-load backends were built: companies, the technologies in their
stacks, and the articles and talks behind them. With no command, opens the explorer."""

EPILOG = """examples:
  hlexplore who-uses redis
  hlexplore compare twitter facebook --json
  hlexplore compare instagram pinterest tumblr --format markdown > stacks.md
  hlexplore --compare instagram pinterest
  hlexplore show instagram
  hlexplore search "^my" --kind technology"""


class _Version(argparse.Action):
    """--version, with the version looked up only when asked for (it is slow to find)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from hlexplore import __version__

        print(f"hlexplore {__version__}")
        parser.exit()


def _count(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `least` (else a usage error, exit 2, saying so)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be {least} or more, not {value}")
        return value

    return parse


POSITIVE, NON_NEGATIVE = _count(1), _count(0)


def _common() -> Parser:
    common = Parser(add_help=False)
    common.add_argument(
        "--catalog",
        metavar="PATH",
        type=Path,
        action="append",
        default=argparse.SUPPRESS,
        help="merge this catalog file over the bundled one (repeatable; see --only)",
    )
    common.add_argument(
        "--only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use only the --catalog files: not the bundled catalog, nor those in your catalogs folder",
    )
    # SUPPRESS: given before the subcommand (`hlexplore --json show x`), it is not reset here.
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON for scripts"
    )
    return common


class UsageError(Exception):
    """What argparse found wrong with the arguments (its usage line, then why), for the caller to say."""

    def __init__(self, usage: str, message: str) -> None:
        super().__init__(message)
        self.usage, self.message = usage, message


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is raised (UsageError) instead of printed and exited, so that with
    --json it can be answered as JSON too. Subcommands' parsers are of this class as well."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self.format_usage(), f"{self.prog}: error: {message}")


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = Parser(
        prog="hlexplore",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.add_argument(
        "--json", action="store_true", help="print JSON for scripts (before or after the command)"
    )
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        type=Path,
        action="append",
        help="merge this catalog file over the bundled one (repeatable; see --only)",
    )
    parser.add_argument(
        "--only",
        action="store_true",
        help="use only the --catalog files: not the bundled catalog, nor those in your catalogs folder",
    )
    parser.add_argument(
        "--compare",
        nargs="+",
        metavar="COMPANY",
        help="open the explorer straight into a comparison of these companies (two or more)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="start the explorer afresh instead of where you left it (filters, pane, highlighted entries)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=help_text, description=help_text)

    search = add("search", "fuzzy search across companies, technologies and references")
    search.add_argument("query", help="words to find; fzf operators work: 'exact ^prefix suffix$ !not a|b")
    search.add_argument("--kind", choices=["company", "technology", "reference"], help="only this kind")
    search.add_argument(
        "--limit", type=POSITIVE, default=20, metavar="N", help="at most N results (default 20)"
    )

    show = add("show", "everything about one company, technology or reference")
    show.add_argument("name", help="a name, id or alias (case-insensitive, near misses suggested)")

    who = add("who-uses", "the companies that use a technology")
    who.add_argument("technology", help="a technology's name, id or alias (e.g. memcached, my-sql)")

    compare = add(
        "compare", "two companies' stacks side by side; three or more as a technology × company matrix"
    )
    compare.add_argument("companies", nargs="+", metavar="COMPANY", help="two or more companies")
    compare.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="text (default; plain when piped), markdown (a document to paste or save), or json",
    )

    similar = add("similar", "companies whose stacks are most like this one's")
    similar.add_argument("company", help="a company's name or id")
    similar.add_argument(
        "--limit", type=POSITIVE, default=10, metavar="N", help="at most N companies (default 10)"
    )

    related = add("related", "technologies most often used together with this one")
    related.add_argument("technology", help="a technology's name, id or alias")
    related.add_argument("--limit", type=POSITIVE, default=10, metavar="N", help="at most N (default 10)")

    stats = add(
        "stats",
        "the catalog at a glance: most used technologies, where stacks are heavy, what is used together, "
        "references over time, and catalog health",
    )
    stats.add_argument("--category", metavar="CATEGORY", help="most used technologies of this category only")
    stats.add_argument("--top", type=POSITIVE, default=15, metavar="N", help="the N most used (default 15)")
    stats.add_argument(
        "--stale-years",
        type=NON_NEGATIVE,
        default=10,
        metavar="N",
        help="references older than N years count as stale (default 10)",
    )

    links = add(
        "check-links",
        "check every link of the catalogs (follows redirects; results kept for the explorer); "
        "exit 1 when a link is broken",
    )
    links.add_argument(
        "--only-unresolved",
        action="store_true",
        help="only short links with no recorded destination (follows them to where they lead now)",
    )
    links.add_argument(
        "--concurrency", type=POSITIVE, default=8, metavar="N", help="at most N requests at once (default 8)"
    )
    links.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="give up on a link after S seconds (default 10)",
    )

    validate = add("validate", "check catalog files and report every problem with its place")
    validate.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="catalog files (default: the --catalog one, or the bundled catalog)",
    )

    adder = add("add-company", "add a company and its stack to your own catalog, answering a few questions")
    adder.add_argument(
        "--file",
        type=Path,
        metavar="PATH",
        help="the catalog file to add it to (default: mine.toml in your catalogs folder)",
    )

    add("paths", "where hlexplore keeps your preferences, bookmarks, notes, history and catalogs")

    config = add("config", "show or edit your preferences (a TOML file)")
    what = config.add_mutually_exclusive_group()
    what.add_argument(
        "--show", action="store_true", help="the values in effect and where each came from (default)"
    )
    what.add_argument(
        "--edit", action="store_true", help="open the file in $EDITOR (created with examples if missing)"
    )

    importer = add("import-markdown", "turn a markdown architecture list into a catalog")
    importer.add_argument("file", type=Path, help="the markdown list")
    importer.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT.toml",
        help="write the catalog here (default: standard output)",
    )
    importer.add_argument("--title", default="", help="the new catalog's title")
    return parser
