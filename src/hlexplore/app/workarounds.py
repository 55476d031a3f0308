"""Guards around Textual 8.2.8 behaviour that ends the app on a user's keystroke.

`OptionList._move_page` (page up and down) looks the highlighted option up in its line index, which is
only built once the list has a size: a page key that reaches a list before its first layout (a pane just
shown on a small terminal, the command palette just opened, its options just replaced) raised KeyError
and ended the explorer. Until Textual guards it, a page key there builds the index first and, if the list
still has no lines, does nothing (there is nothing on the screen to page through)."""

from __future__ import annotations

from textual.widgets import OptionList

_move_page = OptionList._move_page


def _guarded_move_page(self: OptionList, direction: int) -> None:
    if self._options and (self.highlighted or 0) not in self._index_to_line:
        self._update_lines()
        if (self.highlighted or 0) not in self._index_to_line:
            return
    _move_page(self, direction)  # type: ignore[arg-type]


def install() -> None:
    """Idempotent: the guard wraps Textual's method once."""
    if OptionList._move_page is not _guarded_move_page:
        OptionList._move_page = _guarded_move_page  # type: ignore[method-assign]
