"""Which links hlexplore will store and open: http(s) only, nothing that can surprise a browser."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, repeat
from operator import add
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
# The common shape, which the checks below would pass: http(s), a plain host name (so no credentials),
# and nothing forbidden after it. Checked first because a large catalog holds hundreds of thousands.
_PLAIN = re.compile(r"(?i:https?)://[A-Za-z0-9.-]*[A-Za-z0-9](?::[0-9]*)?(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?")


def url_problem(url: str) -> str | None:
    """Why url must not be stored or opened, or None when it is a plain http(s) link."""
    if len(url) > MAX_URL_LENGTH:
        return f"is {len(url)} characters long (at most {MAX_URL_LENGTH})"
    if _PLAIN.fullmatch(url):
        return None
    return _parsed_problem(url)


def _parsed_problem(url: str) -> str | None:
    if _FORBIDDEN.search(url):
        return "contains whitespace or control characters"
    try:
        parts = urlsplit(url)
    except ValueError as error:
        return f"cannot be parsed ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme or "no scheme"
        return f"is not an http(s) link ({shown})"
    if not parts.hostname:
        return "has no host"
    if parts.username is not None or parts.password is not None:
        return "embeds credentials"
    return None


SHORT_HOSTS = ("goo.gl", "bit.ly", "t.co")
_MAYBE_SHORT = re.compile("|".join(map(re.escape, SHORT_HOSTS)), re.IGNORECASE)


def is_short_link(url: str) -> bool:
    """Whether the link is a URL shortener's (its host one of SHORT_HOSTS). Looked for as text first: a
    host the URL does not even contain cannot be its host (300,000 links split in 2.5 s, searched in 0.1)."""
    return _MAYBE_SHORT.search(url) is not None and urlsplit(url).hostname in SHORT_HOSTS


def short_links(urls: Sequence[str]) -> list[int]:
    """The positions of the links in urls that is_short_link says are a shortener's: the hosts looked for
    in all of them at once, lowered, at C speed (a search per link took 0.23 s for 300,000, with none
    found), then each link containing one split. (A host cannot span two links: it holds no separator.)"""
    lowered = list(map(str.lower, urls))
    starts = list(accumulate(map(add, map(len, lowered), repeat(1)), initial=0))
    text = "\n".join(lowered)
    candidates = set()
    for host in SHORT_HOSTS:
        at = text.find(host)
        while at >= 0:
            candidates.add(bisect_right(starts, at) - 1)
            at = text.find(host, at + 1)
    return [at for at in sorted(candidates) if is_short_link(urls[at])]


def archive_url(url: str) -> str:
    """The Wayback Machine's index of copies of url."""
    return f"https://web.archive.org/web/*/{url}"


def site_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
