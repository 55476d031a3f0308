"""The README's command-line examples, run as written: every `$ hlexplore ...` line of its console blocks
and every `hlexplore ...` line of its sh blocks, with the output lines it shows checked in order. An
example that uses the network (said in its comment) is only checked to parse (`--help` appended): the
suite does not reach the internet."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BIN = Path(sys.executable).parent


def examples() -> list[tuple[str, list[str]]]:
    """(the command line, the output lines shown under it) for every example, in the README's order."""
    found: list[tuple[str, list[str]]] = []
    for kind, body in re.findall(r"```(console|sh)\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in body.splitlines():
            if kind == "console" and line.startswith("$ "):
                found.append((line[2:], []))
            elif kind == "console" and found and line.strip() and line.strip() != "...":
                found[-1][1].append(line)
            elif kind == "sh" and line.startswith("hlexplore "):
                found.append((line, []))
    return found


EXAMPLES = examples()


def test_the_readme_has_examples_to_run() -> None:
    assert len(EXAMPLES) >= 10 and any(shown for _command, shown in EXAMPLES)


@pytest.mark.parametrize(("line", "shown"), EXAMPLES, ids=[e[0][:50] for e in EXAMPLES])
def test_a_readme_example_runs_and_shows_what_it_says(line: str, shown: list[str], tmp_path: Path) -> None:
    command, _hash, comment = line.partition("  #")
    if "uses the network" in comment:
        command = command.rstrip() + " --help"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["sh", "-c", f"set -e; {command}"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    output = done.stdout.splitlines()
    at = 0
    for expected in shown:  # each shown line, in order
        while at < len(output) and output[at].rstrip() != expected.rstrip():
            at += 1
        assert at < len(output), f"{command}: {expected!r} not in its output:\n{done.stdout}"
