"""The prefilter only narrows: on a large generated catalog, filtering with it finds exactly what scoring
every entry finds, in the same order."""

from __future__ import annotations

import io

import pytest
from benchmarks.gen_catalog import generate
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hlexplore.catalog.loader import catalog_from_data, read_toml
from hlexplore.index import catalog_index
from hlexplore.index.catalog_index import CatalogIndex


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> CatalogIndex:
    out = io.StringIO()
    generate(companies=2500, technologies=300, references=2500, seed=7, out=out)
    path = tmp_path_factory.mktemp("large") / "large.toml"
    path.write_text(out.getvalue(), encoding="utf-8")
    data, text = read_toml(path)
    return CatalogIndex(catalog_from_data(data, path, text))


def brute(index: CatalogIndex, kind: str, query: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(catalog_index, "PREFILTER_FROM", 10**9)
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
    assert len(large.entries(kind)) >= catalog_index.PREFILTER_FROM
    assert [r.entry.id for r in large.filter(kind, query)] == brute(large, kind, query, monkeypatch)


def test_a_superseded_query_stops_scoring(large) -> None:
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return True

    assert large.filter("company", "a", cancelled=cancelled) == [] and asked
    assert large.filter("company", "a", cancelled=lambda: False)  # not cancelled: the matches


def test_similar_with_a_limit_is_the_head_of_the_full_ranking(large) -> None:
    for company in large.entries("company")[:40]:
        full = [(s.company.id, round(s.score, 9)) for s in large.similar(company.id, limit=None)]
        assert [(s.company.id, round(s.score, 9)) for s in large.similar(company.id, limit=10)] == full[:10]
