"""Each kind's search lines, the common ones made from the columns, as an entry's own line is made."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hlexplore.catalog.models import Catalog, Company, Meta, Reference, Technology
from hlexplore.index import CatalogIndex
from hlexplore.index.matching import SEPARATOR

words = st.sampled_from(["Ab", "ab", "Ñu", "x y", "", "é", SEPARATOR, "a\x1fb", "İs", "K", "id"])
text = st.lists(words, max_size=3).map("".join)


@st.composite
def catalogs(draw: st.DrawFn) -> tuple[Catalog, list[tuple[str, str, list[str]]]]:
    def ids(prefix: str, size: int) -> list[str]:
        return [f"{prefix}{n}" if draw(st.booleans()) else f"{prefix}{n}{draw(text)}" for n in range(size)]

    aliases = st.lists(text, max_size=2).map(tuple)
    techs = tuple(
        Technology(i, draw(st.sampled_from([i, draw(text)])), "cache", aliases=draw(aliases))
        for i in dict.fromkeys(ids("t", draw(st.integers(0, 12))))
    )
    companies = tuple(
        Company(i, draw(st.sampled_from([i, draw(text)])), native_name=draw(text), aliases=draw(aliases))
        for i in dict.fromkeys(ids("c", draw(st.integers(0, 12))))
    )
    refs = tuple(
        Reference(i, draw(st.sampled_from([i, draw(text)])), "https://e.example/", company=companies[0].id)
        for i in dict.fromkeys(ids("r", draw(st.integers(0, 12) if companies else st.just(0))))
    )
    every = [(e.kind, e.id) for e in (*techs, *companies, *refs)]
    notes = draw(st.lists(st.sampled_from(every), max_size=4)) if every else []
    return Catalog(Meta(), techs, companies, refs), [(k, i, [draw(text)]) for k, i in notes]


@settings(max_examples=200, deadline=None)
@given(made=catalogs())
def test_every_line_is_the_entrys_own_line(made) -> None:
    catalog, notes = made
    index = CatalogIndex(catalog)
    search = index._search
    for kind, entry_id, texts in notes:
        index.annotate(kind, entry_id, texts)
    for kind in ("company", "technology", "reference"):
        order = index.entries(kind)
        assert search._every_line(kind) == [search._line(entry) for entry in order]
