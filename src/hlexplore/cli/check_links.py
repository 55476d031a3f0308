"""`hlexplore check-links`: check every address of the catalogs, with progress, summary and stored results."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hlexplore.catalog.models import Catalog, Kind
from hlexplore.cli.render import plain
from hlexplore.links.check import OUTCOMES, LinkCheck, LinkTarget, check_all, summary, targets
from hlexplore.links.store import LinkHealth
from hlexplore.user.paths import UserPaths

OUTCOME_STYLE = {
    "alive": "green",
    "redirected": "cyan",
    "dead": "red",
    "timeout": "yellow",
    "refused": "red",
    "error": "red",
}
LISTED = 40  # broken links listed in the text output (--json has them all)


def run_checks(
    found: list[LinkTarget], concurrency: int, timeout: float, out: Any
) -> tuple[list[LinkCheck], bool]:
    """Check with a progress bar on standard error; on ctrl+c keep what was checked. (results, interrupted)"""
    done: list[LinkCheck] = []
    bar = Progress(
        TextColumn("checking links"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=out.err,
        transient=True,
    )
    task = bar.add_task("links", total=len(found), counts="")

    def seen(result: LinkCheck, progress: Any) -> None:
        done.append(result)
        counts = " ".join(f"{k} {v}" for k, v in sorted(progress.counts.items()))
        bar.update(task, completed=progress.finished, counts=counts)

    with bar:
        try:
            asyncio.run(check_all(found, concurrency, timeout, seen))
        except KeyboardInterrupt:
            return done, True
    return done, False


def check_links(args: argparse.Namespace, catalog: Catalog, out: Any) -> int:
    found = targets([catalog], only_unresolved=args.only_unresolved)
    if not found:
        what = "short link without a recorded destination" if args.only_unresolved else "link"
        out.show(plain(f"No {what} to check."), {"summary": summary([]), "results": []})
        return 0
    health = LinkHealth(UserPaths.default().links_file)
    results, interrupted = run_checks(found, max(1, args.concurrency), max(0.1, args.timeout), out)
    health.record(results)
    for warning in health.warnings:
        out.hint(warning)
    carriers = {(t.url, t.short): t.entries for t in found}
    counts = summary(results)
    data = {
        "checked_at": health.last_checked(),
        "complete": not interrupted,
        "stored_in": str(health.store.path),
        "summary": counts,
        "results": [
            {**r.to_data(), "entries": [f"{k}:{i}" for k, i in carriers.get((r.url, r.short), ())]}
            for r in results
        ],
    }
    out.show(_report(results, counts, catalog, carriers, interrupted, len(found)), data)
    if results and not any(counts[k] for k in ("alive", "redirected", "dead")):
        out.hint("no link answered at all: is this machine offline, or behind a proxy ($HTTPS_PROXY)?")
    if interrupted:
        out.hint(f"interrupted: {len(results)} of {len(found)} links checked and stored")
        return 130
    return 1 if any(r.broken and not r.short for r in results) else 0


def _report(
    results: list[LinkCheck],
    counts: dict[str, int],
    catalog: Catalog,
    carriers: Mapping[tuple[str, bool], tuple[tuple[Kind, str], ...]],
    interrupted: bool,
    total: int,
) -> Group:
    names: dict[tuple[Kind, str], str] = {(e.kind, e.id): e.name for e in catalog.entries()}
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(justify="right")
    table.add_column()
    for outcome in OUTCOMES:
        table.add_row(plain(str(counts[outcome])), plain(outcome, OUTCOME_STYLE[outcome]))
    for label in ("short links no longer resolving", "short links not reached"):
        table.add_row(plain(str(counts[label])), plain(label, "dim"))
    broken = [r for r in results if r.broken and not r.short]
    lines: list[RenderableType] = [
        plain(f"{len(results)} of {total} links checked{' (interrupted)' if interrupted else ''}"),
        table,
    ]
    if broken:
        lines.append(plain("\nBroken links", "bold"))
        for result in broken[:LISTED]:
            carried = ", ".join(names.get(c, c[1]) for c in carriers.get((result.url, False), ()))
            lines.append(plain(f"{result.describe()}  {result.url}", OUTCOME_STYLE[result.outcome]))
            lines.append(plain(f"    in {carried}", "dim"))
        if len(broken) > LISTED:
            lines.append(plain(f"… and {len(broken) - LISTED} more (--json lists them all)", "dim"))
    return Group(*lines)
