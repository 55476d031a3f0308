"""The markdown importer: the seed list imports to the curated catalog, and nothing is dropped."""

from __future__ import annotations

from rapidfuzz import fuzz

from hlexplore.catalog.importers.markdown import (
    derive_name,
    import_markdown,
    parse_segments,
    split_items,
    split_native_name,
)
from tests.conftest import SEED


def similar_text(a: str, b: str) -> bool:
    return fuzz.ratio(a.casefold(), b.casefold()) >= 85  # the catalog fixes typos ("supoorting")


def test_seed_imports_to_the_bundled_catalog_company_by_company(catalog):
    result = import_markdown(SEED.read_text(), catalog)
    assert [n for n in result.notes if n.level != "info"] == []
    imported = {c.id: c for c in result.catalog.companies}
    assert list(imported) == [c.id for c in catalog.companies]
    for company in catalog.companies:
        mine = imported[company.id]
        assert (mine.name, mine.native_name) == (company.name, company.native_name)
        assert mine.short_url == (company.short_url or company.url)
        assert [i.tech for i in mine.stack] == [i.tech for i in company.stack], company.id
        for theirs, ours in zip(mine.stack, company.stack, strict=False):
            assert theirs.version == ours.version
            assert similar_text(theirs.note, ours.note) and similar_text(theirs.group, ours.group)
        assert bool(mine.note) == bool(company.note)
    assert {r.short_url for r in result.catalog.references} == {
        r.short_url or r.url for r in catalog.references
    }


def test_seed_without_known_catalog_reports_every_unknown_item_with_its_line():
    result = import_markdown(SEED.read_text(), None)
    unknown = [n for n in result.notes if "unknown technology" in n.message]
    lines = SEED.read_text().splitlines()
    assert unknown, "without the bundled catalog some items cannot be resolved"
    for note in unknown:
        written = note.message.split("'")[1]
        assert written.casefold() in lines[note.line - 1].casefold()
    twitter = next(c for c in result.catalog.companies if c.id == "twitter")
    assert len(twitter.stack) == 19  # nothing dropped: unknown items became new technologies


def test_near_miss_is_resolved_and_reported(catalog):
    text = "## [Acme](http://example.com/)\n\nnginx, memcachd, zzqqxx\n"
    result = import_markdown(text, catalog)
    [company] = result.catalog.companies
    assert [i.tech for i in company.stack] == ["nginx", "memcached", "zzqqxx"]
    messages = [(n.line, n.level, n.message) for n in result.notes]
    assert (
        3,
        "warning",
        "'memcachd' read as near miss of 'memcached'; add it as an alias if right",
    ) in messages
    assert any(line == 3 and "unknown technology 'zzqqxx'" in m for line, _l, m in messages)


def test_broken_links_are_reported_not_kept():
    text = "## [Acme](javascript:alert(1))\n\n* [bad](file:///etc/passwd)\n"
    result = import_markdown(text, None)
    assert result.catalog.references == ()
    assert {n.line for n in result.notes if n.level == "warning"} == {1, 3}


def test_split_items_respects_parentheses_and_quotes():
    assert split_items('aws(ec2, s3), "a, b", java(tomcat, jetty)') == [
        "aws(ec2, s3)",
        '"a, b"',
        "java(tomcat, jetty)",
    ]


def test_parse_segments():
    assert parse_segments("(move out of)php") == [("move out of", "php", "")]
    assert parse_segments("php (with hiphop compiler)") == [("", "php", "with hiphop compiler")]
    assert parse_segments("ubuntu(11.04) nbp (nhn business platform)") == [
        ("", "ubuntu", "11.04"),
        ("", "nbp", "nhn business platform"),
    ]
    assert parse_segments("custom[?]") == [("", "custom[?]", "")]
    assert parse_segments("broken(paren") == []


def test_names():
    assert split_native_name("Gae9(개9)") == ("Gae9", "개9")
    assert split_native_name("Cartoon Service(만화서비스) - Smartstudy") == (
        "Cartoon Service - Smartstudy",
        "만화서비스",
    )
    assert split_native_name("Amazon EC2(x)") == ("Amazon EC2(x)", "")
    assert derive_name("unbit/uwsgi · GitHub") == "uwsgi"
    assert derive_name("Apache Lucene - Welcome to Apache Lucene") == "Apache Lucene"
    assert derive_name("GAE, Google App Engine") == "GAE"
