"""Compiling a catalog file into columns; a large one in pieces, one per core, each in its own process.

Parsing and checking 150 MB of TOML (100,000 companies) takes one core 15 seconds. A catalog is a [meta]
table and three arrays of tables, so it can be cut before any `[[technology]]`, `[[company]]` or
`[[reference]]` header line into pieces that each parse on their own: a child process parses and checks
each piece (`python -m hlexplore.catalog.pieces`: it reads its piece from the file and writes its columns
to a temporary file as marshal data) while this process waits, then the pieces are joined and the
references between entries checked over the whole catalog (compiler.finish). One more child works out the
technologies' users (the heaviest part of catalog.inverted) from the pieces while this process makes the
catalog and the other orders. At 100,000 companies on two cores: 9 s instead of 24.

A cut is made only where it cannot change what the file means:
- no piece has a multi-line string, so a line starting with `[[` is always a header (a cut inside one
  would leave its opening quotes in the piece before);
- a later piece may hold nothing but the three arrays, and an array it continues must have been begun by
  a header in an earlier piece (not written there as `key = [...]`, which TOML would not let a header
  continue).
Whenever that does not hold, or a piece does not parse, the file is parsed whole, in this process: a file
with a mistake is reported exactly as it would be without pieces (the same messages, lines and order).

Why child processes of our own rather than concurrent.futures.ProcessPoolExecutor: a pool (spawn) loads
the same file as fast (2026-12-02, 100,000 companies: 9.44 / 8.20 s against 9.79 / 8.03 s), but a user who
leaves the loading screen (q, ctrl+c, SIGTERM) would wait for the pieces being parsed: at interpreter exit
concurrent.futures joins its workers, which finish the task they hold first (a pool with a six-second task,
shut down with cancel_futures after one second, exits after six), and Python 3.11 has no public way to kill
them (kill_workers comes in 3.14). Children of our own are killed at once (_at_exit, _end) and end by
themselves when this process is gone (_orphaned).
"""

from __future__ import annotations

import atexit
import gc
import marshal
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from dataclasses import astuple, replace
from itertools import chain
from pathlib import Path
from typing import Any, cast

from hlexplore.catalog.checker import Checker
from hlexplore.catalog.columns import COMPANY_COLUMNS, ITEM, REFERENCE, TECH, Columns
from hlexplore.catalog.compiler import Piece, compile_data, compile_piece, finish
from hlexplore.catalog.errors import Problem
from hlexplore.catalog.inverted import (
    Inverted,
    company_order,
    dump_users,
    from_bytes,
    load_users,
    users_in_order,
)
from hlexplore.catalog.models import Catalog
from hlexplore.catalog.schema import TABLES
from hlexplore.catalog.toml_file import parse_toml

# A smaller piece is quicker parsed here than handed over (10,000 companies, 14 MB: 1.3 s whole, 0.9 s in
# two pieces).
PIECE_BYTES = 4 * 1024 * 1024
_CUT = re.compile(rb"\n\[\[(?:technology|company|reference)\]\][ \t]*(?:#[^\n]*)?\r?\n")


class Compiled:
    """A file compiled into columns. Compiled in pieces, its technologies' users (the heaviest part of its
    Inverted) are worked out meanwhile by one more child process, the helper, from what the pieces'
    processes wrote, while this process makes the catalog and the orders; leaving the context ends the
    helper (if still running) and removes the pieces."""

    def __init__(
        self,
        columns: Columns,
        helper: subprocess.Popen[bytes] | None = None,
        folder: str = "",
        used: Counter[str] | None = None,
    ) -> None:
        self.columns, self._helper, self._folder = columns, helper, folder
        self._used = used or Counter()  # technology id -> how many stacks list it (from the pieces)

    def orders(self, catalog: Catalog) -> Inverted:
        """The catalog's orders and users: the orders worked out here while the helper works out the users,
        or all here (without a helper, or if it failed)."""
        if self._helper is None:
            return Inverted.of(catalog)
        columns = self.columns
        names, ids = (columns.companies[COMPANY_COLUMNS.index(field)] for field in ("name", "id"))
        order, used = company_order(names), self._used
        refs = columns.references
        arranged = Inverted.arranged(
            order,
            used,
            ids,
            columns.technologies[TECH.index("id")],
            columns.technologies[TECH.index("name")],
            refs[REFERENCE.index("company")],
            refs[REFERENCE.index("technology")],
        )
        if self._helper.wait() == 0:
            try:
                users = load_users(marshal.loads((Path(self._folder) / "users").read_bytes()))
            except (OSError, EOFError, ValueError, TypeError):
                users = None
            if users is not None and {tech: len(ranks) for tech, (ranks, _places) in users.items()} == used:
                return replace(arranged, users=users)
        return Inverted.of(catalog)

    def __enter__(self) -> Compiled:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._folder:
            _end(self._helper, self._folder)


