"""What the explorer can point at: an entry of a kind, by id."""

from __future__ import annotations

from typing import NamedTuple

from hlexplore.catalog.models import Kind


class Target(NamedTuple):
    kind: Kind
    id: str

    def option_id(self, serial: int | None = None) -> str:
        suffix = "" if serial is None else f"#{serial}"
        return f"{self.kind}:{self.id}{suffix}"

    @classmethod
    def from_option_id(cls, option_id: str | None) -> Target | None:
        if not option_id or ":" not in option_id:
            return None
        kind, _, rest = option_id.partition(":")
        if kind not in ("company", "technology", "reference"):
            return None
        return cls(kind, rest.split("#", 1)[0])  # type: ignore[arg-type]
