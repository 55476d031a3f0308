"""What the explorer can point at: an entry of a kind, by id."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from hlexplore.catalog.models import Kind, is_kind

if TYPE_CHECKING:
    from textual.widgets import OptionList


class Target(NamedTuple):
    kind: Kind
    id: str

    def option_id(self, serial: int | None = None) -> str:
        suffix = "" if serial is None else f"#{serial}"
        return f"{self.kind}:{self.id}{suffix}"

    @classmethod
    def under_cursor(cls, options: OptionList) -> Target | None:
        """The entry the highlighted option of a list points at, if any."""
        option = options.highlighted_option
        return cls.from_option_id(option.id) if option else None

    @classmethod
    def from_option_id(cls, option_id: str | None) -> Target | None:
        if not option_id or ":" not in option_id:
            return None
        kind, _, rest = option_id.partition(":")
        if not is_kind(kind):
            return None
        return cls(kind, rest.split("#", 1)[0])
