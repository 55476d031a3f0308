"""hlexplore: explore how high-load backends are built."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # importlib.metadata costs ~40 ms at start-up: look the version up only when someone asks.
    if name == "__version__":
        from importlib.metadata import version

        return version("hlexplore")
    raise AttributeError(name)
