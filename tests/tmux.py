"""Drive the installed `hlexplore` in a real terminal: tmux send-keys in, capture-pane out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HLEXPLORE = Path(sys.executable).with_name("hlexplore")  # the console script pip installed
PROMPT = "hx-test-prompt$"  # capture-pane drops the trailing space


class Terminal:
    """One tmux server and session of its own, running an interactive shell."""

    def __init__(self, width: int, height: int, env: dict[str, str]) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed: `python3 dev.py test` installs it")
        self.socket = f"hx-{uuid.uuid4().hex[:8]}"
        # (COLUMNS and LINES, which pytest-xdist sets in its workers, would override the terminal's size)
        unwanted = ("NO_COLOR", "COLUMNS", "LINES")
        clean_env = {
            k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL_") and k not in unwanted
        }
        clean_env.update(env, TERM="xterm-256color")
        self.env = clean_env
        self.width, self.height = width, height
        self._tmux("new-session", "-d", "-s", "hx", "-x", str(width), "-y", str(height), "sh -i")
        # A root shell ignores PS1 from the environment; set it, typed so that the line itself does not match.
        self.type("PS1='hx-test-'\"prompt\\$ \"; clear")
        self.keys("Enter")
        self.wait_for(PROMPT)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
        return done.stdout

    def type(self, line: str) -> None:
        self._tmux("send-keys", "-t", "hx", "-l", line)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "hx", *keys)

    def escape(self, times: int = 1) -> None:
        """Escape, apart from what is sent next: ESC and a key sent together read as alt+key (as in
        every terminal), which a person pressing them one after the other never sends."""
        for _ in range(times):
            self.keys("Escape")
            time.sleep(0.15)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-t", "hx", "-p")

    def wait_for(self, *texts: str, timeout: float = 15.0, absent: tuple[str, ...] = ()) -> str:
        """Poll the screen until every text is on it and none of absent is; return the screen."""
        return self.wait_until(
            lambda shown: all(t in shown for t in texts) and not any(t in shown for t in absent),
            f"{texts} (absent {absent})",
            timeout,
        )

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if check(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout}s for {what}; the screen:\n{shown}")
            time.sleep(0.1)

    def title(self) -> str:
        """The pane's title: what a program set with OSC 0/2 (escape sequences in its output would)."""
        return self._tmux("display-message", "-p", "-t", "hx", "#{pane_title}").strip()

    def foreground_pids(self) -> list[int]:
        """Processes the shell started (read from /proc: procps may not be installed)."""
        shell = int(self._tmux("display-message", "-p", "-t", "hx", "#{pane_pid}").strip())
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == shell:
                children.append(int(stat.parent.name))
        return children

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)
