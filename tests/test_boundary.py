"""The domain (catalog, index, user data, link health, text, files) never imports Textual or Rich."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[1] / "src" / "hlexplore"


def test_domain_modules_load_without_textual_or_rich():
    modules = [
        *sorted(
            "hlexplore." + ".".join(p.relative_to(DOMAIN).with_suffix("").parts)
            for package in ("catalog", "index", "user", "links")
            for p in (DOMAIN / package).glob("*.py")
        ),
        "hlexplore.text",
        "hlexplore.files",
        "hlexplore.interpreter",
    ]
    assert {"hlexplore.catalog.merge", "hlexplore.index.report", "hlexplore.user.store"} <= set(modules)
    code = (
        "import sys\n"
        f"for name in {modules!r}: __import__(name)\n"
        "from hlexplore.catalog.loader import bundled_catalog_path, load_catalog\n"
        "from hlexplore.index import CatalogIndex\n"
        "index = CatalogIndex(load_catalog(bundled_catalog_path()))\n"
        "index.search('redis'); index.compare('twitter', 'facebook'); index.stats()\n"
        "index.matrix(['twitter', 'facebook', 'tumblr'])\n"
        "from hlexplore.index.insight import Insight\n"
        "view = Insight(index, 2026); view.heat; view.timeline; view.cooccurrence(); view.health()\n"
        "from hlexplore.catalog.merge import load_merged\n"
        "load_merged()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_explorer_sets_textuals_frame_rate_before_textual_is_imported():
    # hlexplore.app sets TEXTUAL_FPS, which Textual reads once, when first imported: launching must not
    # import Textual before it, and a user's own setting is kept
    code = (
        "import sys\n"
        "from hlexplore import launch\n"
        "print('textual' in sys.modules)\n"
        "from hlexplore.app.factory import make_app\n"
        "from textual import constants\n"
        "print(constants.MAX_FPS)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.split() == ["False", "120"]
    own = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "TEXTUAL_FPS": "30"},
    )
    assert own.stdout.split() == ["False", "30"]
