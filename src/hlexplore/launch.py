"""Opening the explorer from the command line."""

from __future__ import annotations

import argparse
import sys


def launch(args: argparse.Namespace) -> int:
    from hlexplore.catalog.errors import CatalogError
    from hlexplore.cli.commands import Output, open_catalog

    out = Output(as_json=False)
    try:
        catalog = open_catalog(args.catalog)
    except CatalogError as error:
        for problem in error.problems:
            out.error(str(problem))
        out.hint(f"{error.summary()}; `hlexplore validate` lists them")
        return 1
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        out.error("hlexplore's explorer needs a terminal; use a subcommand (see `hlexplore --help`).")
        return 1
    from hlexplore.app.factory import make_app

    make_app(catalog).run()
    return 0
