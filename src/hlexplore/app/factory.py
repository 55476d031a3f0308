"""Build the explorer for a catalog."""

from __future__ import annotations

from hlexplore.app.app import HLExploreApp
from hlexplore.catalog.models import Catalog
from hlexplore.index import CatalogIndex


def make_app(catalog: Catalog) -> HLExploreApp:
    return HLExploreApp(CatalogIndex(catalog))
