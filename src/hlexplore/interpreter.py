"""The interpreter's settings hlexplore changes, all of them, in one place.

- The cycle collector is paused while millions of small objects are built at once (`bulk`: a large
  catalog is hundreds of thousands of entries and millions of references between them, none in cycles
  that need collecting; every automatic collection would walk them all again: at 100,000 companies that
  doubled the load). Pauses from several threads at once nest: the collector runs again when the last
  one ends.
- What a bulk built is frozen when it ends, so later collections leave it out, until the explorer starts
  (`explorer_started`): from then on nothing is frozen, since the explorer's own objects (screens,
  widgets, what a search let go of) would be frozen with it, for good. `loaded` freezes the catalog
  the explorer was started with, once, and `settled` what the search's preparation built (after a
  collection, so what is frozen is only what is alive then): the references made when read (300,000 at
  100,000 companies) and the search's tables, which every collection walked again otherwise (160 ms a
  collection, in the middle of a frame).
- The explorer's frame rate (`frame_rate`, before Textual is imported) and the switch interval
  (`share_the_lock_often`, when the explorer starts).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FRAMES_PER_SECOND = "120"
SWITCH_INTERVAL = 0.0005  # seconds a thread may hold Python's lock while another waits for it

_pausing = threading.Lock()
_paused = 0  # bulks running now
_was_enabled = False
_freezing = True  # until the explorer starts


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cycle collector while a catalog or an index is built (see the module's note)."""
    global _paused, _was_enabled
    with _pausing:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pausing:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                if _freezing:
                    gc.freeze()
                gc.enable()


def loaded() -> None:
    """The catalog is loaded (in a thread, by launch): leave it out of every later collection."""
    gc.freeze()


def settled() -> None:
    """The explorer built what it keeps for good (its search's preparation ended): leave it out of every
    later collection too (see the module's note)."""
    gc.collect()
    gc.freeze()


def explorer_started() -> None:
    """From now on, bulks only pause the collector (see the module's note)."""
    global _freezing
    _freezing = False


def frame_rate() -> None:
    """Textual paints at most TEXTUAL_FPS frames a second, and after a pause (a keystroke's first frame)
    its update timer waits one to two of those periods before the next frame: at 60, a list found 5 ms
    after a key is painted up to 33 ms later. At 120 the wait is half that; frames are still only painted
    when something changed. Textual reads it when first imported, so this is called before importing it.
    A user's own TEXTUAL_FPS is kept."""
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)


def share_the_lock_often() -> None:
    """Workers prepare a large catalog's search while the user may already be typing. Each time the
    event loop waits for input it lets go of Python's lock, and getting it back from a busy worker takes
    up to the switch interval (5 ms by default), many times a frame: a keystroke's frame took 150-600 ms
    then. At 0.5 ms it takes 30-60 ms; with no worker busy nothing changes."""
    sys.setswitchinterval(SWITCH_INTERVAL)
