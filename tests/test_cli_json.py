"""With --json, every outcome of a command is one JSON object on standard output (docs/json.md), and a
name of the wrong kind is explained with the command to use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hlexplore.__main__ import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_json_object(out: str) -> dict:
    data = json.loads(out)  # the whole of stdout: exactly one object
    assert isinstance(data, dict)
    return data


# (argv, exit code, error code): names not found, ambiguous, of the wrong kind, and usage errors.
OUTCOMES = [
    (["show", "nosuchthing"], 1, "not_found"),
    (["show", "amazon"], 2, "ambiguous"),
    (["who-uses", "nosuchthing"], 1, "not_found"),
    (["who-uses", "twitter"], 1, "wrong_kind"),
    (["compare", "twitter", "redis"], 1, "wrong_kind"),
    (["compare", "twitter", "nosuchthing"], 1, "not_found"),
    (["compare", "twitter"], 2, "usage"),
    (["similar", "redis"], 1, "wrong_kind"),
    (["similar", "nosuchthing"], 1, "not_found"),
    (["related", "instagram"], 1, "wrong_kind"),
    (["related", "nosuchthing"], 1, "not_found"),
    (["stats", "--category", "nope"], 1, "not_found"),
    (["who-uses", "redis", "--only"], 2, "usage"),
    (["show", "redis", "--kind"], 2, "usage"),  # what argparse finds: an unknown option
    (["search", "redis", "--limit", "0"], 2, "usage"),
    (["show"], 2, "usage"),  # a missing argument
]


@pytest.mark.parametrize("before", [False, True], ids=["json-after", "json-before"])
@pytest.mark.parametrize(("argv", "exit_code", "code"), OUTCOMES, ids=[" ".join(o[0]) for o in OUTCOMES])
def test_every_failure_is_one_json_error_object(
    capsys, argv: list[str], exit_code: int, code: str, before: bool
) -> None:
    args = ["--json", *argv] if before else [*argv, "--json"]
    status, out, err = run(capsys, *args)
    assert status == exit_code
    error = one_json_object(out)["error"]
    assert error["code"] == code and error["message"]
    assert error["message"] in err  # people still read it on standard error
    if code == "ambiguous":
        assert len(error["candidates"]) >= 2 and {"kind", "id", "name"} <= set(error["candidates"][0])
    if code == "not_found":
        assert isinstance(error["suggestions"], list)
    if code == "wrong_kind":
        assert (
            error["try_command"].startswith("hlexplore ") and error["found"]["kind"] not in error["expected"]
        )


def test_a_wrong_kind_is_explained_with_the_command_to_use(capsys) -> None:
    status, out, err = run(capsys, "who-uses", "twitter")
    assert status == 1 and out == ""
    assert "Twitter is a company; who-uses takes a technology" in err
    assert "try: hlexplore show twitter" in err
    status, _out, err = run(capsys, "compare", "twitter", "redis")
    assert "Redis is a technology; compare takes a company" in err and "try: hlexplore who-uses redis" in err


def test_a_prefix_of_the_right_kind_still_answers(capsys) -> None:
    status, out, _err = run(capsys, "who-uses", "memcached", "--json")
    assert status == 0 and one_json_object(out)["technology"]["id"] == "memcached"


def test_json_before_the_command_gives_the_same_answer(capsys) -> None:
    after = run(capsys, "show", "instagram", "--json")
    before = run(capsys, "--json", "show", "instagram")
    assert after[0] == before[0] == 0 and one_json_object(after[1]) == one_json_object(before[1])


def test_an_invalid_catalog_is_a_json_error_naming_its_problems(capsys, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[[company]]\nid = "x"\nname = 3\n', encoding="utf-8")
    status, out, err = run(capsys, "show", "x", "--catalog", str(broken), "--json")
    assert status == 1
    error = one_json_object(out)["error"]
    assert error["code"] == "invalid_catalog" and "broken.toml" in error["message"]
    assert error["problems"] and all("broken.toml" in p for p in error["problems"])
    assert error["problems"][0] in err  # listed for people too


def test_every_error_code_the_command_line_can_give_is_documented() -> None:
    import re

    root = Path(__file__).resolve().parents[1]
    source = "".join(p.read_text(encoding="utf-8") for p in (root / "src/hlexplore/cli").glob("*.py"))
    codes = set(re.findall(r'\.fail\(\s*"(\w+)"', source))
    documented = set(re.findall(r"^\| `(\w+)` \|", (root / "docs/json.md").read_text(encoding="utf-8"), re.M))
    assert codes and codes == documented - {"code"}  # less the table's header


@pytest.mark.parametrize("name", ["instagram", "tumblr", "memcached"])
def test_piped_text_keeps_every_url_whole_and_show_lists_the_references_urls(name: str) -> None:
    import subprocess
    import sys

    from hlexplore.catalog.loader import bundled_catalog_path, load_catalog
    from hlexplore.index import CatalogIndex

    index = CatalogIndex(load_catalog(bundled_catalog_path()))
    entry = index.resolve(name).entry
    shown = subprocess.run(
        [sys.executable, "-m", "hlexplore", "show", name],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in __import__("os").environ.items() if k != "COLUMNS"},
    ).stdout  # a pipe: not a terminal
    urls = [entry.url, *(r.url for r in index.references_of(entry.id) if r.url)]
    assert urls and all(url in shown for url in urls)
    assert all(len(line) <= 80 or "http" in line for line in shown.splitlines())  # only URLs run past 80


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "redis", "--limit", "0"],
        ["search", "redis", "--limit", "-1"],
        ["similar", "pinterest", "--limit", "0"],
        ["related", "redis", "--limit", "x"],
        ["stats", "--top", "0"],
        ["stats", "--stale-years", "-1"],
    ],
)
def test_a_count_that_makes_no_sense_is_a_usage_error_not_a_silent_one(capsys, argv: list[str]) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and "usage:" in err and ("or more" in err or "whole number" in err)


def test_counts_of_one_read_in_the_singular(capsys, tmp_path: Path) -> None:
    from hlexplore.text import count

    assert [count(1, "technology"), count(2, "technology"), count(0, "company"), count(1, "company")] == [
        "1 technology",
        "2 technologies",
        "0 companies",
        "1 company",
    ]
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[meta]\nschema = 1\ntitle = "Mine"\n\n'
        '[[technology]]\nid = "redis"\nname = "Redis"\ncategory = "cache"\n\n'
        '[[company]]\nid = "acme"\nname = "Acme"\nstack = [{ tech = "redis" }]\n',
        encoding="utf-8",
    )
    status, out, _err = run(capsys, "who-uses", "redis", "--only", "--catalog", str(mine))
    assert status == 0 and "Redis is used by 1 of 1 company" in out
    status, out, _err = run(capsys, "search", "acme", "--only", "--catalog", str(mine))
    assert "1 technology" in out


def test_a_long_query_is_not_echoed_whole(capsys) -> None:
    status, _out, err = run(capsys, "search", "q" * 20_000)
    assert status == 1 and len(err) < 200 and "…" in err


def test_import_markdown_json_is_a_report_not_toml(capsys, tmp_path: Path) -> None:
    import tomllib

    source = Path(__file__).resolve().parent / "fixtures" / "HL-Backend-Architectures.md"
    status, out, _err = run(capsys, "import-markdown", str(source), "--json")
    report = one_json_object(out)
    assert status == 0 and report["output"] is None and report["counts"]["companies"] == 23
    assert all({"line", "level", "message"} == set(n) for n in report["notes"])
    assert len(tomllib.loads(report["toml"])["company"]) == 23  # the catalog itself, inside the report
    written = tmp_path / "out.toml"
    status, out, _err = run(capsys, "import-markdown", str(source), "-o", str(written), "--json")
    assert status == 0 and one_json_object(out)["output"] == str(written) and written.exists()
    status, out, _err = run(capsys, "import-markdown", str(tmp_path / "missing.md"), "--json")
    assert status == 1 and one_json_object(out)["error"]["code"] == "not_found"


def _json(numbers: st.SearchStrategy) -> st.SearchStrategy:
    return st.recursive(
        st.none() | st.booleans() | st.integers(-(2**70), 2**70) | numbers | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
        max_leaves=20,
    )


def _written(value) -> str:
    import contextlib
    import io

    from hlexplore.cli.commands import write_json

    written = io.StringIO()
    with contextlib.redirect_stdout(written):
        write_json(value)
    return written.getvalue()


@settings(max_examples=300, deadline=None)
@given(value=_json(st.nothing()))
def test_json_is_written_as_the_standard_encoder_writes_it(value) -> None:
    # orjson writes it when it can (compiled), json when it cannot (integers past 64 bits, lone surrogates)
    assert _written(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_json_goes_to_a_binary_standard_output_as_utf8_bytes_after_what_was_written_first() -> None:
    import contextlib
    import io

    from hlexplore.cli.commands import write_json

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    value = {"name": "Ñeber · 東京", "n": [1, 2.5, None, True]}
    with contextlib.redirect_stdout(out):
        print("before", end="|")
        write_json(value)
    out.flush()
    assert raw.getvalue() == ("before|" + json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()


@settings(max_examples=200, deadline=None)
@given(value=_json(st.floats(allow_nan=False, allow_infinity=False)))
def test_json_numbers_read_back_as_written(value) -> None:
    # (a float may be spelt otherwise than json spells it, 0.00001 for 1e-05: the same number)
    assert json.loads(_written(value)) == value
