"""Back and forward through the entries the user followed, like a browser."""

from __future__ import annotations

from hlexplore.app.targets import Target


class History:
    """Visited targets and a position; visiting from the middle drops the forward part."""

    def __init__(self, limit: int = 500) -> None:
        self._items: list[Target] = []
        self._position = -1
        self._limit = limit

    @property
    def current(self) -> Target | None:
        return self._items[self._position] if self._items else None

    @property
    def can_go_back(self) -> bool:
        return self._position > 0

    @property
    def can_go_forward(self) -> bool:
        return self._position < len(self._items) - 1

    def visit(self, target: Target, came_from: Target | None = None) -> None:
        if came_from is not None and came_from != self.current:
            self._push(came_from)
        if target != self.current:
            self._push(target)

    def _push(self, target: Target) -> None:
        del self._items[self._position + 1 :]
        self._items.append(target)
        if len(self._items) > self._limit:
            del self._items[0]
        self._position = len(self._items) - 1

    def back(self) -> Target | None:
        if not self.can_go_back:
            return None
        self._position -= 1
        return self.current

    def forward(self) -> Target | None:
        if not self.can_go_forward:
            return None
        self._position += 1
        return self.current

    def __len__(self) -> int:
        return len(self._items)
