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


def problems_without_an_app(config: Config) -> list[str]:
    """The same, for the command line: Textual's built-in themes and every binding id of the explorer."""
    from textual.theme import BUILTIN_THEMES

    from hlexplore.app.app import HLExploreApp
    from hlexplore.app.keymap import binding_ids

    return explorer_problems(config, BUILTIN_THEMES, binding_ids(HLExploreApp))
