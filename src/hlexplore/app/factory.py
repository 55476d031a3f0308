"""Build the explorer for a catalog, with the user's preferences and data."""

from __future__ import annotations

from hlexplore.app.app import HLExploreApp
from hlexplore.app.config_check import explorer_problems
from hlexplore.app.keymap import binding_ids
from hlexplore.catalog.merge import Loaded
from hlexplore.catalog.models import Catalog
from hlexplore.index import CatalogIndex
from hlexplore.user.config import Config, load_config
from hlexplore.user.data import UserData
from hlexplore.user.paths import UserPaths


def make_app(
    catalog: Catalog,
    compare: list[str] | None = None,
    paths: UserPaths | None = None,
    fresh: bool = False,
    loaded: Loaded | None = None,
) -> HLExploreApp:
    """The explorer over a catalog; with company ids in compare, it opens into their comparison.

    paths says where the user's files are (platformdirs' directories by default); fresh ignores the
    last session.
    """
    paths = paths or UserPaths.default()
    index = CatalogIndex(catalog, loaded.orders if loaded is not None and loaded.catalog is catalog else None)
    if loaded is not None:
        index.user_files = loaded.touched
    return HLExploreApp(
        index,
        compare=compare,
        user=UserData(paths),
        config=load_config(paths.config_file),
        fresh=fresh,
        catalog_messages=loaded.messages() if loaded else [],
    )


def problems_without_an_app(config: Config) -> list[str]:
    """What the explorer would warn about in config (config_check.explorer_problems), for the command line:
    against Textual's built-in themes and every binding id of the explorer."""
    from textual.theme import BUILTIN_THEMES

    return explorer_problems(config, BUILTIN_THEMES, binding_ids(HLExploreApp))
