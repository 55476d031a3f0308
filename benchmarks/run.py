"""Run the explorer's benchmarks and print one table: `python3 dev.py bench [--quick]`.

Targets (issue 3): start-up within 1.3× a minimal Textual app (Header + Footer) measured in the same run;
keystroke to repainted list at most 16 ms p95 with the bundled catalog. With --sizes, the same explorer on
generated catalogs of those sizes (issue 8, benchmarks/scale.py). Results go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import keystroke, scale, startup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one short round: a smoke test, not a measure")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON instead of a table")
    parser.add_argument(
        "--sizes",
        metavar="N,N,...",
        help="also measure generated catalogs of these many companies (e.g. 100,1000,10000,100000)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(__file__).resolve().parent / ".data",
        help="where generated catalogs are kept between runs (default benchmarks/.data)",
    )
    args = parser.parse_args(argv)
    start_runs, key_rounds = (1, 1) if args.quick else (15, 5)

    machine = f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    up = startup.measure(start_runs)
    keys = keystroke.measure(key_rounds, quick=args.quick)
    sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else []
    args.data.mkdir(parents=True, exist_ok=True)
    scaled = [scale.measure_size(n, args.data, quick=args.quick) for n in sizes]
    if args.json:
        print(json.dumps({"machine": machine, "startup": up, "keystroke": keys, "scale": scaled}, indent=2))
        return 0
    print(f"machine: {machine}")
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| minimal app (Header + Footer), launch to first frame | {up['minimal_s'] * 1000:.0f} ms | |")
    print(f"| hlexplore, launch to first frame | {up['hlexplore_s'] * 1000:.0f} ms | |")
    print(f"| start-up ratio | {up['ratio']:.2f}× | ≤ 1.3× |")
    print(f"| keystroke to repaint, p50 ({keys['keys']:.0f} keys) | {keys['p50_ms']:.1f} ms | |")
    print(f"| keystroke to repaint, p95 | {keys['p95_ms']:.1f} ms | ≤ 16 ms |")
    print(f"| keystroke to repaint, max | {keys['max_ms']:.1f} ms | |")
    if scaled:
        print()
        print(scale.table(scaled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
