"""Link health: which addresses to check, and checking them (async, bounded concurrency, every outcome named).

Only http(s) addresses are requested, redirects are followed one hop at a time (so loops and redirects to
forbidden addresses are caught), and nothing here runs unless the user asked for a check.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from hlexplore.catalog.models import Catalog, Kind
from hlexplore.catalog.urls import is_short_link, url_problem
from hlexplore.text import clean

OUTCOMES = ("alive", "redirected", "dead", "timeout", "refused", "error")
BROKEN = frozenset({"dead", "timeout", "refused", "error"})
MAX_REDIRECTS = 10
USER_AGENT = "Mozilla/5.0 (compatible; hlexplore link check)"


@dataclass(frozen=True, slots=True)
class LinkTarget:
    url: str
    entries: tuple[tuple[Kind, str], ...]  # the catalog entries that carry the address
    short: bool = False  # a short link whose destination is recorded: only asked whether it still resolves


@dataclass(frozen=True, slots=True)
class LinkCheck:
    url: str
    outcome: str  # one of OUTCOMES
    status: int | None = None
    final_url: str = ""
    redirects: int = 0
    seconds: float = 0.0
    detail: str = ""
    checked_at: str = ""  # ISO 8601, UTC
    short: bool = False

    @property
    def broken(self) -> bool:
        return self.outcome in BROKEN

    def describe(self) -> str:
        """`dead (404)`, `redirected to …`, `timed out after 10 s`: the outcome in a few words."""
        if self.short and self.outcome in ("redirected", "dead", "alive"):
            return "short link " + (
                "still resolves" if self.outcome == "redirected" else "no longer resolves"
            )
        words = {"timeout": "timed out", "refused": "connection refused"}.get(self.outcome, self.outcome)
        if self.status and self.outcome in ("alive", "dead"):
            words += f" ({self.status})"
        if self.detail and self.outcome not in ("timeout", "refused"):
            words += f": {self.detail}"
        return words

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: Any) -> LinkCheck | None:
        """A stored result, or None when it is not one this version wrote: every field of its type, and
        texts of sane length (cleaned, as text from any file is)."""
        if not isinstance(data, dict) or not data.keys() <= _FIELD_TYPES.keys():
            return None
        for name, value in data.items():
            kind = _FIELD_TYPES[name]
            if value is None and name == "status":
                continue
            if (type(value) is bool and kind is not bool) or not isinstance(value, kind):
                return None
            if isinstance(value, str) and len(value) > STORED_TEXT:
                return None
        try:
            fields: dict[str, Any] = {k: clean(v) if isinstance(v, str) else v for k, v in data.items()}
            check = cls(**fields)
        except TypeError:  # a field missing
            return None
        if check.outcome not in OUTCOMES:
            return None
        return check


STORED_TEXT = 8_192  # characters of a stored address or detail
_FIELD_TYPES: dict[str, Any] = {
    "url": str,
    "outcome": str,
    "status": int,
    "final_url": str,
    "redirects": int,
    "seconds": (int, float),
    "detail": str,
    "checked_at": str,
    "short": bool,
}


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def targets(catalogs: Iterable[Catalog], only_unresolved: bool = False) -> list[LinkTarget]:
    """Every distinct address in the catalogs, each with the entries that carry it.

    An entry's resolved address is checked where it leads; its short link is asked only whether it still
    redirects. A short link with no recorded destination is followed to wherever it leads now.
    With only_unresolved, just those: short links without a recorded destination.
    """
    found: dict[tuple[str, bool], list[tuple[Kind, str]]] = {}
    for catalog in catalogs:
        for entry in catalog.entries():
            url, short_url = entry.url, entry.short_url
            unresolved = bool(url) and is_short_link(url)
            if only_unresolved and not unresolved:
                continue
            if url and not url_problem(url):
                found.setdefault((url, False), []).append((entry.kind, entry.id))
            if not only_unresolved and short_url and short_url != url and not url_problem(short_url):
                found.setdefault((short_url, True), []).append((entry.kind, entry.id))
    return [LinkTarget(url, tuple(dict.fromkeys(entries)), short) for (url, short), entries in found.items()]


def _causes(error: BaseException | None) -> Iterator[BaseException]:
    """The error and those it was raised from or during (httpx wraps the socket's own)."""
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def _host_not_found(error: BaseException) -> bool:
    return any(isinstance(e, socket.gaierror) for e in _causes(error))


def _refused(error: BaseException) -> bool:
    return any(
        isinstance(e, ConnectionRefusedError)
        or getattr(e, "errno", None) == errno.ECONNREFUSED
        or "refused" in str(e).lower()
        for e in _causes(error)
    )


async def check_one(client: Any, target: LinkTarget, timeout: float) -> LinkCheck:
    """Request target.url (GET, body not read), following redirects by hand; never raises."""
    import httpx

    started = time.monotonic()
    url, seen, hops = target.url, {target.url}, 0

    def done(outcome: str, **fields: Any) -> LinkCheck:
        return LinkCheck(
            target.url,
            outcome,
            redirects=hops,
            seconds=round(time.monotonic() - started, 3),
            checked_at=now(),
            short=target.short,
            **fields,
        )

    async def walk() -> LinkCheck:
        nonlocal url, hops
        while True:
            request = client.build_request("GET", url, headers={"User-Agent": USER_AGENT})
            response = await client.send(request, stream=True, follow_redirects=False)
            await response.aclose()
            status = response.status_code
            if response.is_redirect:
                location = str(response.url.join(response.headers.get("location", "")))
                if target.short:
                    return done("redirected", status=status, final_url=location)
                if location in seen:
                    return done("dead", status=status, final_url=location, detail="redirect loop")
                problem = url_problem(location)
                if problem:
                    return done(
                        "dead",
                        status=status,
                        final_url=location,
                        detail=f"redirects to a link that {problem}",
                    )
                if hops >= MAX_REDIRECTS:
                    return done("dead", status=status, final_url=location, detail="too many redirects")
                seen.add(location)
                url, hops = location, hops + 1
                continue
            if status >= 400:
                return done("dead", status=status, final_url=url)
            return done("redirected" if hops else "alive", status=status, final_url=url)

    try:
        return await asyncio.wait_for(walk(), timeout)
    except (asyncio.TimeoutError, httpx.TimeoutException):
        return done("timeout", final_url=url, detail=f"no answer within {timeout:g} s")
    except httpx.HTTPError as error:
        if _refused(error):
            return done("refused", final_url=url, detail="connection refused")
        if _host_not_found(error) or "name or service not known" in str(error).lower():
            return done("error", final_url=url, detail="host not found")
        return done("error", final_url=url, detail=str(error) or type(error).__name__)
    except (OSError, ValueError) as error:  # e.g. an address httpx cannot parse
        return done("error", final_url=url, detail=str(error) or type(error).__name__)


@dataclass
class Progress:
    total: int
    finished: int = 0
    counts: dict[str, int] = field(default_factory=dict)


async def check_all(
    found: list[LinkTarget],
    concurrency: int = 8,
    timeout: float = 10.0,
    on_result: Callable[[LinkCheck, Progress], None] | None = None,
) -> list[LinkCheck]:
    """Check every target, at most `concurrency` at a time; results in the order of `found`.

    Cancelling the task that awaits this cancels the requests in flight; results already reported through
    on_result stand.
    """
    import httpx

    progress = Progress(len(found))
    gate = asyncio.Semaphore(max(1, concurrency))
    limits = httpx.Limits(max_connections=max(1, concurrency), max_keepalive_connections=max(1, concurrency))
    async with httpx.AsyncClient(timeout=timeout, limits=limits, verify=True) as client:

        async def one(target: LinkTarget) -> LinkCheck:
            async with gate:
                result = await check_one(client, target, timeout)
            progress.finished += 1
            progress.counts[result.outcome] = progress.counts.get(result.outcome, 0) + 1
            if on_result:
                on_result(result, progress)
            return result

        return list(await asyncio.gather(*(one(t) for t in found)))


def summary(results: Iterable[LinkCheck]) -> dict[str, int]:
    """How many links ended each way; short links apart: answered without redirecting, or not reached."""
    counts = dict.fromkeys(OUTCOMES, 0)
    short_dead = short_unreached = 0
    for result in results:
        if not result.short:
            counts[result.outcome] += 1
        elif result.outcome in ("dead", "alive"):
            short_dead += 1
        elif result.outcome != "redirected":
            short_unreached += 1
    return {
        **counts,
        "short links no longer resolving": short_dead,
        "short links not reached": short_unreached,
    }
