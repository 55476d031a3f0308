"""Where hlexplore keeps the user's files (platformdirs; XDG variables are honoured on Linux)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class UserPaths:
    config_dir: Path
    data_dir: Path
    state_dir: Path
    cache_dir: Path

    @classmethod
    def default(cls) -> UserPaths:
        from platformdirs import PlatformDirs

        dirs = PlatformDirs("hlexplore", appauthor=False)
        return cls(
            Path(dirs.user_config_dir),
            Path(dirs.user_data_dir),
            Path(dirs.user_state_dir),
            Path(dirs.user_cache_dir),
        )

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def bookmarks_file(self) -> Path:
        return self.data_dir / "bookmarks.json"

    @property
    def notes_file(self) -> Path:
        return self.data_dir / "notes.json"

    @property
    def catalogs_dir(self) -> Path:
        return self.data_dir / "catalogs"

    @property
    def history_file(self) -> Path:
        return self.state_dir / "history.json"

    @property
    def session_file(self) -> Path:
        return self.state_dir / "session.json"

    @property
    def catalog_cache_dir(self) -> Path:
        return self.cache_dir / "catalogs"

    @property
    def links_file(self) -> Path:
        return self.state_dir / "links.json"

    def describe(self) -> list[tuple[str, Path]]:
        """Every directory and file, with what it holds, for `hlexplore paths`."""
        return [
            ("config directory", self.config_dir),
            ("config file", self.config_file),
            ("data directory", self.data_dir),
            ("bookmarks", self.bookmarks_file),
            ("notes", self.notes_file),
            ("your catalogs", self.catalogs_dir),
            ("state directory", self.state_dir),
            ("filter history", self.history_file),
            ("last session", self.session_file),
            ("link health", self.links_file),
            ("cache directory", self.cache_dir),
            ("parsed catalogs", self.catalog_cache_dir),
        ]
