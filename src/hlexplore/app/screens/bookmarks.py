"""Everything the user bookmarked, filtered like the other panes; enter goes there, ctrl+d removes one."""

from __future__ import annotations

from textual.binding import Binding

from hlexplore.app import messages
from hlexplore.app.screens.entries import EntriesScreen
from hlexplore.app.targets import Target
from hlexplore.index import CatalogIndex
from hlexplore.user.data import UserData, split_key


class BookmarksScreen(EntriesScreen):
    BINDINGS = [Binding("ctrl+d", "remove", "Remove", priority=True, id="bookmarks.remove")]
    HINT = "enter goes there · ctrl+d removes · escape closes"
    EMPTY = "No bookmarks yet: b bookmarks the highlighted entry."

    def __init__(self, index: CatalogIndex, user: UserData) -> None:
        super().__init__(index, "Bookmarks")
        self.user = user

    def targets(self) -> list[Target]:
        """Bookmarked entries that exist in the catalog, newest first."""
        found = []
        for name, _when in sorted(self.user.bookmarks.items(), key=lambda item: item[1], reverse=True):
            parts = split_key(name)
            if parts and self.index.get(*parts):
                found.append(Target(*parts))
        return found

    def action_remove(self) -> None:
        target = self.pointed()
        if target:
            self.user.toggle_bookmark(target.kind, target.id)
            self.refilter()
            self.post_message(messages.UserDataChanged())
