"""One resolver for names: exact names, ids and aliases, then a unique prefix, then the one entry clearly
nearest to a misspelt name, said on standard error; a table of real typos, and the same answer whatever
the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hlexplore.__main__ import main

# (what a person types, the entry meant): transpositions, letters left out or doubled or changed, and
# separators missing or added.
TYPOS = [
    ("instgram", "instagram"),  # a letter left out
    ("pintrest", "pinterest"),
    ("facebok", "facebook"),
    ("twiter", "twitter"),
    ("memcahed", "memcached"),  # two letters swapped and one left out
    ("ngnix", "nginx"),  # two letters swapped
    ("djnago", "django"),
    ("reddis", "redis"),  # a letter doubled
    ("rabbitmqq", "rabbitmq"),
    ("postgress", "postgresql"),
    ("mongdb", "mongodb"),
    ("cassandar", "cassandra"),
    ("hadop", "hadoop"),
    ("tumbler", "tumblr"),  # a letter added
    ("elastic search", "elasticsearch"),  # a separator added
    ("stack exchange", "stackexchange"),
    ("pgsql", "postgresql"),  # the filter's scattered letters, one match
]


@pytest.mark.parametrize(("typed", "meant"), TYPOS, ids=[t for t, _m in TYPOS])
def test_a_real_typo_finds_the_entry_and_says_so(index, typed: str, meant: str) -> None:
    found = index.resolve(typed)
    assert found.status == "found" and found.entry is not None and found.entry.id == meant


def test_the_command_line_says_which_entry_it_shows_for_a_typo(capsys) -> None:
    assert main(["who-uses", "memcahed"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("memcached is used by 12 of 23 companies")
    assert 'showing memcached for "memcahed"' in captured.err


@pytest.mark.parametrize("typed", ["xyzzy", "ab", "sql", "amazon"])
def test_no_guess_without_one_clearly_nearest(index, typed: str) -> None:
    found = index.resolve(typed)
    assert not found.guessed


def test_a_typo_nearer_to_another_kind_is_a_wrong_kind(capsys) -> None:
    assert main(["who-uses", "twiter"]) == 1  # Twitter (one edit), not Twisted (two)
    assert "Twitter is a company; who-uses takes a technology" in capsys.readouterr().err


def test_the_same_answers_whatever_the_hash_seed() -> None:
    script = (
        "from hlexplore.catalog.loader import bundled_catalog_path, load_catalog\n"
        "from hlexplore.index import CatalogIndex\n"
        "index = CatalogIndex(load_catalog(bundled_catalog_path()))\n"
        f"for typed in {[t for t, _m in TYPOS] + ['xyzzy', 'sql', 'amazon', 'tw']!r}:\n"
        "    found = index.resolve(typed)\n"
        "    print(typed, found.status, found.entry and found.entry.id, [e.id for e in found.candidates])\n"
    )
    answers = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(answers) == 1


@pytest.mark.parametrize("typed", ["stack exchange", "Stack-Exchange", "stackexch"])
def test_a_company_written_otherwise_is_found_before_any_title_is_looked_at(catalog, typed: str) -> None:
    # exact, then without separators, then as a prefix, among companies and technologies: the references'
    # search lines (300,000 of them at scale) are not made for a name a company has
    from hlexplore.index import CatalogIndex

    index = CatalogIndex(catalog)
    found = index.resolve(typed)
    assert found.status == "found" and found.entry.id == "stackexchange"
    assert "reference" not in index._search._name_tables
