"""The keyboard model every screen shares.

On a list, a table or the details every key is a command; in a text field (a filter, a note, a path) every
printable key is text. Which one a key is never depends on the letter: a printable key that is no command
where the user is says so, instead of doing nothing or starting something else.
"""

from __future__ import annotations

import time
from typing import Any, cast

from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Input, TextArea

from hlexplore.text import clean

HINT_EVERY = 2.0  # seconds: typing a word on a list says it once, not once a letter

MODEL = (
    "On a list every key is a command and / opens its filter; in a filter every key you type is text, "
    "enter goes back to the list and escape clears the filter."
)


class HintsUnboundKeys:
    """Mixed into a screen: a printable key that no binding takes there is answered with UNBOUND_HINT."""

    UNBOUND_HINT = "? lists every key"
    _hinted_at = 0.0

    def on_key(self, event: Key) -> None:
        if not event.is_printable or event.character is None or "+" in event.key:
            return  # alt+x and the like are no typing mistake (ESC typed just before x reads as alt+x)
        screen = cast("Screen[Any]", self)  # by the classes this is mixed into
        if isinstance(screen.focused, (Input, TextArea)):
            return
        if event.key in screen.app.active_bindings:
            return
        event.stop()
        now = time.monotonic()
        if now - self._hinted_at < HINT_EVERY:
            return
        self._hinted_at = now
        shown = "space" if event.character == " " else clean(event.character)
        screen.app.notify(f"{shown} is not a key here: {self.UNBOUND_HINT}.", markup=False, timeout=3)


def bindings_of(node: type[DOMNode]) -> BindingsMap:
    """A class's bindings, its bases' included (a copy: a keymap applied to it changes nothing else)."""
    merged = node._merged_bindings
    return merged.copy() if merged is not None else BindingsMap(node.BINDINGS)
