"""The domain (catalog, index, user data, link health, text, files) never imports Textual or Rich, and no
module imports in a circle."""

from __future__ import annotations

import ast
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
            for p in (DOMAIN / package).rglob("*.py")
        ),
        "hlexplore.text",
        "hlexplore.files",
        "hlexplore.interpreter",
    ]
    assert {"hlexplore.catalog.merge", "hlexplore.index.report", "hlexplore.user.store"} <= set(modules)
    assert "hlexplore.catalog.importers.markdown" in modules
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


def imports() -> dict[str, set[str]]:
    """Every hlexplore module and the hlexplore modules it imports anywhere: at the top, inside functions
    (deferred) and for types only (TYPE_CHECKING), a package's __init__ as the package."""
    modules = {}
    for path in DOMAIN.rglob("*.py"):
        parts = ("hlexplore", *path.relative_to(DOMAIN).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found = {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
            elif isinstance(node, ast.Import):
                found = {alias.name for alias in node.names}
            else:
                continue
            graph[name] |= {other for other in found & modules.keys() if other != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for other in graph[node]:
            if other not in order:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], order[other])
        if low[node] == order[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            if group:
                found.append(sorted([node, *group]))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


def test_no_module_imports_in_a_circle():
    graph = imports()
    assert "hlexplore.catalog.pieces" in graph["hlexplore.catalog.loader"]  # (the graph sees imports)
    assert "hlexplore.app.screens.help" in graph["hlexplore.app.keymap"]  # (deferred ones too)
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]  # (and cycles are found)
    assert cycles(graph) == []
