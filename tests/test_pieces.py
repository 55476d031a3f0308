"""A large catalog compiled in pieces, in child processes: the same catalog, orders and problems as the
whole file parsed here, and the whole file parsed here whenever a cut could change what it means."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from benchmarks.gen_catalog import generate

from hlexplore.catalog import pieces
from hlexplore.catalog.compiler import catalog_from_data
from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.inverted import Inverted
from hlexplore.catalog.loader import load_catalog, load_with_orders
from hlexplore.catalog.models import Catalog
from hlexplore.catalog.toml_file import read_toml


@pytest.fixture
def in_pieces(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[list[int]]:
    """Files from 1 KiB on are cut into (up to) three pieces; the cuts made are listed. The pieces' files
    are made in tmp_path/tmp (left empty after each load)."""
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    made: list[list[int]] = []
    cut = pieces.cut

    def cut_and_note(data: bytes, most: int, smallest: int | None = None) -> list[int]:
        made.append(cut(data, 3, 1024))
        return made[-1]

    monkeypatch.setattr(pieces, "cut", cut_and_note)
    return made


def generated(tmp_path: Path, companies: int = 300) -> Path:
    out = io.StringIO()
    generate(companies, 60, companies * 2, 7, out)
    path = tmp_path / "generated.toml"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def whole(path: Path) -> Catalog:
    """The file parsed whole, in this process."""
    data, text = read_toml(path)
    return catalog_from_data(data, path, text)


def problems(path: Path, cache_dir: Path | None = None, parsed_whole: bool = False) -> list[str]:
    with pytest.raises(CatalogError) as raised:
        whole(path) if parsed_whole else load_catalog(path, cache_dir)
    return [str(problem) for problem in raised.value.problems]


def test_cuts_are_made_before_header_lines_only() -> None:
    data = b'[meta]\nschema = 1\ntitle = "T"\n' + b'[[company]]\nid = "a"\nname = "[[company]]"\n' * 200
    starts = pieces.cut(data, 4, 1024)
    assert len(starts) == 4 and starts[0] == 0 and starts == sorted(set(starts))
    assert all(data[start:].startswith(b"[[company]]\n") for start in starts[1:])
    assert pieces.cut(data, 4, len(data)) == [0]  # too small to be worth it
    assert pieces.cut(data, 1, 1024) == [0]  # one core


def test_a_catalog_compiled_in_pieces_is_the_one_parsed_whole(tmp_path: Path, in_pieces) -> None:
    path = generated(tmp_path)
    parsed = whole(path)
    assert not in_pieces
    cold, cold_orders = load_with_orders(path, tmp_path / "cache")
    assert len(in_pieces[0]) == 3  # compiled in three pieces
    warm, warm_orders = load_with_orders(path, tmp_path / "cache")
    uncached = load_catalog(path)  # (in pieces too, without working out the orders)
    assert cold == parsed and warm == parsed and uncached == parsed
    worked_out = Inverted.of(parsed)
    for orders in (cold_orders, warm_orders):
        assert orders is not None
        for name in ("company_order", "technology_order", "reference_order", "references_of"):
            assert getattr(orders, name) == getattr(worked_out, name), name
        assert list(orders.users.items()) == list(worked_out.users.items())  # in the same order
    # Texts that repeat are one string, also across pieces: each reference's company is its company's id.
    ids = {company.id: company.id for company in cold.companies}
    assert all(ref.company is ids[ref.company] for ref in cold.references if ref.company)
    assert not list((tmp_path / "tmp").iterdir())  # the pieces are removed


def test_problems_in_every_piece_are_reported_as_for_the_whole_file(
    tmp_path: Path, write_catalog, in_pieces
) -> None:
    entries = []
    for n in range(60):
        entries.append(f'[[technology]]\nid = "t{n}"\nname = "T{n}"\ncategory = "cache"\n')
    for n in range(120):
        stack = (
            '{ tech = "t1" }, { tech = "t2" }'
            if n % 50
            else '{ tech = "nope" }, { tech = "t1" }, { tech = "t1" }'
        )
        url = "https://a.example" if n % 40 else "ftp://a.example"
        named = f'id = "c{n}"\n' if n % 45 else ""  # some without an id: named by their place
        entries.append(f'[[company]]\n{named}name = "C{n}"\nurl = "{url}"\nstack = [{stack}]\n')
    entries.append('[[company]]\nid = "c7"\nname = "Again"\n')  # a duplicate, late in the file
    for n in range(90):
        owner = f'company = "c{n}"' if n % 30 else 'company = "nobody"'
        entries.append(
            f'[[reference]]\ntitle = "R{n}"\nurl = "https://r.example/{n}"\n{owner}\nyear = {1800 + n}\n'
        )
    path = write_catalog('[meta]\nschema = 1\ntitle = "T"\n\n' + "\n".join(entries))
    said_whole = problems(path, parsed_whole=True)
    assert not in_pieces
    assert problems(path, tmp_path / "cache") == said_whole
    assert len(in_pieces[0]) == 3
    assert problems(path) == said_whole  # without the cache
    assert any("company[90]" in said for said in said_whole)  # an entry without an id, in a later piece
    assert any(":" in said.split(": ")[0] for said in said_whole)  # with its line


@pytest.mark.parametrize(
    "text, what",
    [
        ('title = """a\n[[company]]\nid = "x"\n"""', "a header line inside a multi-line string"),
        ('[meta]\nschema = 1\ntitle = "Twice"', "[meta] again, in a later piece"),
        ("[[company]]\nname = 'unfinished", "a TOML mistake in a later piece"),
        ('[company.extra]\nnote = "x"', "a table that continues the last company"),
    ],
)
def test_a_file_that_cannot_be_cut_is_parsed_whole(
    tmp_path: Path, write_catalog, in_pieces, text: str, what: str
) -> None:
    body = "".join(f'[[company]]\nid = "c{n}"\nname = "C{n}"\n\n' for n in range(80))
    path = write_catalog(
        f'[meta]\nschema = 1\ntitle = "T"\n\n{body}[[reference]]\n{text}\n{body.replace("c", "d")}'
    )
    try:
        expected: object = whole(path)
    except CatalogError as error:
        expected = [str(problem) for problem in error.problems]
    try:
        found: object = load_catalog(path, tmp_path / "cache")
    except CatalogError as error:
        found = [str(problem) for problem in error.problems]
    assert found == expected, what
    assert in_pieces and len(in_pieces[0]) > 1  # it was cut, and then parsed whole


def test_an_array_written_whole_is_not_continued_by_a_later_piece(
    tmp_path: Path, write_catalog, in_pieces
) -> None:
    companies = ", ".join(f'{{ id = "c{n}", name = "C{n}" }}' for n in range(60))
    later = "".join(f'[[company]]\nid = "d{n}"\nname = "D{n}"\n\n' for n in range(60))
    path = write_catalog(f'company = [{companies}]\n[meta]\nschema = 1\ntitle = "T"\n\n{later}')
    said_whole = problems(path, parsed_whole=True)
    assert "invalid TOML" in said_whole[0]
    assert problems(path, tmp_path / "cache") == said_whole
    assert len(in_pieces[0]) > 1


def test_a_file_changed_while_its_pieces_are_read_is_compiled_from_what_was_read(
    tmp_path: Path, in_pieces
) -> None:
    path = generated(tmp_path, 200)
    read = path.read_bytes()
    names = [company.name for company in whole(path).companies]
    path.write_bytes(read.replace(b'[[company]]\nid = "', b'[[company]]\nid = "changed-'))
    with pieces.compile_file(path, read) as compiled:
        catalog = compiled.columns.catalog()
        assert compiled.orders(catalog).fits(catalog)
    assert [company.name for company in catalog.companies] == names
    assert not any(company.id.startswith("changed-") for company in catalog.companies)
    assert in_pieces and len(in_pieces[0]) == 3


def test_a_child_ends_when_the_process_that_started_it_is_gone(tmp_path: Path) -> None:
    """Killed while it waited for its pieces, the explorer leaves no child parsing for nobody."""
    child = (
        "import os, time\n"
        "from hlexplore.catalog.pieces import _orphaned\n"
        "_orphaned(os.getppid(), 0.05)\n"
        "print(os.getpid(), flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = (
        f"import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', {child!r}])\ntime.sleep(60)\n"
    )
    started = subprocess.Popen([sys.executable, "-c", parent], stdout=subprocess.PIPE, text=True)
    assert started.stdout is not None
    pid = int(started.stdout.readline())
    assert _alive(pid)
    started.kill()
    started.wait()
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"
