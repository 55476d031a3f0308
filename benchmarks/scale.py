"""hlexplore at 100 to 100,000 companies: generated catalogs (gen_catalog.py), each measure in a new process.

Per size: loading the catalog cold (parse, validate, write the cache) and warm (from the cache); launch to
first frame, cold and warm; keystroke to repaint through Pilot; the same queries through the index alone
and through `fzf --filter` over the same names (the ratio: index time / fzf time); who-uses, compare and
similar; and the peak memory of the process that typed the keys (the whole explorer).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.startup import HOOK

ROOT = Path(__file__).resolve().parents[1]
XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
COMPANY_QUERIES = ["ka", "zen", "stack", "cloud lab", "ri$", "^pho", "flu data", "kari"]
KEY_QUERIES = {"1": ["zen", "cloud lab"], "2": ["stream"], "3": ["scaled"]}

LOAD = """
import sys, time
from pathlib import Path
from hlexplore.catalog.loader import load_catalog
from hlexplore.user.paths import UserPaths
started = time.perf_counter()
load_catalog(Path(sys.argv[1]), UserPaths.default().catalog_cache_dir)
print(time.perf_counter() - started)
"""

FIRST_FRAME = (
    HOOK  # prints the time of the first frame and exits (startup.py)
    + """
import sys
from pathlib import Path
from hlexplore.catalog.merge import load_merged
from hlexplore.app.factory import make_app
from hlexplore.user.paths import UserPaths
paths = UserPaths.default()  # the way `hlexplore --only --catalog FILE` loads it: the orders come along
loaded = load_merged([Path(sys.argv[1])], only=True, cache_dir=paths.catalog_cache_dir)
make_app(loaded.catalog, paths=paths, fresh=True, loaded=loaded).run(headless=True, size=(120, 40))
"""
)

QUERIES = """
import json, random, resource, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path
from hlexplore.catalog.loader import load_with_orders
from hlexplore.index import CatalogIndex
from hlexplore.user.paths import UserPaths

def ms(f, repeat=1):
    times = []
    for _ in range(repeat):
        started = time.perf_counter(); f(); times.append((time.perf_counter() - started) * 1000)
    return times

def p95(values):
    values = sorted(values)
    return values[max(0, int(len(values) * 0.95) - 1)]

catalog, orders = load_with_orders(Path(sys.argv[1]), UserPaths.default().catalog_cache_dir)
queries = json.loads(sys.argv[2])
index = CatalogIndex(catalog, orders)
first = ms(lambda: index.filter("company", queries[0]))[0]
ours = {q: statistics.median(ms(lambda q=q: index.filter("company", q), 3)) for q in queries}
fzf = {}
if shutil.which("fzf"):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as names:
        names.write("\\n".join(c.name for c in catalog.companies))
    def run_fzf(q):
        with open(names.name, "rb") as source:
            subprocess.run(["fzf", "--filter", q], stdin=source, stdout=subprocess.DEVNULL, check=False)
    fzf = {q: statistics.median(ms(lambda q=q: run_fzf(q), 3)) for q in queries}
