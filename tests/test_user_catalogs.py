"""The user's own catalogs merged over the bundled one: the rules, the errors, validate, and the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hlexplore.__main__ import main
from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.merge import load_merged
from hlexplore.user.paths import UserPaths

ADDS_AND_EXTENDS = """
[[technology]]
id = "redis"
aliases = ["redis-server"]

[[company]]
id = "acme"
name = "Acme Corp"
url = "https://acme.example.com/"
stack = [{ tech = "redis", note = "sessions" }, { tech = "postgresql" }]

[[company]]
id = "instagram"
url = "https://instagram-engineering.com/"
stack = [{ tech = "redis", version = "7" }, { tech = "rabbitmq" }]

[[reference]]
title = "How Acme scales"
url = "https://acme.example.com/blog"
company = "acme"
kind = "article"
"""


def folder() -> Path:
    path = UserPaths.default().catalogs_dir
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_merge_adds_entries_and_extends_existing_ones(index) -> None:
    (folder() / "mine.toml").write_text(ADDS_AND_EXTENDS, encoding="utf-8")
    loaded = load_merged(user_folder=folder())
    catalog = loaded.catalog
    companies = {c.id: c for c in catalog.companies}
    bundled = index.companies["instagram"]
    assert len(catalog.companies) == len(index.companies) + 1
    assert companies["acme"].origin == str(folder() / "mine.toml")
    instagram = companies["instagram"]
    assert instagram.url == "https://instagram-engineering.com/" and instagram.name == bundled.name
    stack = {item.tech: item for item in instagram.stack}
    assert len(stack) == len(bundled.stack) + 1 and stack["redis"].version == "7"  # replaced, and one added
    assert {t.id: t for t in catalog.technologies}["redis"].aliases == ("redis-server",)
    assert [r.id for r in catalog.references if r.company == "acme"] == ["acme-how-acme-scales"]
    assert loaded.touched[("company", "instagram")] == [str(folder() / "mine.toml")]
    assert loaded.skipped == [] and loaded.notes == []


def test_a_bad_file_in_the_folder_is_skipped_with_its_problems_and_the_rest_applies() -> None:
    (folder() / "a-bad.toml").write_text(
        '[[company]]\nid = "bad"\nname = "Bad"\nstack = [{ tech = "memcahced" }]\n'
    )
    (folder() / "b-broken.toml").write_text("[[company]\n")
    (folder() / "c-good.toml").write_text(ADDS_AND_EXTENDS)
    loaded = load_merged(user_folder=folder())
    said = loaded.messages()
    assert len(said) == 2
    assert said[0].startswith(f"{folder() / 'a-bad.toml'}: skipped")
    assert 'company "bad" stack[0]: unknown technology "memcahced" (did you mean "memcached"?)' in said[0]
    assert str(folder() / "b-broken.toml") in said[1] and "invalid TOML" in said[1]
    assert "acme" in {c.id for c in loaded.catalog.companies}


def test_later_files_win_and_conflicts_are_reported(tmp_path: Path) -> None:
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text('[[company]]\nid = "trello"\nnote = "first"\n')
    second.write_text('[[company]]\nid = "trello"\nnote = "second"\n')
    loaded = load_merged([first, second])
    assert {c.id: c for c in loaded.catalog.companies}["trello"].note == "second"
    assert loaded.notes == [f'{second}: company "trello" note: also set by {first}; the value here is used']


def test_an_explicit_catalog_with_a_problem_stops(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[company]]\nid = "new"\n')  # a new company needs a name
    with pytest.raises(CatalogError) as raised:
        load_merged([bad])
    assert str(bad) in str(raised.value) and 'company "new"' in str(raised.value)


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_validate_checks_the_users_catalogs_too(capsys) -> None:
    (folder() / "good.toml").write_text(ADDS_AND_EXTENDS)
    (folder() / "zbad.toml").write_text('[[technology]]\nid = "x"\nname = "X"\ncategory = "nope"\n')
    code, out, _ = run(capsys, "validate", "--json")
    files = json.loads(out)["files"]
    assert code == 1 and [f["valid"] for f in files] == [True, True, False]
    assert files[1]["as"] == "user catalog, merged over the bundled one" and files[1]["companies"] == 24
    assert 'technology "x": unknown category "nope"' in files[2]["problems"][0]
    code, out, _ = run(capsys, "validate", str(folder() / "good.toml"))
    assert code == 0 and "valid user catalog" in out


def test_cli_commands_see_the_users_catalogs_and_warn_about_bad_ones(capsys) -> None:
    (folder() / "good.toml").write_text(ADDS_AND_EXTENDS)
    (folder() / "zbad.toml").write_text("not toml at all [")
    code, out, err = run(capsys, "who-uses", "redis", "--json")
    assert code == 0 and "acme" in [c["id"] for c in json.loads(out)["companies"]]
    assert "zbad.toml: skipped" in err


async def test_the_app_marks_entries_from_the_users_catalogs_and_says_what_was_skipped(notes) -> None:
    from hlexplore.app.factory import make_app
    from tests.explorer_helpers import screen_text, settle

    (folder() / "mine.toml").write_text(ADDS_AND_EXTENDS)
    (folder() / "zbad.toml").write_text("[[company]\n")
    loaded = load_merged(user_folder=folder())
    app = make_app(loaded.catalog, loaded=loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"acme", "enter")
        await settle(pilot)
        assert "from your catalog: mine.toml" in screen_text(app)
        await pilot.press("escape", "slash", "ctrl+u", *"instagram", "enter")
        await settle(pilot)
        assert "extended by your catalog: mine.toml" in screen_text(app)
        assert any("zbad.toml: skipped" in message for severity, message in notes if severity == "warning")


def test_add_company_asks_matches_technologies_and_writes_a_valid_entry(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    answers = "\n".join(
        [
            "Acme Corp",  # name
            "",  # the suggested id: acme-corp
            "ftp://acme.example.com",  # refused: not http(s)
            "https://acme.example.com/",
            "redis",  # found
            "sessions",  # its note
            "cassandar",  # a typo: did you mean ... 1) Apache Cassandra
            "1",
            "",  # no note
            "sql",  # ambiguous: which one? (most used first: 1) Microsoft SQL Server)
            "1",
            "",
            "redis",  # already in the stack
            "",  # end of the list
        ]
    )
    env = {**os.environ}
    done = subprocess.run(
        [sys.executable, "-m", "hlexplore", "add-company"],
        input=answers + "\n",
        text=True,
        capture_output=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "that link is not an http(s) link" in done.stdout
    assert "did you mean" in done.stdout and "1) Apache Cassandra" in done.stdout
    assert "which one?" in done.stdout and "Redis is already in the stack" in done.stdout
    target = folder() / "mine.toml"
    assert f"added Acme Corp (3 technologies) to {target}" in done.stdout
    loaded = load_merged(user_folder=folder())
    acme = {c.id: c for c in loaded.catalog.companies}["acme-corp"]
    assert [(i.tech, i.note) for i in acme.stack] == [
        ("redis", "sessions"),
        ("cassandra", ""),
        ("sql-server", ""),
    ]
    assert acme.url == "https://acme.example.com/" and loaded.skipped == []
    # A second company goes into the same file; an existing id is refused; end of input writes nothing.
    again = subprocess.run(
        [sys.executable, "-m", "hlexplore", "add-company"],
        input="Instagram\ninstagram\n",
        text=True,
        capture_output=True,
    )
    assert (
        again.returncode == 1
        and "already in the catalog" in again.stdout
        and "nothing written" in again.stdout
    )
    assert target.read_text(encoding="utf-8").count("[[company]]") == 1


def test_add_company_asks_before_a_second_company_of_a_name_and_answers_json(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    # "Instagram" exists: asked, refused, then another name; stdout holds only the JSON answer.
    answers = "Instagram\nn\nAcme Two\n\nhttps://acme.example/\nredis\n\n\n"
    done = subprocess.run(
        [sys.executable, "-m", "hlexplore", "add-company", "--json"],
        input=answers,
        text=True,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["added"]["name"] == "Acme Two" and answer["stack"] == ["redis"]
    assert "Instagram is already in the catalog (id instagram); add another? [y/N]" in done.stderr
    cancelled = subprocess.run(
        [sys.executable, "-m", "hlexplore", "add-company", "--json"], input="", text=True, capture_output=True
    )
    assert cancelled.returncode == 1 and json.loads(cancelled.stdout)["error"]["code"] == "not_added"


def test_every_problem_has_the_line_of_what_it_is_about(tmp_path: Path, capsys) -> None:
    """Unknown tables, [meta], fields and stack items (as tables or inline), standalone and merged."""
    from hlexplore.__main__ import main

    lines = [
        "[meta]",  # 1
        'title = "t"',  # 2: schema is missing
        "",
        "[[company]]",  # 4
        'id = "x"',
        'name = "X"',
        'url = "https://x.example/"',
        "bogus = 1",  # 8
        "",
        "[[company.stack]]",
        'tech = "redis"',  # 11
        "",
        "[[company.stack]]",
        'tech = "nosuch"',  # 14
        "",
        "[[company]]",  # 16
        'id = "y"',
        'name = "Y"',
        'url = "https://y.example/"',
        "stack = [",
        '  { tech = "redis" },',
        '  { tech = "redis" },',  # 22: the second is the repeat
        "]",
        "",
        "[[technology]]",
        'id = "redis"',
        'name = "Redis"',
        'category = "cache"',
        "",
        "[[technolgy]]",  # 30
        'id = "z"',
    ]
    mine = tmp_path / "mine.toml"
    mine.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", str(mine)]) == 1
    err = capsys.readouterr().err
    assert f'{mine}:30: unknown table "technolgy" (did you mean "technology"?)' in err
    assert f'{mine}:1: [meta]: missing required field "schema"' in err
    assert f'{mine}:8: company "x": unknown field "bogus"' in err
    assert f'{mine}:14: company "x" stack[1]: unknown technology "nosuch"' in err
    assert f'{mine}:22: company "y" stack[1]: "redis" is already in the stack' in err

    del lines[:3]  # a layer (no [meta]) over the bundled catalog: the lines of what is left
    lines[-8:] = []
    mine.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["show", "x", "--catalog", str(mine)]) == 1
    err = capsys.readouterr().err
    assert f'{mine}:11: company "x" stack[1]: unknown technology "nosuch"' in err
    assert f'{mine}:5: company "x": unknown field "bogus"' in err


def test_a_layer_without_meta_names_the_line_of_each_problem(tmp_path: Path, capsys) -> None:
    from hlexplore.__main__ import main

    mine = tmp_path / "mine.toml"
    mine.write_text(
        "# what add-company writes: no [meta]\n\n"
        '[[company]]\nid = "y"\nname = "Y"\n\n'
        '[[company]]\nid = "x"\nname = "X"\nstack = [{ tech = "nosuch" }]\n\n'
        '[[reference]]\ntitle = "T"\ncompany = "nobody"\nurl = "https://a.example/"\nkind = "blog post"\n',
        encoding="utf-8",
    )
    for argv in (["validate", str(mine)], ["show", "x", "--catalog", str(mine)]):  # standalone, merged
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert f'{mine}:10: company "x" stack[0]: unknown technology "nosuch"' in err
        assert f'{mine}:12: reference "T": unknown company "nobody"' in err


def test_a_layer_of_the_wrong_shape_says_each_problem_once(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[[compny]]\nid = "x"\n\n[[company]]\nid = "y"\nname = "Y"\n\ncompany_x = 1\n', encoding="utf-8"
    )
    with pytest.raises(CatalogError) as caught:
        load_merged([mine])
    said = [str(p) for p in caught.value.problems]
    assert len(said) == len(set(said)) and any('unknown table "compny"' in p for p in said), said
