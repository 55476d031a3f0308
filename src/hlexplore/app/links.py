"""How links leave the explorer: http(s) only, dead short links via the archive, never blocking the UI."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from hlexplore.catalog.models import Entry, Reference, Technology
from hlexplore.catalog.urls import archive_url, is_short_link, url_problem
from hlexplore.links.check import LinkCheck


@dataclass(frozen=True, slots=True)
class LinkPlan:
    url: str
    why: str = ""  # why the archived copies open instead of the link: "is a dead short link …"
    archived: bool = False  # the address is the archive's copies of the link
    refused: str = ""  # why it will not be opened


def entry_url(entry: Entry) -> str:
    return entry.url or entry.short_url


def link_name(entry: Entry) -> str:
    """What an entry's link is, in words: `Instagram's source`, `Redis's home page`, `“Scaling Pinterest”`."""
    if isinstance(entry, Reference):
        return f"“{entry.title}”"
    what = "home page" if isinstance(entry, Technology) else "source"
    return f"{entry.name}'s {what}"


def plan_open(entry: Entry, archived: bool = False, health: LinkCheck | None = None) -> LinkPlan:
    """Which address to open for an entry: the resolved one, or the archive for a dead short link or for
    a link that was broken at its last check (health). Enter on the details' link row opens it anyway."""
    url = entry_url(entry)
    if not url:
        return LinkPlan("", refused="it has no link")
    problem = url_problem(url)
    if problem:
        return LinkPlan(url, refused=f"its link {problem}")
    copies = archive_url(entry.short_url or url)
    if archived:
        return LinkPlan(copies, archived=True)
    if health is not None and health.broken and health.url == url:
        return LinkPlan(copies, f"was {health.describe()} when checked on {health.checked_at[:10]}", True)
    if is_short_link(url):
        return LinkPlan(copies, "is a dead short link that was never resolved", True)
    return LinkPlan(url)


def plan_sentence(entry: Entry, plan: LinkPlan, doing: str = "Opening") -> str:
    """One plain sentence saying what is opened (or copied), and why it is not the link itself."""
    name = link_name(entry)
    if plan.why:
        return f"{name[0].upper()}{name[1:]} {plan.why}: {doing.lower()} its archived copies, {plan.url}"
    if plan.archived:
        return f"{doing} the archived copies of {name}: {plan.url}"
    return f"{doing} {name}: {plan.url}"


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
