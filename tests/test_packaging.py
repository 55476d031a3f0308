"""The wheel carries the bundled catalog, found from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_the_catalog_and_finds_it_from_anywhere(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("hlexplore-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "hlexplore/data/catalog.toml" in names
        archive.extractall(tmp_path / "site")
    code = (
        "from hlexplore.catalog.loader import bundled_catalog_path, load_catalog\n"
        "import hlexplore\n"
        "path = bundled_catalog_path()\n"
        "print(hlexplore.__file__); print(path); print(len(load_catalog(path).companies))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
    )
    module, path, companies = done.stdout.split()
    assert module.startswith(str(tmp_path / "site")) and path.startswith(str(tmp_path / "site"))
    assert companies == "23"
