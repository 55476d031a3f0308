"""What the explorer would warn about in the user's config: a theme or keymap ids it does not have.
Shared by the explorer (warned at start) and `hlexplore config --show` (listed, exit 1)."""

from __future__ import annotations

from collections.abc import Iterable

from hlexplore.user.config import Config


def explorer_problems(config: Config, themes: Iterable[str], binding_ids: set[str]) -> list[str]:
    problems = []
    known = sorted(themes)
    if config.theme and config.theme not in known:
        where = config.sources.get("theme", "the config")
        problems.append(f"{where}: theme {config.theme!r} is unknown; one of: {', '.join(known)}")
    unknown = sorted(set(config.keymap) - binding_ids)
    if unknown:
        where = config.sources.get("keymap", "the config")
        problems.append(f"{where}: [keymap] has no binding {', '.join(unknown)}; ? lists every binding id")
    return problems
