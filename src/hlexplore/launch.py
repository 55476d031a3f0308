"""Opening the explorer from the command line. Imports only what the first frame needs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.merge import load_merged
from hlexplore.text import clean
from hlexplore.user.paths import UserPaths


def _announce(path: Path, size: int) -> None:
    from hlexplore.catalog.cache import first_read_message

    message = first_read_message(path, size)
    if message:
        print(clean(message), file=sys.stderr, flush=True)


def launch(args: argparse.Namespace) -> int:
    try:
        paths = UserPaths.default()
        loaded = load_merged(
            args.catalog or [],
            paths.catalogs_dir,
            only=args.only,
            cache_dir=paths.catalog_cache_dir,
            announce=_announce,
        )
    except CatalogError as error:
        for problem in error.problems:
            print(clean(str(problem)), file=sys.stderr)
        print(f"{clean(error.summary())}; `hlexplore validate` lists them", file=sys.stderr)
        return 1
    catalog = loaded.catalog
    compare = None
    if args.compare:
        from hlexplore.cli.commands import Output, Stop, resolve_companies
        from hlexplore.index import CatalogIndex

        try:
            compare = resolve_companies(CatalogIndex(catalog), args.compare, Output(as_json=False))
        except Stop as stop:
            return stop.code
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        print(
            "hlexplore's explorer needs a terminal; use a subcommand (see `hlexplore --help`).",
            file=sys.stderr,
        )
        return 1
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        print(
            "hlexplore's explorer needs a terminal that understands escape sequences "
            f"(TERM={os.environ['TERM']}); set TERM (e.g. xterm-256color) or use a subcommand "
            "(see `hlexplore --help`).",
            file=sys.stderr,
        )
        return 1
    from hlexplore.app.factory import make_app

    app = make_app(catalog, compare=compare, fresh=args.fresh, loaded=loaded)
    app.run()
    return app.return_code or 0
