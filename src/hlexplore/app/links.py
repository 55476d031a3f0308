"""How links leave the explorer: http(s) only, dead short links via the archive, never blocking the UI."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.app import App

from hlexplore.app.messages import say
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


def open_entry(app: App[Any], entry: Entry, archived: bool = False, health: LinkCheck | None = None) -> None:
    """Open an entry's link as plan_open says (health: its last check, if it is to be heeded): in a new
    tab of the user's browser when served to one, else with the local browser, in a worker thread."""
    plan = plan_open(entry, archived=archived, health=health)
    if plan.refused:
        say(app, f"Not opened: {link_name(entry)} was not opened because {plan.refused}.", "error")
        return
    if app.is_web:
        app.open_url(plan.url)
        return
    if not graphical_browser_available():
        say(
            app,
            f"No browser here (no $BROWSER and no display), so {link_name(entry)} was not opened; "
            f"y copies it: {plan.url}",
            "warning",
            timeout=10,
        )
        return
    say(app, plan_sentence(entry, plan))
    app.run_worker(
        partial(_open_in_background, app, plan.url), thread=True, group="browser", exit_on_error=False
    )


def _open_in_background(app: App[Any], url: str) -> None:
    if not launch_browser(url):
        message = f"The browser could not be started. Press y to copy the link:\n{url}"
        app.call_from_thread(say, app, message, "warning", 10)


def copy_entry_link(app: App[Any], entry: Entry) -> None:
    """Copy an entry's link through the terminal (OSC 52)."""
    plan = plan_open(entry)
    if plan.refused:
        say(app, f"Not copied: {link_name(entry)} was not copied because {plan.refused}.", "warning")
        return
    app.copy_to_clipboard(plan.url)
    say(app, plan_sentence(entry, plan, "Copied") + " (through the terminal: OSC 52)")
