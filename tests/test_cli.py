"""Every subcommand, run the way a user or a script runs it, exit codes and JSON included."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from hlexplore.__main__ import main
from hlexplore.cli.parser import build_parser

COMMANDS = [
    "search",
    "show",
    "who-uses",
    "compare",
    "similar",
    "related",
    "stats",
    "validate",
    "import-markdown",
    "paths",
    "config",
    "add-company",
    "check-links",
]


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_version_and_help(capsys):
    assert main(["--version"]) == 0 and capsys.readouterr().out.startswith("hlexplore 0.")
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for command in COMMANDS:
        assert command in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(capsys, command):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert f"usage: hlexplore {command}" in out and "--catalog" in out and "--json" in out


def test_a_usage_error_is_an_exit_code_not_an_exception(capsys):
    assert main(["show", "redis", "--no-such-flag"]) == 2
    assert "unrecognized arguments: --no-such-flag" in capsys.readouterr().err


def test_who_uses_by_alias(capsys):
    code, out, _ = run(capsys, "who-uses", "memchached")
    assert code == 0 and "memcached is used by 12 of 23 companies" in out and "Instagram" in out


def test_who_uses_json(capsys):
    data = run_json(capsys, "who-uses", "redis")
    assert data["technology"]["id"] == "redis" and data["technology"]["name"] == "Redis"
    assert {c["id"] for c in data["companies"]} >= {"instagram", "trello", "stackexchange"}
    assert all({"id", "name"} <= c.keys() for c in data["companies"])


def test_compare_json(capsys):
    data = run_json(capsys, "compare", "twitter", "facebook")
    assert set(data) >= {"left", "right", "shared", "only_left", "only_right", "jaccard"}
    assert data["left"]["id"] == "twitter" and data["right"]["id"] == "facebook"
    assert {t["id"] for t in data["shared"]} == {
        "jetty",
        "erlang",
        "thrift",
        "mysql",
        "memcached",
        "varnish",
        "cassandra",
        "hadoop",
    }
    assert all({"id", "name", "category"} <= t.keys() for t in data["only_left"] + data["only_right"])
    assert data["jaccard"] == pytest.approx(8 / 30, abs=1e-4)
    java = next(t for t in data["only_right"] if t["id"] == "java")
    assert java["note"] == "minor"


def test_compare_text(capsys):
    code, out, _ = run(capsys, "compare", "twitter", "facebook")
    assert code == 0 and "8 shared" in out and "Jaccard 0.27" in out and "= memcached" in out


def test_show_company_technology_reference(capsys):
    code, out, _ = run(capsys, "show", "instagram")
    assert code == 0 and "Stack (22)" in out and "PostgreSQL" in out and "quadruple extra-large" in out
    assert "References (5)" in out and "Most similar" in out
    code, out, _ = run(capsys, "show", "cassandra")
    assert code == 0 and "Used by (3)" in out and "casandra" in out
    code, out, _ = run(capsys, "show", "Tracking Slow Requests with Dogslow")
    assert code == 0 and "bitbucket.org" in out and "web.archive.org" in out


def test_show_lists_a_technologys_first_users_and_says_how_many_more(capsys, monkeypatch):
    from hlexplore.cli import render

    monkeypatch.setattr(render, "USERS_SHOWN", 3)
    code, out, _ = run(capsys, "show", "mysql")
    assert code == 0 and "Used by (10)" in out
    assert "… and 7 more (hlexplore who-uses mysql lists them all)" in out
    listed = out.split("Used by (10)")[1].split("… and 7 more")[0]
    code, every, _ = run(capsys, "who-uses", "mysql")
    users = [line.split()[0] for line in every.splitlines()[3:] if line.strip()]
    assert sum(name in listed for name in users) == 3 and len(users) == 10
    assert len(run_json(capsys, "show", "mysql")["used_by"]) == 10  # (--json lists them all)


def test_show_json_for_each_kind(capsys):
    assert run_json(capsys, "show", "instagram")["entity"] == "company"
    tech = run_json(capsys, "show", "my-sql")
    assert tech["entity"] == "technology" and tech["id"] == "mysql" and len(tech["used_by"]) == 10
    ref = run_json(capsys, "show", "Scaling Out")
    assert (ref["entity"], ref["kind"], ref["year"]) == ("reference", "blog post", 2008)


def test_show_unknown_suggests_and_exits_1(capsys):
    code, out, err = run(capsys, "show", "cassandraaaa db")  # too far from any name to be a typo
    assert code == 1 and out == "" and 'no entry named "cassandraaaa db"' in err and "Apache Cassandra" in err
    assert "Traceback" not in err


def test_show_a_typo_shows_the_entry_and_says_so(capsys):
    code, out, err = run(capsys, "show", "cassandara")
    assert (
        code == 0
        and out.startswith("Apache Cassandra")
        and 'showing Apache Cassandra for "cassandara"' in err
    )


def test_show_ambiguous_lists_candidates_and_exits_2(capsys):
    code, _out, err = run(capsys, "show", "mem")
    assert code == 2 and "memcached" in err and "Membase" in err


def test_search(capsys):
    data = run_json(capsys, "search", "sql", "--kind", "technology", "--limit", "3")
    assert [r["id"] for r in data["results"]] == ["sqlalchemy", "sql-server", "mysql"]
    code, out, _ = run(capsys, "search", "twitter")
    assert code == 0 and "company" in out and "Twitter" in out
    code, _out, err = run(capsys, "search", "zzzzqqq")
    assert code == 1 and "nothing matches" in err


def test_similar_related_stats(capsys):
    assert run_json(capsys, "similar", "pinterest")["similar"][0]["id"] == "youporn"
    assert run_json(capsys, "related", "memcached")["related"][0]["id"] == "mysql"
    stats = run_json(capsys, "stats")
    assert stats["companies"] == 23 and stats["top_technologies"][0]["id"] == "memcached"
    code, out, _ = run(capsys, "stats")
    assert code == 0 and "Most used technologies" in out


def test_validate_bundled_and_broken(capsys, write_catalog):
    code, out, _ = run(capsys, "validate")
    assert code == 0 and "valid catalog (23 companies" in out
    bad = write_catalog(
        '[meta]\nschema = 1\ntitle = "t"\n[[company]]\nid = "a"\nname = "A"\nstack = [{ tech = "redis" }]\n'
    )
    code, _out, err = run(capsys, "validate", str(bad))
    assert code == 1 and f'{bad}:7: company "a" stack[0]: unknown technology "redis"' in err
    data = json.loads(run(capsys, "validate", str(bad), "--json")[1])
    assert data["files"][0]["valid"] is False


def test_every_command_refuses_an_invalid_catalog_without_traceback(capsys, write_catalog):
    bad = write_catalog("[meta\n")
    for argv in (["who-uses", "redis"], ["show", "x"], ["stats"], ["compare", "a", "b"]):
        code, out, err = run(capsys, *argv, "--catalog", str(bad))
        assert code == 1 and out == "" and f"{bad}:1" in err and "Traceback" not in err


def test_catalog_option_merges_or_with_only_selects_another_catalog(capsys, write_catalog):
    own = write_catalog(
        '[meta]\nschema = 1\ntitle = "Mine"\n[[technology]]\nid = "redis"\nname = "Redis"\n'
        'category = "NoSQL store"\n[[company]]\nid = "acme"\nname = "Acme"\nstack = [{ tech = "redis" }]\n'
    )
    data = run_json(capsys, "who-uses", "redis", "--catalog", str(own), "--only")
    assert [c["id"] for c in data["companies"]] == ["acme"]
    merged = run_json(capsys, "who-uses", "redis", "--catalog", str(own))
    ids = [c["id"] for c in merged["companies"]]
    assert "acme" in ids and "instagram" in ids and len(ids) == 10  # the bundled nine, and Acme


def test_import_markdown_writes_a_valid_catalog(capsys, tmp_path):
    from tests.conftest import SEED

    out_file = tmp_path / "seed.toml"
    code, _out, err = run(capsys, "import-markdown", str(SEED), "-o", str(out_file))
    assert code == 0 and f"wrote {out_file}" in err and "23 companies" in err
    code, out, _ = run(capsys, "validate", str(out_file))
    assert code == 0 and "valid catalog (23 companies" in out
    code, _out, err = run(capsys, "import-markdown", str(tmp_path / "missing.md"))
    assert code == 1 and "no such file" in err


def _who_uses_redis(**env_extra: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env_extra}
    done = subprocess.run(
        [sys.executable, "-m", "hlexplore", "who-uses", "redis"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "Redis is used by 9" in done.stdout
    return done.stdout


def test_output_is_plain_when_not_a_terminal_and_honours_no_color():
    assert "\x1b[" not in _who_uses_redis()
    assert "\x1b[" not in _who_uses_redis(NO_COLOR="1")
    assert "\x1b[" not in _who_uses_redis(TERM="dumb", FORCE_COLOR="1")  # a dumb terminal gets plain text
    forced = _who_uses_redis(FORCE_COLOR="1")
    assert re.search(r"\x1b\[[0-9;]*3\dm", forced)  # colour when forced...
    assert not re.search(
        r"\x1b\[[0-9;]*3\dm", _who_uses_redis(FORCE_COLOR="1", NO_COLOR="1")
    )  # ...not with NO_COLOR


def test_catalog_text_never_reaches_the_terminal_as_markup_or_escapes(capsys, write_catalog):
    hostile = write_catalog(
        '[meta]\nschema = 1\ntitle = "t"\n[[technology]]\nid = "x"\n'
        'name = "[bold]x[/] \\u001b]0;pwned\\u0007 \\u001b[31mred"\ncategory = "cache"\n'
    )
    code, out, _ = run(capsys, "show", "x", "--catalog", str(hostile))
    assert code == 0 and "[bold]x[/]" in out and "\x1b" not in out and "\x07" not in out
    assert "␛" in out


def test_parser_has_every_command():
    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices
    assert sorted(choices) == sorted(COMMANDS)


def many_companies(count: int) -> str:
    """A catalog of count companies, every one using Redis, some MySQL too, with a reference each."""
    lines = [
        '[meta]\nschema = 1\ntitle = "Many"',
        '[[technology]]\nid = "redis"\nname = "Redis"\ncategory = "NoSQL store"',
        '[[technology]]\nid = "mysql"\nname = "MySQL"\ncategory = "relational database"',
    ]
    for n in range(count):
        stack = '{ tech = "redis", note = "cache" }' + (', { tech = "mysql" }' if n % 3 == 0 else "")
        lines.append(f'[[company]]\nid = "c{n:04}"\nname = "Company {n:04}"\nstack = [{stack}]')
        lines.append(
            f'[[reference]]\ntitle = "Talk {n}"\nurl = "https://example.com/{n}"\n'
            f'company = "c{n:04}"\nyear = {2010 + n % 10}'
        )
    return "\n".join(lines) + "\n"


def test_a_long_answer_is_written_a_row_a_line(capsys, write_catalog):
    path = write_catalog(many_companies(700))
    code, out, _ = run(capsys, "who-uses", "redis", "--only", "--catalog", str(path))
    lines = out.splitlines()
    assert code == 0 and lines[0] == "Redis is used by 700 of 700 companies"
    assert lines[1].split() == ["company", "note"] and set(lines[2]) == {"─"}
    rows = lines[3:]
    assert len(rows) == 700 and rows[0].split() == ["Company", "0000", "cache"]
    assert all(row.index("cache") == rows[0].index("cache") for row in rows)  # one column, lined up
    data = run_json(capsys, "who-uses", "redis", "--only", "--catalog", str(path))
    assert [row.split()[1] for row in rows] == [c["name"].split()[1] for c in data["companies"]]


def test_stats_text_shows_the_largest_and_says_how_many_more(capsys, write_catalog, monkeypatch):
    from hlexplore.cli import charts

    path = write_catalog(many_companies(50))
    code, out, _ = run(capsys, "stats", "--only", "--catalog", str(path))
    assert code == 0
    assert out.count("… and 20 more companies (--json lists them all)") == 2  # the heat table and time
    assert "Company 0000" in out  # the largest stacks (MySQL too) first: every third company
    monkeypatch.setattr(charts, "insight", lambda *_: pytest.fail("the text is not made for --json"))
    data = run_json(capsys, "stats", "--only", "--catalog", str(path))
    assert len(data["insight"]["heat"]["companies"]) == 50


def test_a_cell_of_many_names_lists_the_first_and_counts_the_rest(capsys, write_catalog):
    path = write_catalog(many_companies(700))
    code, out, _ = run(capsys, "related", "redis", "--only", "--catalog", str(path))
    assert code == 0 and "and 222 more" in out.replace("\n", " ")  # MySQL: 234 companies, 12 named
    data = run_json(capsys, "related", "redis", "--only", "--catalog", str(path))
    assert len(data["related"][0]["companies"]) == 234


def test_a_company_name_means_the_company_before_a_talk_with_that_title(capsys, write_catalog):
    path = write_catalog(
        '[meta]\nschema = 1\ntitle = "T"\n[[company]]\nid = "netflix"\nname = "Netflix"\n'
        '[[reference]]\ntitle = "Netflix"\nurl = "https://example.com/t"\ncompany = "netflix"\n'
        '[[reference]]\ntitle = "Scaling Pinterest"\nurl = "https://example.com/p"\ncompany = "netflix"\n'
    )
    assert run_json(capsys, "show", "netflix", "--only", "--catalog", str(path))["entity"] == "company"
    found = run_json(capsys, "show", "scaling pinterest", "--only", "--catalog", str(path))
    assert found["entity"] == "reference"  # a title is still found when no company or technology has it


def test_stats_json_is_the_same_under_any_hash_seed(write_catalog):
    # names equal when folded (Ñeber, Neber): their order must not come from a set's order
    companies = "\n".join(
        f'[[company]]\nid = "{id_}"\nname = "{name}"\nstack = [{{ tech = "redis" }}, {{ tech = "mysql" }}]\n'
        f'[[reference]]\ntitle = "Talk {id_}"\nurl = "https://example.com/{id_}"\ncompany = "{id_}"\n'
        for id_, name in [("n1", "Ñeber"), ("n2", "Neber"), ("n3", "Néber"), ("n4", "NEBER"), ("n5", "neber")]
    )
    path = write_catalog(
        '[meta]\nschema = 1\ntitle = "T"\n[[technology]]\nid = "redis"\nname = "Redis"\ncategory = "cache"\n'
        '[[technology]]\nid = "mysql"\nname = "MySQL"\ncategory = "relational database"\n' + companies
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-m", "hlexplore", "stats", "--json", "--only", "--catalog", str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in (1, 2, 3, 4)
    }
    assert len(outputs) == 1 and '"n1"' in outputs.pop()