def compile_file(path: Path, data: bytes, orders: bool = True) -> Compiled:
    """The file's bytes parsed, checked and compiled; raises CatalogError listing every problem. Without
    orders, no helper works out the users (Compiled.orders then works them out here, if asked)."""
    cuts = cut(data, _cores())
    if len(cuts) > 1:
        folder = tempfile.mkdtemp(prefix="hlexplore-")
        _folders.add(folder)
        apart = None
        try:
            apart = _compile_apart(path, data, cuts, Path(folder), orders)
            if apart is not None:
                pieces, helper = apart
                columns = finish(pieces, Checker(path, lambda: data.decode("utf-8")))
                used = sum((Counter(piece.used) for piece in pieces), Counter())
                return Compiled(columns, helper, folder, used)
        except BaseException:  # a problem in the catalog (CatalogError), or an interruption
            _end(apart[1] if apart else None, folder)
            raise
        _end(None, folder)
    parsed, text = parse_toml(path, data)
    return Compiled(compile_data(parsed, path, text))


def _end(helper: subprocess.Popen[bytes] | None, folder: str) -> None:
    """Stop the helper (if still running) and remove the pieces."""
    if helper is not None and helper.poll() is None:
        helper.kill()
        helper.wait()
    shutil.rmtree(folder, ignore_errors=True)
    _folders.discard(folder)


# What is running and written, for when this process ends while loading (the user left the loading
# screen: the loading thread is not waited for). Children also end by themselves when this process is
# gone (_orphaned).
_children: list[subprocess.Popen[bytes]] = []
_folders: set[str] = set()


@atexit.register
def _at_exit() -> None:
    for child in _children:
        if child.poll() is None:
            child.kill()
    for folder in list(_folders):
        shutil.rmtree(folder, ignore_errors=True)


