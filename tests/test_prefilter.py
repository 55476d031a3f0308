"""The prefilter is exact: on a large generated catalog, filtering with it finds exactly what scoring
every entry finds, in the same order, however the query was typed and however many are asked for."""

from __future__ import annotations

import functools
import io
import tempfile
from pathlib import Path

import pytest
from benchmarks.gen_catalog import generate
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hlexplore.catalog.compiler import catalog_from_data
from hlexplore.catalog.models import Catalog
from hlexplore.catalog.toml_file import read_toml
from hlexplore.index import prefilter, search
from hlexplore.index.catalog_index import CatalogIndex
from hlexplore.index.matching import TYPO_CUTOFF, Term, parse_query, scattered, typo_ratio
from hlexplore.index.prefilter import _expression


@functools.cache
def large_catalog() -> Catalog:
    out = io.StringIO()
    generate(companies=2500, technologies=300, references=2500, seed=7, out=out)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.toml"
        path.write_text(out.getvalue(), encoding="utf-8")
        data, text = read_toml(path)
        return catalog_from_data(data, path, text)


@pytest.fixture(scope="module", params=["as built", "prepared"])
def large(request) -> CatalogIndex:
    """The index of a large catalog as its first query finds it, and once its tables are built (the
    sorted keys, the short keys, the word table: the explorer builds them after its first frame)."""
    index = CatalogIndex(large_catalog())
    if request.param == "prepared":
        for kind in ("company", "technology", "reference"):
            index.prepare(kind, typos=True, words=True)
    return index


@pytest.fixture(scope="module")
def prepared() -> CatalogIndex:
    """The index of a large catalog, its tables built."""
    index = CatalogIndex(large_catalog())
    for kind in ("company", "technology", "reference"):
        index.prepare(kind, typos=True, words=True)
    return index


@pytest.fixture(scope="module")
def titles(prepared) -> prefilter.Haystack:
    return prepared.haystack("reference")


def brute(index: CatalogIndex, kind: str, query: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(search, "PREFILTER_FROM", 10**9)  # every entry scored, one by one
        patch.setattr(search.Search, "haystack", lambda *_: pytest.fail("the oracle used the haystack"))
        return [r.entry.id for r in index.filter(kind, query)]


words = st.text(alphabet="aeiokrstnlmpcdzé레データ", min_size=1, max_size=7)
queries = st.one_of(
    words,
    st.builds(
        lambda w, op: op.replace("W", w), words, st.sampled_from(["'W", "^W", "W$", "^W$", "!W", "W x"])
    ),
    st.builds(lambda a, b: f"{a}|{b}", words, words),
    st.builds(lambda a, b: f"{a} {b}", words, words),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries, kind=st.sampled_from(["company", "reference"]))
@example(query="kari", kind="company")  # a typo of "karo..." names: found through rapidfuzz
@example(query="stack", kind="company")
def test_the_prefilter_never_loses_a_match(large, monkeypatch, query: str, kind: str) -> None:
    assert len(large.entries(kind)) >= search.PREFILTER_FROM
    assert [r.entry.id for r in large.filter(kind, query)] == brute(large, kind, query, monkeypatch)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries, kind=st.sampled_from(["company", "reference"]), limit=st.integers(1, 60))
@example(query="a", kind="company", limit=50)  # keys starting with "a" fill the 50: only they are scored
@example(query="ar", kind="reference", limit=3)
def test_the_best_few_are_the_head_of_all_matches(large, query: str, kind: str, limit: int) -> None:
    everything = large.filtered(kind, query)
    few = large.filtered(kind, query, limit=limit)
    assert few.matched == everything.matched == len(everything.shown)
    head = everything.shown[:limit]
    assert [(r.entry.id, r.score) for r in few.shown] == [(r.entry.id, r.score) for r in head]


@pytest.mark.parametrize("typed", ["karo", "cloud l", "^pho", "'lab", "zen!a"])
def test_typing_a_query_letter_by_letter_finds_what_a_fresh_search_finds(typed: str, monkeypatch) -> None:
    index = CatalogIndex(large_catalog())  # its own index: earlier keystrokes narrow the later ones
    for end in range(1, len(typed) + 1):
        text = typed[:end]
        found = [r.entry.id for r in index.filter("company", text)]
        assert found == brute(index, "company", text, monkeypatch)


def test_a_superseded_query_stops_scoring(large) -> None:
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return True

    assert large.filter("company", "a", cancelled=cancelled) == [] and asked
    assert large.filter("company", "a", cancelled=lambda: False)  # not cancelled: the matches


