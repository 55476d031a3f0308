#!/usr/bin/env python3
"""Set up and run hlexplore, or its whole test suite, on a machine that has only python3.

python3 dev.py run [ARGS...]   create .venv, install hlexplore, run `hlexplore ARGS`
python3 dev.py test [PYTEST ARGS...]   create .venv, install with test tools, lint, run every test
python3 dev.py screenshots [--png]     regenerate screenshots/*.svg (and PNGs to look at)
python3 dev.py bench [ARGS...]         run benchmarks/run.py and print its table (--sizes 100,...,100000)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def sh(*command: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(c) for c in command], check=True, cwd=ROOT, env=env)


def apt_install(*packages: str) -> None:
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        say(f"please install {' '.join(packages)} (apt-get as root was not available)")
        return
    say(f"installing {' '.join(packages)} with apt-get")
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh("apt-get", "update", "-qq", env=quiet)
    sh("apt-get", "install", "-y", "-qq", *packages, env=quiet)


def ensure_venv(extra: str) -> None:
    if not (BIN / "python").exists():
        try:
            import ensurepip  # noqa: F401  (Debian splits it into python3-venv)
        except ImportError:
            apt_install("python3-venv")
        say("creating .venv")
        sh(sys.executable, "-m", "venv", VENV)
    spec = f".[{extra}]" if extra else "."
    stamp = VENV / f".installed-{extra or 'app'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing {spec} into .venv")
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "-e", spec)
    stamp.write_text(digest)


def test_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL_") and k not in ("NO_COLOR",)}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run(args: list[str]) -> int:
    ensure_venv("")
    return subprocess.call([str(BIN / "hlexplore"), *args])


def test(args: list[str]) -> int:
    ensure_venv("dev")
    for tool in ("tmux", "fzf"):  # real-terminal tests; the benchmark's ratio to fzf
        if shutil.which(tool) is None:
            apt_install(tool)
    env = test_environment()
    sources = [p for p in ("src", "tests", "benchmarks", "screenshots", "dev.py") if (ROOT / p).exists()]
    sh(BIN / "ruff", "check", *sources, env=env)
    sh(BIN / "ruff", "format", "--check", *sources, env=env)
    # mypy --strict over src/ (pyproject's [tool.mypy]) runs beside the tests: its answer comes at the end.
    types = subprocess.Popen([str(BIN / "mypy")], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    # In parallel (pytest-xdist): the tmux tests mostly wait, so four workers keep two cores busy
    # (serially the suite took six minutes, in parallel under three). `-n 0` runs it serially.
    workers = [] if any(a.startswith(("-n", "--numprocesses")) for a in args) else ["-n", "4"]
    tests = subprocess.call([str(BIN / "python"), "-m", "pytest", *workers, *args], cwd=ROOT, env=env)
    checked, _ = types.communicate()
    print(checked, end="", flush=True)
    if types.returncode:
        say("mypy --strict found type errors (above)")
    return tests or types.returncode


def screenshots(args: list[str]) -> int:
    """Regenerate screenshots/*.svg; with --png, also PNGs to look at (rsvg-convert, Fira Code, Nanum)."""
    ensure_venv("dev")
    env = test_environment()
    code = subprocess.call([str(BIN / "python"), "screenshots/generate.py"], cwd=ROOT, env=env)
    if code or "--png" not in args:
        return code
    if shutil.which("rsvg-convert") is None:
        apt_install("librsvg2-bin", "fonts-firacode", "fonts-nanum-coding")
    out = ROOT / "screenshots" / "png"
    out.mkdir(exist_ok=True)
    for svg in sorted((ROOT / "screenshots").glob("*.svg")):
        # rsvg-convert draws &#160; with no width: give it plain spaces it is told to keep.
        text = (
            svg.read_text(encoding="utf-8")
            .replace("&#160;", " ")
            .replace("<svg ", '<svg xml:space="preserve" ', 1)
        )
        fixed = out / svg.name
        fixed.write_text(text, encoding="utf-8")
        sh("rsvg-convert", "-o", fixed.with_suffix(".png"), fixed)
        fixed.unlink()
        say(f"wrote {fixed.with_suffix('.png').relative_to(ROOT)}")
    return 0


def bench(args: list[str]) -> int:
    ensure_venv("dev")
    if shutil.which("fzf") is None:
        apt_install("fzf")
    return subprocess.call(
        [str(BIN / "python"), "benchmarks/run.py", *args], cwd=ROOT, env=test_environment()
    )


COMMANDS = {"run": run, "test": test, "screenshots": screenshots, "bench": bench}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    command, args = sys.argv[1], sys.argv[2:]
    try:
        return COMMANDS[command](args)
    except subprocess.CalledProcessError as error:
        say(f"failed: {' '.join(map(str, error.cmd))} (exit {error.returncode})")
        return error.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
