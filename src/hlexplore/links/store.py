"""The last known health of every checked link, kept in the user's state directory (links.json)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import compress, count
from pathlib import Path
from typing import Any

from hlexplore.catalog.columns import column
from hlexplore.catalog.models import Catalog, Entry
from hlexplore.files import MiB
from hlexplore.links.check import LinkCheck
from hlexplore.user.store import JsonStore


def _keep_results(value: Any) -> tuple[list[Any], int]:
    """The results this version can read (LinkCheck.from_data), and how many it could not."""
    if not isinstance(value, list):
        raise ValueError("its results should be a list")
    kept = [check.to_data() for check in map(LinkCheck.from_data, value) if check is not None]
    return kept, len(value) - len(kept)


class LinkHealth:
    """Results by address; a newer check of an address replaces the older one, the rest are kept."""

    def __init__(self, path: Path, tell: Callable[[str], None] | None = None) -> None:
        self.store = JsonStore(path, "links", list, _keep_results, 64 * MiB, tell)
        self._results: dict[tuple[str, bool], LinkCheck] | None = None

    @property
    def warnings(self) -> list[str]:
        return self.store.warnings

    @staticmethod
    def _by_key(items: Iterable[dict[str, Any]]) -> dict[tuple[str, bool], LinkCheck]:
        """The results as the store kept them (each one checked by _keep_results as it was read)."""
        checks = (LinkCheck(**item) for item in items)
        return {(check.url, check.short): check for check in checks}

    def results(self) -> dict[tuple[str, bool], LinkCheck]:
        if self._results is None:
            self._results = self._by_key(self.store.load())
        return self._results

    def get(self, url: str, short: bool = False) -> LinkCheck | None:
        return self.results().get((url, short)) if url else None

    def record(self, checks: Iterable[LinkCheck]) -> None:
        new = {(c.url, c.short): c for c in checks}

        def merge(stored: list[Any]) -> list[Any]:
            merged = {**self._by_key(stored), **new}
            return [c.to_data() for c in merged.values()]

        self._results = self._by_key(self.store.update(merge))

    def last_checked(self) -> str:
        return max((c.checked_at for c in self.results().values()), default="")


def health_of(entry: Entry, health: LinkHealth) -> LinkCheck | None:
    """The last check of the address the explorer opens for entry (its resolved one, else its short one)."""
    return health.get(entry.url or entry.short_url)


def broken_entries(catalog: Catalog, health: LinkHealth) -> list[tuple[Entry, LinkCheck]]:
    """Entries whose link was broken at its last check, in catalog order (each kind's addresses looked
    up at C speed, from the columns: a large catalog has 410,000 entries, and few links are broken)."""
    broken = {url for (url, short), check in health.results().items() if check.broken and not short}
    found: list[tuple[Entry, LinkCheck]] = []
    if not broken:
        return found
    for entries in (catalog.companies, catalog.technologies, catalog.references):
        # what health_of looks up: the resolved address, else the short one
        urls, shorts = column(entries, "url"), column(entries, "short_url")
        by_url = compress(count(), map(broken.__contains__, urls))
        by_short = (at for at in compress(count(), map(broken.__contains__, shorts)) if not urls[at])
        for at in sorted({*by_url, *by_short}):
            entry = entries[at]
            check = health_of(entry, health)
            if check is not None:
                found.append((entry, check))
    return found
