"""Build the explorer for a catalog."""

from __future__ import annotations

from hlexplore.app.app import HLExploreApp
from hlexplore.catalog.models import Catalog
from hlexplore.index import CatalogIndex


def make_app(catalog: Catalog, compare: list[str] | None = None) -> HLExploreApp:
    """The explorer over a catalog; with company ids in compare, it opens into their comparison."""
    return HLExploreApp(CatalogIndex(catalog), compare=compare)