rng = random.Random(1)
companies = [c.id for c in catalog.companies]
techs = [t.id for t in index.entries("technology")]
who = [t for t in techs[:3]] + rng.sample(techs, min(17, len(techs)))
pairs = [rng.sample(companies, 2) for _ in range(20)]
similar = rng.sample(companies, min(20, len(companies)))
shown = lambda users: (len(users), users[:200])  # noqa: E731
result = {
    "first_query_ms": first,
    "query_p50_ms": statistics.median(ours.values()),
    "query_p95_ms": p95(list(ours.values())),
    "fzf_p50_ms": statistics.median(fzf.values()) if fzf else None,
    "fzf_ratio": statistics.median(ours[q] / fzf[q] for q in queries) if fzf else None,
    # as the details show it (the count and the first 200 rows), and every row (as --json lists them)
    "who_uses_p95_ms": p95([ms(lambda t=t: shown(index.users_of(t)))[0] for t in who]),
    "who_uses_every_row_p95_ms": p95([ms(lambda t=t: list(index.users_of(t)))[0] for t in who]),
    "compare_p95_ms": p95([ms(lambda a=a, b=b: index.compare(a, b))[0] for a, b in pairs]),
    "similar_p95_ms": p95([ms(lambda c=c: index.similar(c))[0] for c in similar]),
    "domain_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}
print(json.dumps(result))
"""

KEYSTROKES = """
import json, resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from benchmarks import keystroke
from hlexplore.catalog.merge import load_merged
from hlexplore.user.paths import UserPaths
loaded = load_merged([Path(sys.argv[1])], only=True, cache_dir=UserPaths.default().catalog_cache_dir)
keystroke.QUERIES = json.loads(sys.argv[2])
found = keystroke.measure(1, loaded=loaded, computed=True)
found["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(found))
"""


VIEWS = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from benchmarks import views
from hlexplore.catalog.merge import load_merged
from hlexplore.user.paths import UserPaths
loaded = load_merged([Path(sys.argv[1])], only=True, cache_dir=UserPaths.default().catalog_cache_dir)
print(json.dumps(views.measure(loaded)))
"""

# What the command line is asked, whole-process with a warm cache (the names are the catalog's own, found
# by ANSWERS below: the most used technology, the company with the largest stack, the most common category).
ANSWERS = """
import json, sys
from collections import Counter
from pathlib import Path
from hlexplore.catalog.merge import load_merged
from hlexplore.index import CatalogIndex
from hlexplore.user.paths import UserPaths
loaded = load_merged([Path(sys.argv[1])], only=True, cache_dir=UserPaths.default().catalog_cache_dir)
index = CatalogIndex(loaded.catalog, loaded.orders)
companies = sorted(loaded.catalog.companies, key=lambda c: -len(c.stack))
tech = index.entries("technology")[0]
category = Counter(t.category for t in loaded.catalog.technologies).most_common(1)[0][0]
print(json.dumps({"tech": tech.id, "company": companies[0].id, "other": companies[1].id,
                  "category": category, "word": tech.name.split()[0]}))
"""


def commands(names: dict[str, str]) -> dict[str, list[str]]:
    """Each command measured, by its name in the results: the few-row answers, the long one (who-uses of
    the most used technology, as text and JSON), and stats in each of its forms."""
    tech, company, other = names["tech"], names["company"], names["other"]
    return {
        "show_company": ["show", company],
        "show_most_used": ["show", tech],
        "similar": ["similar", company],
        "related": ["related", tech],
        "compare": ["compare", company, other],
        "search": ["search", names["word"]],
        "who_uses_text": ["who-uses", tech],
        "who_uses_json": ["who-uses", tech, "--json"],
        "stats_text": ["stats"],
        "stats_json": ["stats", "--json"],
        "stats_category": ["stats", "--category", names["category"]],
    }


def _seconds(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "hlexplore", *argv], check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT
    )
    return time.perf_counter() - started


def measure_commands(path: Path, env: dict[str, str]) -> dict[str, float]:
    """Whole-process seconds of each command with a warm cache, and of merging: the file over the bundled
    catalog, its first start (cold, the merge cached) and a later one, beside the file alone (`--only`)
    cold and warm, and a one-company catalog over the file (its first and a later start)."""
    names = json.loads(_child(ANSWERS, str(path), env=env))
    only = ["--only", "--catalog", str(path)]
    found = {name: _seconds([*only, *argv], env) for name, argv in commands(names).items()}
    show = ["show", names["company"]]
    with tempfile.TemporaryDirectory() as home:
        fresh = {**env, "XDG_CACHE_HOME": f"{home}/cache"}
        found["only_cold"] = _seconds([*only, *show], fresh)
        found["only_warm"] = _seconds([*only, *show], fresh)
        found["merged_cold"] = _seconds(["--catalog", str(path), *show], fresh)
        found["merged_warm"] = _seconds(["--catalog", str(path), *show], fresh)
        small = Path(home) / "small.toml"
        small.write_text(
            f'[[company]]\nid = "zz-mine"\nname = "Mine"\nstack = [{{ tech = "{names["tech"]}" }}]\n',
            encoding="utf-8",
        )
        layered = [*only, "--catalog", str(small), *show]
        found["small_layer_first"] = _seconds(layered, fresh)
        found["small_layer_warm"] = _seconds(layered, fresh)
    return found


def _child(code: str, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True, env=env, cwd=ROOT
    )
    return done.stdout.strip().splitlines()[-1]


def catalog_file(companies: int, folder: Path) -> Path:
    path = folder / f"generated-{companies}.toml"
    if not path.exists():
        from benchmarks.gen_catalog import generate

        technologies, references = max(50, companies // 10), 3 * companies
        with path.open("w", encoding="utf-8") as out:
            generate(companies, technologies, references, seed=1, out=out)
    return path


def measure_size(companies: int, folder: Path, quick: bool = False) -> dict[str, float | None]:
    path = catalog_file(companies, folder)
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, **{v: f"{home}/{v.lower()}" for v in XDG}}
        cache = Path(home) / "xdg_cache_home"

        def first_frame() -> float:
            started = time.time()
            return float(_child(FIRST_FRAME, str(path), env=env)) - started

        load_cold = float(_child(LOAD, str(path), env=env))
        runs = 1 if quick else 3
        load_warm = statistics.median(float(_child(LOAD, str(path), env=env)) for _ in range(runs))
        shutil.rmtree(cache, ignore_errors=True)
        frame_cold = first_frame()
        frame_warm = statistics.median(first_frame() for _ in range(runs))
        queries = json.loads(_child(QUERIES, str(path), json.dumps(COMPANY_QUERIES), env=env))
        keys = json.loads(_child(KEYSTROKES, str(path), json.dumps(KEY_QUERIES), str(ROOT), env=env))
        views = json.loads(_child(VIEWS, str(path), str(ROOT), env=env))
        timed = measure_commands(path, env)
    return {
        "companies": companies,
        "file_mb": path.stat().st_size / 1e6,
        "load_cold_s": load_cold,
        "load_warm_s": load_warm,
        "first_frame_cold_s": frame_cold,
        "first_frame_warm_s": frame_warm,
        "key_p50_ms": keys["p50_ms"],
        "key_p95_ms": keys["p95_ms"],
        "keys": keys["keys"],
        "key_panes": keys["panes"],  # p50 / p95 by pane, over its most common prefixes and substrings too
        "key_queries": keys["queries"],
        "peak_mb": keys["peak_mb"],
        "views_ms": views,
        "commands_s": timed,
        **queries,
    }


def table(rows: list[dict[str, Any]]) -> str:
    def fmt(value: float | None, unit: str, digits: int = 0) -> str:
        return "n/a" if value is None else f"{value:.{digits}f}{unit}"

    lines = [
        "| companies | file | load cold | load warm | first frame cold | first frame warm | key p50 "
        "| key p95 | query p50 / p95 (first) | fzf p50 | ratio to fzf | who-uses p95 | compare p95 "
        "| similar p95 | peak |",
        "|" + "---|" * 15,
    ]
    for r in rows:
        lines.append(
            f"| {r['companies']:,} | {fmt(r['file_mb'], ' MB', 1)} | {fmt(r['load_cold_s'], ' s', 2)} "
            f"| {fmt(r['load_warm_s'], ' s', 2)} | {fmt(r['first_frame_cold_s'], ' s', 2)} "
            f"| {fmt(r['first_frame_warm_s'], ' s', 2)} | {fmt(r['key_p50_ms'], ' ms', 1)} "
            f"| {fmt(r['key_p95_ms'], ' ms', 1)} "
            f"| {fmt(r['query_p50_ms'], '', 1)} / {fmt(r['query_p95_ms'], ' ms', 1)} "
            f"({fmt(r['first_query_ms'], ' ms')}) | {fmt(r['fzf_p50_ms'], ' ms', 1)} "
            f"| {fmt(r['fzf_ratio'], '×', 2)} | {fmt(r['who_uses_p95_ms'], ' ms', 1)} "
            f"| {fmt(r['compare_p95_ms'], ' ms', 1)} | {fmt(r['similar_p95_ms'], ' ms', 1)} "
            f"| {fmt(r['peak_mb'], ' MB')} |"
        )
    lines += [
        "",
        "| companies | pane | keys | key p50 | key p95 | queries (the first computed from the catalog) |",
    ]
    lines.append("|" + "---|" * 6)
    for r in rows:
        panes, queries = r.get("key_panes") or {}, r.get("key_queries") or {}
        for pane, found in panes.items():
            typed = ", ".join(queries.get(pane, []))
            lines.append(
                f"| {r['companies']:,} | {pane} | {found['keys']} | {fmt(found['p50_ms'], ' ms', 1)} "
                f"| {fmt(found['p95_ms'], ' ms', 1)} | {typed} |"
            )
    lines += ["", "| companies | view | opens in |", "|---|---|---|"]
    for r in rows:
        for view, value in (r.get("views_ms") or {}).items():
            lines.append(f"| {r['companies']:,} | {view.removesuffix('_ms')} | {fmt(value, ' ms', 1)} |")
    lines += ["", "| companies | command (whole process) | seconds |", "|---|---|---|"]
    for r in rows:
        for command, value in (r.get("commands_s") or {}).items():
            lines.append(f"| {r['companies']:,} | {command} | {fmt(value, ' s', 2)} |")
    return "\n".join(lines)
