"""Opening the explorer from the command line. Imports only what the first frame needs."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

from hlexplore import interpreter
from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.merge import Loaded, load_merged
from hlexplore.text import clean
from hlexplore.user.paths import UserPaths

SHOW_LOADING_AFTER = 0.3  # seconds: a load quicker than this shows nothing


def _terminal_problem() -> str | None:
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        return "hlexplore's explorer needs a terminal; use a subcommand (see `hlexplore --help`)."
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        return (
            "hlexplore's explorer needs a terminal that understands escape sequences "
            f"(TERM={os.environ['TERM']}); set TERM (e.g. xterm-256color) or use a subcommand "
            "(see `hlexplore --help`)."
        )
    return None


def _load(args: argparse.Namespace, paths: UserPaths) -> Loaded | int:
    """Load the catalogs in a thread; when a large file is parsed for the first time, show that it is
    (LoadingApp) rather than a blank terminal. The exit status when the user left while it loaded (or a
    signal ended it)."""
    outcome: dict[str, object] = {}
    announced: list[tuple[Path, int, bool]] = []

    def load() -> None:
        try:
            outcome["loaded"] = load_merged(
                args.catalog or [],
                paths.catalogs_dir,
                only=args.only,
                cache_dir=paths.catalog_cache_dir,
                announce=lambda path, size, merging: announced.append((path, size, merging)),
            )
        except BaseException as error:  # handed to the main thread, which reports it
            outcome["error"] = error

    # Textual is imported first (the explorer needs it anyway): imported while a parse holds the
    # interpreter, the loading screen would come too late to be seen.
    from hlexplore.app.loading import LoadingApp

    worker = threading.Thread(target=load, name="load-catalog", daemon=True)
    worker.start()
    worker.join(SHOW_LOADING_AFTER)
    if worker.is_alive() and announced:
        loading = LoadingApp(worker, announced)
        if not loading.run():
            return loading.return_code or 130
    worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["loaded"]  # type: ignore[return-value]


def launch(args: argparse.Namespace) -> int:
    problem = _terminal_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    paths = UserPaths.default()
    try:
        loaded = _load(args, paths)
    except CatalogError as error:
        for each in error.problems:
            print(clean(str(each)), file=sys.stderr)
        print(f"{clean(error.summary())}; `hlexplore validate` lists them", file=sys.stderr)
        return 1
    if isinstance(loaded, int):
        return loaded
    interpreter.loaded()
    catalog = loaded.catalog
    compare = None
    if args.compare:
        from hlexplore.cli.commands import Output, Stop, resolve_companies
        from hlexplore.index import CatalogIndex

        try:
            index = CatalogIndex(catalog, loaded.orders)
            compare = resolve_companies(index, args.compare, Output(as_json=False))
        except Stop as stop:
            return stop.code
    from hlexplore.app.factory import make_app

    app = make_app(catalog, compare=compare, fresh=args.fresh, loaded=loaded)
    app.run()
    return app.return_code or 0