def test_similar_is_the_jaccard_ranking_of_every_other_stack(large) -> None:
    rank = {c.id: i for i, c in enumerate(large.entries("company"))}
    stacks = {c.id: {i.tech for i in c.stack} for c in large.entries("company")}
    for company in large.entries("company")[:: len(stacks) // 30]:
        mine = stacks[company.id]
        expected = sorted(
            (
                (-len(mine & theirs) / len(mine | theirs), -len(mine & theirs), rank[other], other)
                for other, theirs in stacks.items()
                if other != company.id and mine & theirs
            ),
        )
        found = large.similar(company.id, limit=None)
        assert [s.company.id for s in found] == [e[3] for e in expected]
        assert [s.score for s in found] == pytest.approx([-e[0] for e in expected])
        assert all(set(t.id for t in s.shared) == mine & stacks[s.company.id] for s in found[:20])


def test_similar_with_a_limit_is_the_head_of_the_full_ranking(large) -> None:
    for company in large.entries("company")[:40]:
        full = [(s.company.id, round(s.score, 9)) for s in large.similar(company.id, limit=None)]
        assert [(s.company.id, round(s.score, 9)) for s in large.similar(company.id, limit=10)] == full[:10]


@settings(max_examples=300, deadline=None)
@given(
    needle=st.text(alphabet="abcde", min_size=4, max_size=prefilter.LONG_KEYS_FROM - 1),
    key=st.text(alphabet="abcde ", min_size=7, max_size=30),
)
@example(needle="abcde", key="abxcdeyyy")  # a typo, and a scattered match
def test_a_short_needle_is_a_typo_of_a_long_key_only_as_a_scattered_match(needle: str, key: str) -> None:
    # why Haystack._typos compares needles under LONG_KEYS_FROM characters with short keys only
    if len(key) >= len(needle) + 3 and typo_ratio(needle, key) >= TYPO_CUTOFF:
        assert scattered(needle).search(key)


def test_from_long_keys_from_a_long_key_can_be_a_typo_and_nothing_else() -> None:
    needle, key = "abcdeabcd"[: prefilter.LONG_KEYS_FROM], "abcdeabcxyyy"
    assert typo_ratio(needle, key) >= TYPO_CUTOFF and not scattered(needle).search(key)


@pytest.mark.parametrize(
    ("kind", "word"), [("company", "t"), ("company", "ne"), ("reference", "sc"), ("reference", "r")]
)
def test_the_best_of_a_word_many_keys_start_with_are_found_among_those_keys_alone(
    prepared, monkeypatch, kind: str, word: str
) -> None:
    large, haystack = prepared, prepared.haystack(kind)
    assert haystack.best(parse_query(word), 20) is not None  # the quick way is the one taken here
    assert [r.entry.id for r in large.filter(kind, word, limit=20)] == brute(large, kind, word, monkeypatch)[
        :20
    ]
    assert [r.score for r in large.filter(kind, word, limit=20)] == [
        r.score for r in large.filter(kind, word)[:20]
    ]


@pytest.mark.parametrize("word", ["day", "stre", "proxy", "'from", "of"])
def test_the_best_of_a_word_starting_words_of_many_titles_are_found_by_their_lengths(
    large, monkeypatch, word: str
) -> None:
    haystack = large.haystack("reference")
    query = parse_query(word)
    start, end = haystack.sorted_keys().starting(query.alone.text)
    assert end - start < 20  # few titles start with it: the word band is the one taken
    assert haystack._best_word_starts(query, query.alone.text, (start, end), 20, None) is not None
    assert [(r.entry.id, r.score) for r in large.filter("reference", word, limit=20)] == [
        (r.entry.id, r.score) for r in large.filter("reference", word)[:20]
    ]
    assert [r.entry.id for r in large.filter("reference", word, limit=20)] == brute(
        large, "reference", word, monkeypatch
    )[:20]


def test_a_word_in_another_key_than_the_label_is_scored_in_full() -> None:
    # "ref" starts a word in every reference's id: no label decides those entries' scores alone
    index = CatalogIndex(large_catalog())
    haystack = index.haystack("reference")
    start, end = haystack.sorted_keys().starting("ref")
    assert haystack._best_word_starts(parse_query("ref"), "ref", (start, end), 20, None) is None
    assert len(index.filter("reference", "ref", limit=20)) == 20


@pytest.mark.parametrize("needle", ["s", "sca", "scaled", "day", "of", "코믹", "数据h", "zzzq"])
def test_the_word_table_finds_the_lines_the_word_expression_finds(titles, needle: str) -> None:
    haystack, needle = titles, parse_query(needle).alone.text  # folded, as a query's words are
    expected = haystack.grep(_expression(Term(needle, "word")))
    assert sorted(set(haystack._word_lines(needle))) == expected
    assert needle == "zzzq" or expected  # the catalog has such words: the comparison means something
    assert list(haystack.term(Term(needle, "word"))) == expected


@pytest.mark.parametrize("needle", ["node.js", "a_b", "c++", "-x", "2", "21"])
def test_what_the_word_table_does_not_hold_is_left_to_the_expression(titles, needle: str) -> None:
    # not one word, or a number (numbers are left out of the table)
    assert titles._word_lines(needle) is None
    expected = titles.grep(_expression(Term(needle, "word")))
    assert list(titles.term(Term(needle, "word"))) == expected
    assert needle[0] != "2" or expected  # every reference id has numbers: the lookup means something


def test_a_number_is_found_as_a_fresh_search_finds_it(prepared, monkeypatch) -> None:
    for query in ("2", "21", "211"):
        assert [r.entry.id for r in prepared.filter("reference", query, limit=20)] == brute(
            prepared, "reference", query, monkeypatch
        )[:20]


def test_a_cancelled_count_stops_and_keeps_nothing_half_found(large, monkeypatch) -> None:
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return True

    assert large.matched("reference", "rok", cancelled) is None and asked
    assert large.filtered("reference", "rok l", limit=10, cancelled=cancelled) == search.Filtered([], 0)
    # asked again without cancelling: the counts are whole, nothing of the stopped searches was kept
    assert large.matched("reference", "rok") == len(brute(large, "reference", "rok", monkeypatch)) > 0
    assert large.matched("reference", "rok l") == len(brute(large, "reference", "rok l", monkeypatch))


def test_a_search_does_not_wait_for_tables_not_made_yet(monkeypatch) -> None:
    # the explorer makes them after its first frame; a key typed before they are ready finds its rows
    # another way (making the sorted keys of 100,000 companies would keep it waiting 150-300 ms)
    index = CatalogIndex(large_catalog())
    haystack = index.haystack("company")
    assert haystack.best(parse_query("t"), 20) is None
    expected = brute(index, "company", "t", monkeypatch)[:20]
    assert [r.entry.id for r in index.filter("company", "t", limit=20)] == expected
    assert haystack._sorted.made is None and haystack._words.made is None  # the search made neither
