"""Every way a catalog can be wrong gets a message naming the file and the place."""

from __future__ import annotations

from pathlib import Path

import pytest

from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.loader import load_catalog

META = '[meta]\nschema = 1\ntitle = "Test"\n'
TECHS = """
[[technology]]
id = "memcached"
name = "memcached"
category = "cache"

[[technology]]
id = "mysql"
name = "MySQL"
category = "relational database"
"""


def problems(path: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    return [str(p) for p in caught.value.problems]


def test_a_minimal_catalog_loads(write_catalog):
    catalog = load_catalog(
        write_catalog(META + TECHS + '[[company]]\nid = "x"\nname = "X"\nstack = [{ tech = "mysql" }]\n')
    )
    assert [t.id for t in catalog.technologies] == ["memcached", "mysql"]
    assert catalog.companies[0].stack[0].tech == "mysql"


def test_toml_syntax_error_gives_line_and_column(write_catalog):
    path = write_catalog(META + '[[technology]]\nid = "a\nname = 1\n')
    [message] = problems(path)
    assert message.startswith(f"{path}:5:")
    assert "invalid TOML" in message


def test_missing_file_and_directory(tmp_path):
    assert problems(tmp_path / "nope.toml") == [f"{tmp_path / 'nope.toml'}: no such file"]
    assert "is a directory" in problems(tmp_path)[0]


def test_non_utf8_bytes_are_located(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(META.encode() + b'[[technology]]\nid = "caf\xe9"\n')
    [message] = problems(path)
    assert f"{path}:5:" in message and "not UTF-8" in message


def test_unknown_stack_technology_suggests_the_closest(write_catalog):
    path = write_catalog(
        META + TECHS + '\n[[company]]\nid = "twitter"\nname = "Twitter"\n'
        'stack = [{ tech = "mysql" }, { tech = "memchached" }]\n'
    )
    [message] = problems(path)
    assert (
        'company "twitter" stack[1]: unknown technology "memchached" (did you mean "memcached"?)' in message
    )
    assert message.startswith(f"{path}:18:")  # the line of the item (the stack's)


def test_every_problem_is_reported_together(write_catalog):
    path = write_catalog(
        META
        + TECHS
        + """
[[technology]]
id = "mysql"
name = "Duplicate"
category = "databse"

[[technology]]
id = "Bad Id"
name = "x"
category = "cache"
url = "javascript:alert(1)"

[[technology]]
name = "no id"
category = "cache"

[[technology]]
id = "typed"
name = 42
category = "cache"
colour = "red"

[[company]]
id = "c"
name = "C"
url = "http://user:pw@example.com/"
stack = [{ tech = "mysql" }, { tech = "mysql" }, { tech = "nosuch" }]

[[reference]]
title = "Both"
url = "http://example.com/"
company = "c"
technology = "mysql"
kind = "artcle"

[[reference]]
title = "Orphan"
url = "file:///etc/passwd"
company = "ghost"
year = 3000
"""
    )
    found = "\n".join(problems(path))
    expected = [
        'unknown category "databse" (did you mean "relational database"?)',
        'technology "mysql": duplicate id',
        'id "Bad Id" must be a lowercase slug like "bad-id"',
        '"url" is not an http(s) link (javascript)',
        'technology[4]: missing required field "id"',
        '"name" must be a string, not an integer',
        'unknown field "colour"',
        '"url" embeds credentials',
        'company "c" stack[1]: "mysql" is already in the stack',
        'company "c" stack[2]: unknown technology "nosuch"',
        'needs exactly one of "company" or "technology"',
        'unknown kind "artcle" (did you mean "article"?)',
        '"url" is not an http(s) link (file)',
        'unknown company "ghost"',
        '"year" 3000 is not a plausible year',
    ]
    for text in expected:
        assert text in found
    assert all(line.startswith(str(path)) for line in found.splitlines())


def test_meta_is_required_and_schema_checked(write_catalog):
    assert any("missing: a catalog starts with [meta]" in p for p in problems(write_catalog(TECHS)))
    wrong = write_catalog('[meta]\nschema = 9\ntitle = "x"\n')
    assert any("schema 9 is not supported" in p for p in problems(wrong))


def test_unknown_top_level_table_suggests(write_catalog):
    found = problems(write_catalog(META + '[[companies]]\nid = "x"\n'))
    assert any('unknown table "companies" (did you mean "company"?)' in p for p in found)


def test_wrong_shapes(write_catalog):
    found = "\n".join(
        problems(
            write_catalog(
                'technology = "nope"\n' + META + '[[company]]\nid="a"\nname="A"\nstack = ["mysql"]\n'
            )
        )
    )
    assert "[technology]: must be an array of tables" in found
    assert 'company "a" stack[0]: must be a table, not a string' in found


def test_unknown_parent(write_catalog):
    found = problems(
        write_catalog(
            META + TECHS + '[[technology]]\nid = "ec2"\nname = "EC2"\ncategory = "cache"\nparent = "awz"\n'
        )
    )
    assert any('unknown parent "awz"' in p for p in found)


def test_empty_catalog_with_meta_is_valid(write_catalog):
    catalog = load_catalog(write_catalog(META))
    assert catalog.companies == () and catalog.technologies == ()


def test_references_get_stable_ids(write_catalog):
    text = (
        META
        + TECHS
        + '[[company]]\nid = "x"\nname = "X"\n'
        + ('[[reference]]\ntitle = "Same title"\nurl = "https://example.com/a"\ncompany = "x"\n' * 2)
    )
    refs = load_catalog(write_catalog(text)).references
    assert [r.id for r in refs] == ["x-same-title", "x-same-title-2"]


def test_a_problem_between_entries_has_its_own_line_after_an_entry_that_made_nothing(write_catalog):
    # The first technology lacks its name, so it makes no row: the second's problem is still its own line.
    path = write_catalog(
        META
        + '[[technology]]\nid = "broken"\n\n'  # 4
        + '[[technology]]\nid = "child"\nname = "Child"\ncategory = "cache"\nparent = "nosuch"\n\n'  # 7
        + '[[company]]\nid = "x"\n\n'  # 13: no name either
        + '[[company]]\nid = "y"\nname = "Y"\nstack = [{ tech = "nope" }]\n'  # 16
    )
    found = problems(path)
    assert f'{path}:7: technology "child": unknown parent "nosuch"' in found
    assert f'{path}:4: technology "broken": missing required field "name"' in found
    assert f'{path}:19: company "y" stack[0]: unknown technology "nope"' in found


def test_the_closest_name_is_the_same_whatever_the_hash_seed(tmp_path):
    # Candidates often come from a set: of names as close, the first in sorted order is said.
    import os
    import subprocess
    import sys

    techs = "".join(
        f'[[technology]]\nid = "{name}"\nname = "{name}"\ncategory = "cache"\n\n'
        for name in ("hub-proxy-1", "veg-proxy-2", "base-proxy-3", "zed-proxy-4")
    )
    path = tmp_path / "c.toml"
    path.write_text(META + techs + '[[company]]\nid = "x"\nname = "X"\nstack = [{ tech = "proxy" }]\n')
    code = (
        "from hlexplore.catalog.loader import load_catalog\n"
        f"try: load_catalog({str(path)!r})\nexcept Exception as e: print(e)"
    )
    said = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(said) == 1 and "did you mean" in said.pop()
