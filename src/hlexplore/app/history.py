"""Back and forward through the places the user went, like a browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from hlexplore.app.targets import Target

Screen = Literal["explorer", "compare", "insight"]


@dataclass(frozen=True)
class Place:
    """Where the user was: an entry in the explorer, a comparison of companies, or the insight view.

    What makes two places the same is what they show (the screen, the entry, the companies); how the
    user left it (the cursor, the view, the filter of a comparison, whether the details had focus) is
    kept to restore it, and does not make another place."""

    screen: Screen
    target: Target | None = None  # the explorer's entry
    companies: tuple[str, ...] = ()  # the comparison's companies, in their order
    cursor: tuple[int, int] | None = field(default=None, compare=False)  # (row, column)
    in_details: bool = field(default=False, compare=False)  # the explorer's details had focus
    show: str = field(default="all", compare=False)  # a comparison's differences or shared only
    view: int = field(default=0, compare=False)  # the insight view's picture
    widget: str = field(default="", compare=False)  # the insight view's list or table with the cursor
    category: str | None = field(default=None, compare=False)  # the insight bars' category

    @classmethod
    def entry(cls, target: Target, in_details: bool = False, cursor: tuple[int, int] | None = None) -> Place:
        return cls("explorer", target=target, in_details=in_details, cursor=cursor)


class History:
    """Visited places and a position; visiting from the middle drops the forward part."""

    def __init__(self, limit: int = 500) -> None:
        self._items: list[Place] = []
        self._position = -1
        self._limit = limit

    @property
    def current(self) -> Place | None:
        return self._items[self._position] if self._items else None

    @property
    def can_go_back(self) -> bool:
        return self._position > 0

    @property
    def can_go_forward(self) -> bool:
        return self._position < len(self._items) - 1

    def visit(self, place: Place, came_from: Place | None = None) -> None:
        """Go to place from came_from (where the user is, as they leave it)."""
        self._leave(came_from)
        if not self._keep(place):
            self._push(place)

    def _keep(self, now: Place | None) -> bool:
        """Keep how the user left the current place, if now is it; whether it was."""
        if now is None or now != self.current:
            return False
        self._items[self._position] = now
        return True

    def _leave(self, now: Place | None) -> None:
        """Keep how the user left the current place; a place they reached another way (moving in a list)
        becomes a step of its own, so back returns to it."""
        if now is not None and not self._keep(now):
            self._push(now)

    def _push(self, place: Place) -> None:
        del self._items[self._position + 1 :]
        self._items.append(place)
        if len(self._items) > self._limit:
            del self._items[0]
        self._position = len(self._items) - 1

    def can_go_back_from(self, now: Place | None) -> bool:
        """Whether back leads somewhere from now: an earlier place, or the current one when the user has
        since moved on from it."""
        return self.can_go_back or (self.current is not None and now is not None and now != self.current)

    def back(self, now: Place | None = None) -> Place | None:
        """The place before, leaving now (where the user is; see _leave); None if there is none."""
        if not self.can_go_back_from(now):
            return None
        self._leave(now)
        self._position -= 1
        return self.current

    def forward(self, now: Place | None = None) -> Place | None:
        """The place after, leaving now; None at the last."""
        if not self.can_go_forward:
            return None
        self._keep(now)
        self._position += 1
        return self.current

    def __len__(self) -> int:
        return len(self._items)
