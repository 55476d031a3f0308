"""Queries over a loaded catalog. Free of Textual and Rich, so the CLI, the TUI and tests share it."""

from hlexplore.index.catalog_index import CatalogIndex

__all__ = ["CatalogIndex"]
