"""How links leave the explorer: http(s) only, dead short links via the archive, never blocking the UI."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from hlexplore.catalog.models import Entry
from hlexplore.catalog.urls import archive_url, is_short_link, url_problem
from hlexplore.links.check import LinkCheck


@dataclass(frozen=True, slots=True)
class LinkPlan:
    url: str
    note: str = ""  # said to the user when the address is not the obvious one
    refused: str = ""  # why it will not be opened


def entry_url(entry: Entry) -> str:
    return entry.url or entry.short_url


def plan_open(entry: Entry, archived: bool = False, health: LinkCheck | None = None) -> LinkPlan:
    """Which address to open for an entry: the resolved one, or the archive for a dead short link or for
    a link that was broken at its last check (health). Enter on the details' link row opens it anyway."""
    url = entry_url(entry)
    if not url:
        return LinkPlan("", refused="this entry has no link")
    problem = url_problem(url)
    if problem:
        return LinkPlan(url, refused=f"refused to open a link that {problem}")
    if archived:
        return LinkPlan(archive_url(entry.short_url or url), note="archived copies")
    if health is not None and health.broken and health.url == url:
        when = health.checked_at[:10]
        return LinkPlan(
            archive_url(entry.short_url or url), note=f"{health.describe()} on {when}; archived copies"
        )
    if is_short_link(url):
        return LinkPlan(
            archive_url(url), note="the short link is dead and was never resolved; archived copies"
        )
    return LinkPlan(url)


def graphical_browser_available() -> bool:
    """True when webbrowser can open a browser without taking over this terminal."""
    if os.environ.get("BROWSER"):
        return True  # the user's explicit choice
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


OPENER = "import sys, webbrowser; sys.exit(0 if webbrowser.open(sys.argv[1], new=2) else 3)"


def launch_browser(url: str, wait: float = 10.0) -> bool:
    """Open url with Python's webbrowser (which honours $BROWSER) in a child process. Blocking: use a thread.

    The child has no terminal: whatever the browser prints cannot garble the screen, and a console
    browser cannot take the terminal over. The address is checked again at the moment of opening.
    """
    if url_problem(url):
        return False
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", OPENER, url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    try:
        return child.wait(timeout=wait) == 0
    except subprocess.TimeoutExpired:
        return True  # webbrowser waits for some browsers to exit; a browser is running
