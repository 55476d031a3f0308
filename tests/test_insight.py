"""Every statistic of the insight view on the bundled catalog, with a few values counted independently."""

from __future__ import annotations

import json

import pytest

from hlexplore.__main__ import main
from hlexplore.catalog.loader import bundled_catalog_path
from hlexplore.catalog.toml_file import read_toml
from hlexplore.index.insight import Insight
from hlexplore.text import bar


@pytest.fixture(scope="module")
def raw() -> dict:
    """The bundled catalog as plain TOML, to count by hand without the index."""
    return read_toml(bundled_catalog_path())[0]


@pytest.fixture(scope="module")
def view(index) -> Insight:
    return Insight(index, this_year=2026)


def users(raw: dict, tech: str) -> set[str]:
    return {c["id"] for c in raw["company"] for item in c.get("stack", []) if item["tech"] == tech}


def test_the_most_used_technologies_are_counted_from_the_stacks(view, raw) -> None:
    bars = view.top_technologies(limit=5)
    assert [(b.technology.id, b.value) for b in bars[:3]] == [("memcached", 12), ("mysql", 10), ("redis", 9)]
    assert {c.id for c in bars[0].companies} == users(raw, "memcached")
    assert "instagram" in users(raw, "memcached") and len(users(raw, "memcached")) == 12
    assert [b.value for b in view.top_technologies()] == sorted(
        (b.value for b in view.top_technologies()), reverse=True
    )


def test_a_category_filter_keeps_only_that_category(view, raw) -> None:
    caches = view.top_technologies("cache")
    assert caches and all(b.technology.category == "cache" for b in caches)
    assert caches[0].technology.id == "memcached"
    assert view.top_technologies("no such category") == []


def test_the_heat_table_counts_each_companys_technologies_per_category(view, raw, index) -> None:
    heat = view.heat
    assert len(heat.companies) == 20  # the companies with a stack
    row = [c.id for c in heat.companies].index("gov-uk")
    column = heat.categories.index("monitoring & logging")
    govuk = next(c for c in raw["company"] if c["id"] == "gov-uk")
    by_hand = [
        i["tech"] for i in govuk["stack"] if index.technologies[i["tech"]].category == "monitoring & logging"
    ]
    assert heat.count(row, column) == len(by_hand) == 6
    assert {t.id for t in heat.cells[row][column]} == set(by_hand)
    every = range(len(heat.companies))
    assert heat.most(every) == max(heat.count(r, c) for r in every for c in range(len(heat.categories)))
    assert heat.most([row]) == max(heat.count(row, c) for c in range(len(heat.categories))) == 6
    assert heat.most([]) == 0
    total = sum(heat.count(r, c) for r in range(len(heat.companies)) for c in range(len(heat.categories)))
    assert total == sum(len(c.get("stack", [])) for c in raw["company"])


def test_pairs_count_the_companies_using_both_with_their_lift(view, raw) -> None:
    together = view.cooccurrence(top=10)
    ids = [t.id for t in together.technologies]
    assert ids[:3] == ["memcached", "mysql", "redis"] and len(ids) == 10
    s3, aws = ids.index("aws-s3"), ids.index("aws")
    pair = together.pairs[s3][aws]
    both = users(raw, "aws-s3") & users(raw, "aws")
    assert pair is not None and pair.count == len(both) == 7
    assert {c.id for c in pair.together} == both
    assert pair.lift == pytest.approx(7 * 20 / (7 * 7))  # 20 companies have a stack
    assert together.pairs[s3][s3] is None and together.pairs[aws][s3] == pair  # symmetric
    strongest = together.strongest()
    assert (strongest[0][0].id, strongest[0][1].id) == ("aws-s3", "aws")
    assert all(p.count >= 2 for _a, _b, p in strongest)


def test_companions_of_any_technology(view) -> None:
    found = view.companions("memcached", limit=3)
    assert found[0].technology.id == "mysql" and found[0].together == 6


def test_references_per_year_and_kind(view, raw) -> None:
    timeline = view.timeline
    years = {y.label: y.value for y in timeline.years}
    assert years["2011"] == sum(1 for r in raw["reference"] if r.get("year") == 2011) == 9
    assert years["unknown"] == 14 and list(years)[-1] == "unknown"
    assert sum(years.values()) == len(raw["reference"]) == 38
    assert timeline.kinds[0] == "blog post"
    y2011 = next(y for y in timeline.years if y.year == 2011)
    assert dict((k, len(r)) for k, r in y2011.by_kind) == {"blog post": 7, "talk": 1, "translation": 1}


