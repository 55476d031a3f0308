"""Ending an app of the explorer when it is told to (SIGTERM) or its terminal closes (SIGHUP)."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

from textual.app import App

SHUTDOWN_GRACE = 3.0  # seconds a signal leaves Textual to restore the terminal before the process ends


def end_on_signals(app: App[Any], end: Callable[[int], None]) -> None:
    """SIGTERM and SIGHUP call end(number) in the app's event loop (which should save what is worth
    keeping and exit the app, so Textual restores the terminal).

    After a hang-up the terminal is gone, and Textual can block for ever writing to it (seen after tmux
    kill-server: the SIGCONT that comes with the hang-up restarts its output, which fills and stops),
    leaving a process with the whole catalog in memory. So the handler is a plain signal handler, which
    Python runs even while the event loop is blocked, and the process ends SHUTDOWN_GRACE seconds later
    whatever Textual does."""
    if app.is_headless or not hasattr(signal, "SIGHUP"):
        return
    loop = asyncio.get_running_loop()

    def caught(number: int, _frame: object) -> None:
        watchdog = threading.Timer(SHUTDOWN_GRACE, os._exit, (128 + number,))
        watchdog.daemon = True  # a shutdown that finishes is not kept waiting for it
        watchdog.start()
        loop.call_soon_threadsafe(end, number)

    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, caught)
