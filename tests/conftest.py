"""Test set-up: no developer config, no colour settings from the environment, user dirs in tmp."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI every run tries the same examples (a failure there is reproducible, never a fluke of the seed);
# on a developer's machine each run explores new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The user's Textual settings are not the tests' (the snapshot plugin's folder, shared with the xdist
# workers through the environment, is kept).
for _name in [n for n in os.environ if n.startswith("TEXTUAL_") and n != "TEXTUAL_SNAPSHOT_TEMPDIR"]:
    os.environ.pop(_name, None)
for _name in ("NO_COLOR", "FORCE_COLOR"):
    os.environ.pop(_name, None)

from hlexplore.catalog.loader import bundled_catalog_path, load_catalog  # noqa: E402
from hlexplore.index import CatalogIndex  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = (
    Path(__file__).resolve().parent / "fixtures" / "HL-Backend-Architectures.md"
)  # a copy of the source list
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(bundled_catalog_path())


@pytest.fixture(scope="session")
def index(catalog):
    return CatalogIndex(catalog)


@pytest.fixture
def write_catalog(tmp_path: Path):
    """Write TOML text to a catalog file and return its path."""

    def write(text: str, name: str = "catalog.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Links the app asked the browser to open (a browser is said to exist)."""
    from hlexplore.app import links as app_links

    calls: list[str] = []
    monkeypatch.setenv("BROWSER", "/bin/true")
    monkeypatch.setattr(app_links, "launch_browser", lambda url: calls.append(url) or True)
    return calls


@pytest.fixture
def notes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """What the app said in notifications, as (severity, message); markup must be off."""
    from hlexplore.app.app import HLExploreApp

    said: list[tuple[str, str]] = []

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True):
        assert markup is False, "catalog text must never be parsed as markup"
        said.append((severity, message))

    monkeypatch.setattr(HLExploreApp, "notify", notify)
    return said