def test_each_companys_references_on_a_timeline(view, raw) -> None:
    timeline = view.timeline
    twitter = [c.id for c in timeline.companies].index("twitter")
    row = {
        year.label: len(found) for year, found in zip(timeline.years, timeline.cells[twitter], strict=True)
    }
    by_hand = [r.get("year") for r in raw["reference"] if r.get("company") == "twitter"]
    assert sum(row.values()) == len(by_hand)
    assert row["2007"] == by_hand.count(2007) == 2


def test_catalog_health(view, raw) -> None:
    health = view.health(stale_years=10)
    single = health.group("single-user").entries
    assert len(single) == 97 and all(len(users(raw, t.id)) == 1 for t in single)
    without = {c.id for c in health.group("no-references").entries}
    owners = {r.get("company") for r in raw["reference"]}
    assert without == {c["id"] for c in raw["company"]} - owners and len(without) == 13
    unresolved = health.group("unresolved").entries
    assert len(unresolved) == 7 and all("goo.gl" in r.url for r in unresolved)
    stale = health.group("stale").entries
    assert len(stale) == 24 and all(r.year < 2016 for r in stale)
    assert len(view.health(stale_years=15).group("stale").entries) == 6  # before 2011: 2007 ×2, 2008, 2009 ×3
    assert len(health.group("undated").entries) == 14


def test_bars_are_drawn_to_an_eighth_of_a_cell() -> None:
    assert bar(12, 12, 10) == "█" * 10
    assert bar(6, 12, 10) == "█" * 5
    assert bar(1, 16, 10) == "▋"  # 10/16 of a cell = 5 eighths
    assert bar(0, 12, 10) == "" and bar(3, 0, 10) == ""
    assert bar(1, 1000, 10) == "▏"  # a non-zero value always shows


def test_stats_command_draws_every_section(capsys) -> None:
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    for section in (
        "Most used technologies",
        "Where each company's stack is heavy",
        "Used together",
        "Amazon S3 + Amazon Web Services",
        "References per year",
        "Each company's references over time",
        "Catalog health",
        "Technologies used by one company only: 97",
    ):
        assert section in out
    assert max(len(line) for line in out.splitlines()) <= 80  # piped: legible at 80 columns


def test_stats_json_carries_the_entries_behind_each_number(capsys) -> None:
    assert main(["stats", "--json", "--category", "CACHE", "--top", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    insight = data["insight"]
    assert insight["category"] == "cache"
    top = insight["top_technologies"]
    assert [(t["id"], t["count"]) for t in top] == [("memcached", 12), ("evcache", 1)]  # the caches in use
    assert len(insight["top_technologies"][0]["companies"]) == 12
    assert insight["heat"]["companies"][0]["categories"]
    pair = next(p for p in insight["together"] if set(p["technologies"]) == {"memcached", "mysql"})
    assert pair["count"] == len(pair["companies"]) == 6
    assert insight["health"]["unresolved"]["count"] == 7 == len(insight["health"]["unresolved"]["ids"])
    assert sum(y["count"] for y in insight["references_per_year"]) == 38


def test_stats_with_an_unknown_category_says_which_exist(capsys) -> None:
    assert main(["stats", "--category", "databses"]) == 1
    err = capsys.readouterr().err
    assert "databses" in err and "relational database" in err


def test_rows_made_when_read_are_the_rows_made_all_at_once(tmp_path) -> None:
    # The heat table's and the timeline's rows are made when read (a chart shows a few dozen) or all at once
    # (--json): the same rows either way, on a generated catalog with many owners and years.
    import io

    from benchmarks.gen_catalog import generate

    from hlexplore.catalog.loader import load_catalog
    from hlexplore.index import CatalogIndex

    out = io.StringIO()
    generate(400, 60, 1200, 3, out)
    path = tmp_path / "c.toml"
    path.write_text(out.getvalue(), encoding="utf-8")
    index = CatalogIndex(load_catalog(path))
    for table in ("timeline", "heat"):
        one_by_one, all_at_once = getattr(Insight(index, 2026), table), getattr(Insight(index, 2026), table)
        rows = [one_by_one.cells[at] for at in range(len(one_by_one.cells))]
        assert len(rows) > 300 and rows == list(all_at_once.cells), table
    timeline = Insight(index, 2026).timeline
    assert list(timeline.counts) == [sum(map(len, row)) for row in timeline.cells]


def test_the_ids_stats_json_writes_are_those_of_the_rows(view) -> None:
    # (`stats --json` writes every row's ids, made from the stacks' and the references' columns)
    heat, timeline = view.heat, view.timeline
    assert list(view.heat_ids()) == [
        {c: [t.id for t in techs] for c, techs in zip(heat.categories, row, strict=True) if techs}
        for row in heat.cells
    ]
    from_rows = [
        {year.label: [r.id for r in found] for year, found in zip(timeline.years, row, strict=True) if found}
        for row in timeline.cells
    ]
    assert list(view.timeline_ids()) == from_rows and any(len(row) > 1 for row in from_rows)
