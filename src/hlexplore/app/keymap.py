"""The explorer's screens that have keys: what the help lists and what a keymap may name. (It imports
every screen: nothing a screen imports may import it.)"""

from __future__ import annotations

from textual.dom import DOMNode

from hlexplore.app.keys import bindings_of


def keyed_places() -> list[tuple[str, type[DOMNode]]]:
    """(what the user calls it, its class) for every screen and dialog with keys, the explorer first.
    Imported when asked for: the screens other than the explorer load when first used."""
    from hlexplore.app.screens.bookmarks import BookmarksScreen
    from hlexplore.app.screens.compare import CompareScreen
    from hlexplore.app.screens.entries import EntriesScreen
    from hlexplore.app.screens.export import ExportDialog
    from hlexplore.app.screens.help import HelpScreen
    from hlexplore.app.screens.insight import InsightScreen
    from hlexplore.app.screens.linkcheck import LinkCheckScreen
    from hlexplore.app.screens.main import MainScreen
    from hlexplore.app.screens.note import NoteDialog
    from hlexplore.app.screens.picker import CompanyPicker

    return [
        ("explorer", MainScreen),
        ("comparison", CompareScreen),
        ("insight", InsightScreen),
        ("picking a company", CompanyPicker),
        ("lists of entries", EntriesScreen),
        ("bookmarks", BookmarksScreen),
        ("note", NoteDialog),
        ("export", ExportDialog),
        ("checking links", LinkCheckScreen),
        ("keys (this help)", HelpScreen),
    ]


def binding_ids(app: type[DOMNode]) -> set[str]:
    """Every binding id a keymap can name, on every screen of the explorer and the app's own."""
    places = [*keyed_places(), ("everywhere", app)]
    return {b.id for _where, node in places for _key, b in bindings_of(node) if b.id}
