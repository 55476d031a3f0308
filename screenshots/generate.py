"""Regenerate the SVG screenshots in this folder from the bundled catalog: `python3 dev.py screenshots`.

Each picture is the explorer driven by Pilot through the keys listed below, so the pictures show what
a person sees after pressing those keys.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from hlexplore.app.factory import make_app
from hlexplore.catalog.loader import bundled_catalog_path, load_catalog
from hlexplore.user.paths import UserPaths

HERE = Path(__file__).resolve().parent

# name: (size, theme, keys)
SHOTS: dict[str, tuple[tuple[int, int], str, list[str]]] = {
    "explorer": ((120, 40), "textual-dark", []),
    "filter-memcached": ((120, 40), "textual-dark", ["2", "slash", *"memcached"]),
    "company-instagram": ((120, 40), "textual-dark", ["1", "slash", *"instagram", "enter", "enter"]),
    "reference": ((120, 40), "textual-dark", ["3", "slash", *"tumblr", "enter", "enter"]),
    "help": ((120, 40), "textual-dark", ["question_mark"]),
    "palette-typo": ((120, 40), "textual-dark", ["ctrl+p", *"instgram"]),
    "explorer-80x24": ((80, 24), "textual-dark", ["2", "slash", *"redis"]),
    "explorer-light": ((120, 40), "textual-light", ["1", "slash", *"pinterest", "enter", "enter"]),
    "compare-picker": ((120, 40), "textual-dark", ["slash", *"instagram", "enter", "c"]),
    "compare-two": ((120, 40), "textual-dark", ["slash", *"instagram", "enter", "c", *"pinterest", "enter"]),
    "compare-matrix": (
        (120, 40),
        "textual-dark",
        [  # enter leaves the filter for the list, where space marks
            *["slash", *"instagram", "enter", "space"],
            *["slash", "ctrl+u", *"pinterest", "enter", "space"],
            *["slash", "ctrl+u", *"tumblr", "enter", "space", "c"],
        ],
    ),
    "insight-bars": ((120, 40), "textual-dark", ["i"]),
    "insight-stacks": ((120, 40), "textual-dark", ["i", "2"]),
    "insight-time-80x24": ((80, 24), "textual-dark", ["i", "4"]),
    "insight-together-light": ((120, 40), "textual-light", ["i", "3"]),
    "compare-light-80x24": (
        (80, 24),
        "textual-light",
        ["slash", *"twitter", "enter", "c", *"facebook", "enter", "d"],
    ),
}


async def shoot(name: str, size: tuple[int, int], theme: str, keys: list[str], folder: Path) -> Path:
    # A fresh, empty set of user directories: no one's own theme, bookmarks or last session in the pictures.
    with tempfile.TemporaryDirectory() as home:
        root = Path(home)
        paths = UserPaths(root / "config", root / "data", root / "state", root / "cache")
        return await _shoot(
            make_app(load_catalog(bundled_catalog_path()), paths=paths), name, size, theme, keys, folder
        )


async def _shoot(app, name: str, size: tuple[int, int], theme: str, keys: list[str], folder: Path) -> Path:  # type: ignore[no-untyped-def]
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.pause()
        path = folder / f"{name}.svg"
        path.write_text(app.export_screenshot(title=f"hlexplore — {name}"), encoding="utf-8")
        return path


async def main(folder: Path) -> None:
    for name, (size, theme, keys) in SHOTS.items():
        print(await shoot(name, size, theme, keys, folder))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
