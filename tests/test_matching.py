"""Filtering as a model: ranking, operators, highlighting, and no input that raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hlexplore.index.matching import Matchable, match_entry, parse_query


def names(index, kind, text, n=5):
    return [index.label(r.entry) for r in index.filter(kind, text)[:n]]


def test_exact_then_prefix_then_substring_then_scattered(index):
    assert names(index, "technology", "redis")[0] == "Redis"
    found = names(index, "technology", "sql", 6)
    assert found[:2] == ["SQLAlchemy", "Microsoft SQL Server"]  # prefix of a name or alias
    assert set(found[2:4]) == {"MySQL", "PostgreSQL"}  # inside a word: lower
    assert names(index, "technology", "pgsql")[0] == "PostgreSQL"  # scattered: still found


def test_highlight_positions_are_on_the_label(index):
    [first] = index.filter("technology", "mem")[:1]
    assert first.positions == (0, 1, 2)
    memcached = next(r for r in index.filter("technology", "mem") if r.entry.id == "memcached")
    assert memcached.positions == (0, 1, 2)  # matched via an alias, still highlighted on the name


def test_case_and_accents_are_ignored():
    keys = (Matchable.of("Café Élan"),)
    assert match_entry(parse_query("cafe elan"), keys)
    assert match_entry(parse_query("CAFÉ"), keys).positions == (0, 1, 2, 3)


def test_fzf_operators(index):
    assert names(index, "technology", "^my") == ["MySQL"]
    assert names(index, "technology", "nginx$") == ["nginx"]
    assert "MySQL" not in names(index, "technology", "sql !my", 20)
    assert set(names(index, "company", "twitter|facebook")) == {"Twitter", "Facebook"}
    assert names(index, "technology", "'pgsql") == []  # exact-substring only
    assert names(index, "technology", "^redis$") == ["Redis"]


def test_typo_tolerance_without_being_too_fuzzy(index):
    assert names(index, "technology", "casandra")[0] == "Apache Cassandra"
    assert names(index, "technology", "redsi")[0] == "Redis"
    assert "Polyglot persistence at Pinterest: Redis, Membase, MySQL • myNoSQL" in names(
        index, "reference", "redis"
    )


def test_empty_query_lists_everything_in_order(index):
    assert len(index.filter("company", "")) == 23
    assert len(index.filter("company", "   ")) == 23


def test_a_scattered_match_allows_a_few_characters_between_letters():
    def score(query: str, name: str) -> float | None:
        hit = match_entry(parse_query(query), (Matchable.of(name),))
        return None if hit is None else hit.score

    assert score("rmq", "RabbitMQ") is not None  # five letters between r and m: still found
    assert score("rq", "r123456q") is None  # six: not a match
    assert score("ab", "ab-xxxx") > score("ab", "a-b") > score("ab", "a----b")  # tighter ranks higher
    assert match_entry(parse_query("ab"), (Matchable.of("a---a-b"),)).positions == (4, 6)  # tightened
    assert score("rq", "r12\x1f3q") is not None  # a separator inside a name is only a space


@settings(max_examples=120, deadline=None)
@given(st.text(max_size=60))
def test_no_query_raises(index, text):
    for kind in ("company", "technology", "reference"):
        for result in index.filter(kind, text):
            label = index.label(result.entry)
            assert all(0 <= p < len(label) for p in result.positions)
    index.resolve(text)


def test_odd_queries(index):
    for text in [
        "[bold]",
        "(",
        ".*",
        "\\",
        "!",
        "^",
        "$",
        "'",
        "|",
        "!!x",
        "a" * 10_000,
        "e\u0301",
        "\x1b[31m",
    ]:
        results = index.search(text)
        assert all(r.entry is not None and len(r.positions) <= len(index.label(r.entry)) for r in results)
        meant = index.resolve(text)
        assert (meant.status == "found") == (meant.entry is not None), text
        assert meant.status != "ambiguous" or len(meant.candidates) > 1, text
    assert index.resolve("a" * 10_000).status == "missing"  # nothing is named like that


def test_a_lone_bar_between_terms_is_or_as_fzf_writes_it(index):
    spaced = {r.entry.id for r in index.filter("technology", "redis | memcached")}
    assert {"redis", "memcached"} <= spaced
    assert spaced == {r.entry.id for r in index.filter("technology", "redis|memcached")}
    # fzf's own example: a prefix term, and an either-or of three suffixes
    query = parse_query("^core go$ | rb$ | py$")
    assert [[t.text for t in g] for g in query.groups] == [["core"], ["go", "rb", "py"]]
    assert [t.mode for t in query.groups[1]] == ["suffix"] * 3
    for text, groups in (
        ("| redis", [["redis"]]),  # a bar with no term on one side joins nothing
        ("redis |", [["redis"]]),
        ("redis | | memcached", [["redis", "memcached"]]),
    ):
        assert [[t.text for t in g] for g in parse_query(text).groups] == groups


words = st.text(alphabet="abc^$'!", min_size=1, max_size=5).filter(lambda w: "|" not in w)


@given(st.lists(words, min_size=2, max_size=4))
def test_terms_joined_by_spaced_bars_are_the_terms_joined_by_bars(parts: list[str]) -> None:
    assert parse_query(" | ".join(parts)).groups == parse_query("|".join(parts)).groups
