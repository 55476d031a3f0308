"""Comparisons for reading and export: aligned rows, toggles, the matrix, Markdown, and the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hlexplore.__main__ import main
from hlexplore.catalog.loader import load_catalog
from hlexplore.index import CatalogIndex
from hlexplore.index.report import aligned_rows, comparison_markdown, matrix_markdown, md, summary
from tests.conftest import FIXTURES


def test_aligned_rows_read_across_by_category(index):
    result = index.compare("instagram", "pinterest")
    rows = aligned_rows(result)
    # Every technology of both stacks appears once on its side, shared ones on both sides of one row.
    lefts = [r.left.technology.id for r in rows if r.left]
    rights = [r.right.technology.id for r in rows if r.right]
    assert sorted(lefts) == sorted(i.tech for i in index.companies["instagram"].stack)
    assert sorted(rights) == sorted(i.tech for i in index.companies["pinterest"].stack)
    shared_rows = [r for r in rows if r.left and r.left.shared]
    assert {r.left.technology.id for r in shared_rows} == {"django", "memcached", "redis"}
    assert all(r.right and r.right.technology == r.left.technology for r in shared_rows)
    # Within a row both cells are of the row's category; categories are contiguous.
    for row in rows:
        assert all(s.technology.category == row.category for s in (row.left, row.right) if s)
    categories = [r.category for r in rows]
    assert len(set(categories)) == len(
        [c for i, c in enumerate(categories) if i == 0 or categories[i - 1] != c]
    )
    cache = [r for r in rows if r.category == "messaging / queue"]
    assert [(r.left and r.left.technology.id, r.right and r.right.technology.id) for r in cache] == [
        ("gearman", "rabbitmq")
    ]
    # Notes are kept per side: Instagram's Django runs on high-cpu extra-large instances.
    django = next(r for r in shared_rows if r.left.technology.id == "django")
    assert django.left.item.note and not django.right.item.note


def test_toggles_differences_only_shared_only_and_swap(index):
    result = index.compare("instagram", "pinterest")
    differences = aligned_rows(result, "differences")
    assert differences and not any(
        (r.left and r.left.shared) or (r.right and r.right.shared) for r in differences
    )
    shared = aligned_rows(result, "shared")
    assert len(shared) == 3 and all(r.left.shared and r.right.shared for r in shared)
    swapped = result.swapped()
    assert swapped.left.id == "pinterest" and swapped.right.id == "instagram"
    assert swapped.only_left == result.only_right and swapped.jaccard == result.jaccard
    django = next(e for e in swapped.shared if e.technology.id == "django")
    assert django.right.note and not django.left.note
    assert swapped.swapped() == result


def test_companies_with_empty_stacks_and_with_themselves(index):
    empty = index.compare("linkedin", "tagged")
    assert (
        aligned_rows(empty) == []
        and summary(empty) == "0 shared, 0 only LinkedIn, 0 only Tagged, Jaccard 0.00"
    )
    assert "Neither company's stack lists any technology." in comparison_markdown(empty, "t")
    same = index.compare("trello", "trello")
    assert all(r.left.shared and r.right.shared for r in aligned_rows(same))
    assert aligned_rows(same, "differences") == []
    matrix = index.matrix(["linkedin", "soundcloud", "tagged"])
    assert matrix.rows == () and matrix.counts() == (0, 0, 0)
    assert "None of these companies' stacks lists any technology." in matrix_markdown(matrix, "t")


def test_matrix_rows_most_shared_first_grouped_by_category(index):
    ids = ["instagram", "pinterest", "tumblr", "linkedin"]
    matrix = index.matrix(ids)
    assert [c.id for c in matrix.companies] == ids
    assert [r.technology.id for r in matrix.rows[:2]] == ["memcached", "redis"]  # used by 3 of 4
    assert matrix.shared_by_all() == 0  # LinkedIn's stack is empty
    # Each company's count is the length of its (distinct) stack; LinkedIn's column is empty.
    assert matrix.counts() == tuple(len({i.tech for i in index.companies[c].stack}) for c in ids)
    # Categories are contiguous, and a category never follows one whose best row is less shared.
    seen, best = [], {}
    for row in matrix.rows:
        category = row.technology.category
        if not seen or seen[-1] != category:
            assert category not in seen
            seen.append(category)
        best.setdefault(category, row.count)
        assert row.count <= best[category]
    assert [best[c] for c in seen] == sorted((best[c] for c in seen), reverse=True)
    assert index.matrix(["tumblr", "tumblr", "pinterest"]).companies == (
        index.companies["tumblr"],
        index.companies["pinterest"],
    )


def test_markdown_escapes_catalog_text():
    hostile = CatalogIndex(load_catalog(FIXTURES / "explorer.toml"))
    ids = list(hostile.companies)
    text = comparison_markdown(hostile.compare(ids[0], ids[1]), hostile.title)
    text += matrix_markdown(hostile.matrix(ids), hostile.title)
    assert "\x1b" not in text and "\x07" not in text
    assert md("a|b [x](javascript:y) <b>*") == "a\\|b \\[x\\]\\(javascript:y\\) \\<b\\>\\*"
    assert md("two\nlines") == "two lines"
    # Every table row has as many cells as its header: nothing in the text broke a table.
    for block in text.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            width = rows[0].replace("\\|", "").count("|")
            assert all(r.replace("\\|", "").count("|") == width for r in rows)


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_compare_formats(capsys):
    code, out, _ = run(capsys, "compare", "instagram", "pinterest", "--format", "markdown")
    assert code == 0 and out.startswith("# Instagram and Pinterest: stacks side by side")
    assert "| cache | **memcached** | **memcached** |" in out
    code, out, _ = run(capsys, "compare", "instagram", "pinterest", "tumblr", "--format", "json")
    data = json.loads(out)
    assert [c["id"] for c in data["companies"]] == ["instagram", "pinterest", "tumblr"]
    assert data["technologies"][0]["id"] == "memcached" and data["technologies"][0]["count"] == 3
    assert data["shared_by_all"] == 2 and data["counts"]["instagram"] == 22
    code, out, _ = run(capsys, "compare", "instagram", "pinterest", "tumblr")
    assert code == 0 and "49 technologies, 2 used by all 3 companies" in out and "●" in out
    code, out, _ = run(capsys, "compare", "instagram", "pinterest", "tumblr", "--format", "markdown")
    assert "| cache | memcached | ● | ● | ● | 3 |" in out


def test_cli_compare_needs_two_companies_and_real_names(capsys):
    code, _, err = run(capsys, "compare", "instagram")
    assert code == 2 and "two or more companies" in err
    code, _, err = run(capsys, "compare", "instagram", "nosuchcompany")
    assert code == 1 and 'no company named "nosuchcompany"' in err
    code, out, err = run(capsys, "compare", "instagram", "instagrm")  # a typo: clearly Instagram
    assert code == 0 and 'showing Instagram for "instagrm"' in err and "Jaccard 1.00" in out
    code, out, _ = run(capsys, "compare", "instagram", "Instagram")
    assert code == 0 and "22 shared" in out and "Jaccard 1.00" in out


def test_cli_markdown_and_json_parse_as_a_script_reads_them(tmp_path):
    command = [sys.executable, "-m", "hlexplore", "compare", "twitter", "facebook"]
    done = subprocess.run([*command, "--json"], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["jaccard"] == pytest.approx(8 / 30, abs=1e-4)
    done = subprocess.run([*command, "--format", "text"], capture_output=True, text=True, check=True)
    assert "\x1b[" not in done.stdout and "8 shared" in done.stdout  # plain when piped