def _child(arguments: list[str]) -> subprocess.Popen[bytes] | None:
    """`python -m hlexplore.catalog.pieces ARGUMENTS`, quietly; None if it cannot be started."""
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "hlexplore.catalog.pieces", str(os.getpid()), *arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_child_environment(),
        )
    except OSError:
        return None
    _children[:] = [*(c for c in _children if c.poll() is None), child]
    return child


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cut(data: bytes, most: int, smallest: int | None = None) -> list[int]:
    """Where the pieces start (0 first): at most `most` of about the same size (parsing and checking cost
    about the same per byte, stacks and references alike), each at least `smallest` bytes, cut before a
    header line; [0] when the file is to be parsed whole."""
    count = min(most, len(data) // (smallest or PIECE_BYTES))
    starts = [0]
    for share in range(1, count):
        found = _CUT.search(data, max(len(data) * share // count, starts[-1]))
        if found is None:
            break
        starts.append(found.start() + 1)  # the header line's first byte
    return starts


def _compile_apart(
    path: Path, data: bytes, starts: list[int], folder: Path, orders: bool
) -> tuple[list[Piece], subprocess.Popen[bytes] | None] | None:
    """Each piece compiled by its own child process, all at once, into folder, and the helper started
    (it works out the users from what the children wrote); None when a piece could not be compiled (the
    file is then parsed whole). Each child reads its piece from the file and says what it read (a CRC): a
    file changed since `data` was read is parsed whole, from `data`."""
    ends = [*starts[1:], len(data)]
    outputs = [folder / f"piece-{n}" for n in range(len(starts))]
    children: list[subprocess.Popen[bytes] | None] = []
    helper, handed_over = None, False
    try:
        for n, (start, end, output) in enumerate(zip(starts, ends, outputs, strict=True)):
            line_base = data.count(b"\n", 0, start)
            children.append(_child([str(path), str(start), str(end), str(line_base), str(n), str(output)]))
        read = [zlib.crc32(memoryview(data)[start:end]) for start, end in zip(starts, ends, strict=True)]
        found = []
        for child, output in zip(children, outputs, strict=True):  # each read while the others work
            if child is None or child.wait() != 0:
                return None
            if orders and output is outputs[-1]:  # all written: the helper can start
                helper = _child(["--users", str(folder / "users"), *map(str, outputs)])
            found.append(marshal.loads(output.read_bytes()))
        if [crc for crc, _piece in found] != read or any(piece is None for _crc, piece in found):
            return None
        pieces = [_piece(piece) for _crc, piece in found]
        if not _continued([headed for _piece, headed in pieces]):
            return None
        handed_over = True
        return [piece for piece, _headed in pieces], helper
    except (OSError, EOFError, ValueError, TypeError):  # a piece cut short: parse the file whole
        return None
    finally:
        for child in [*children, None if handed_over else helper]:
            if child is not None and child.poll() is None:
                child.kill()
                child.wait()


def _child_environment() -> dict[str, str]:
    """The children import this same hlexplore, wherever it was imported from."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, env.get("PYTHONPATH", "")]))
    return env


def _continued(headed: list[dict[str, bool]]) -> bool:
    """Whether every array a later piece continues was begun by a header in each earlier piece holding it
    (given as each piece's arrays: whether one of its header lines names it). Written `key = [...]` there,
    no header could continue it: the whole file would not parse."""
    return all(
        earlier.get(table, True)
        for n, later in enumerate(headed)
        for table in later
        for earlier in headed[:n]
    )


def _plain(piece: Piece, headed: dict[str, bool]) -> Any:
    """A piece as marshal data (problems as tuples of their fields)."""
    problems = {table: [astuple(p) for p in found] for table, found in piece.problems.items()}
    return (*piece[:-1], problems, headed)  # (problems is the piece's last field)


def _piece(data: Any) -> tuple[Piece, dict[str, bool]]:
    """A piece from a child's marshal data, and its arrays (whether a header line names each)."""
    parts: list[Any] = list(data)
    headed: dict[str, bool] = parts.pop()
    piece = Piece._make(parts)
    stored = cast("dict[str, list[tuple[Any, ...]]]", piece.problems)  # (as _plain made them)
    problems = {table: [Problem(*p) for p in found] for table, found in stored.items()}
    return piece._replace(problems=problems), headed


def main(argv: list[str]) -> int:
    """A child (its first argument: the process that started it). With --users OUTPUT PIECE...: work out
    the users of the technologies of the catalog the pieces make up (in order) and write them to OUTPUT as
    marshal data. Otherwise: compile one piece of a file
    (path, start, end, the lines before it, its number) and write (the CRC of the bytes read, the piece
    as marshal data) to the output file; the piece is None when it does not parse, holds a multi-line
    string (a header line could be inside one), or holds more than the three arrays after the first
    piece."""
    gc.disable()  # millions of objects, none in a cycle, and the process ends when done (interpreter.bulk)
    _orphaned(int(argv.pop(0)))
    if argv[0] == "--users":
        found = [marshal.loads(Path(f"{piece}.users").read_bytes()) for piece in argv[2:]]
        names, stack_techs, sizes = (list(chain.from_iterable(parts)) for parts in zip(*found, strict=True))
        users = users_in_order(company_order(names), stack_techs, sizes)
        Path(argv[1]).write_bytes(marshal.dumps(dump_users(users)))
        return 0
    path, start, end, line_base, number, output = argv
    whole = number == "0"
    with Path(path).open("rb") as source:
        source.seek(int(start))
        data = source.read(int(end) - int(start))
    result = None
    if b'"""' not in data and b"'''" not in data:
        try:
            parsed, text = parse_toml(Path(path), data)
        except Exception:  # the file is parsed whole, which says what is wrong
            parsed = None
        if parsed is not None and (whole or all(k in TABLES and type(v) is list for k, v in parsed.items())):
            piece = compile_piece(parsed, Checker(Path(path), text, int(line_base)), whole)
            headed = {table: _headed(text, table) for table in TABLES if table in parsed}
            result = _plain(piece, headed)
            Path(f"{output}.users").write_bytes(marshal.dumps(_for_users(piece)))
    with Path(output).open("wb") as out:
        marshal.dump((zlib.crc32(data), result), out)
    return 0


def _for_users(piece: Piece) -> tuple[list[Any], ...]:
    """What the users are worked out from (inverted.users_in_order), of one piece: the companies' names,
    every stack's technologies one stack after another, and each stack's size. Written beside the piece
    for the helper to read quickly."""
    return (
        list(piece.companies[COMPANY_COLUMNS.index("name")]),
        list(map(piece.items[ITEM.index("tech")].__getitem__, from_bytes(piece.numbers))),
        list(from_bytes(piece.sizes)),
    )


def _orphaned(parent: int, every: float = 0.25) -> None:
    """End this child soon after the process that started it is gone (killed while it waited for the
    pieces: nobody would read them)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _headed(text: str, table: str) -> bool:
    """Whether a header line names the table (a line that starts with `[[`: the file has no multi-line
    strings). Found by the brackets first: a pattern starting at each line's start is slow."""
    for found in re.finditer(rf"\[\[[ \t]*{table}[ \t]*\]\]", text):
        if not text[text.rfind("\n", 0, found.start()) + 1 : found.start()].strip(" \t"):
            return True
    return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
