"""The curated catalog holds every fact of the seed list, normalised."""

from __future__ import annotations

import csv
import re

import pytest

from hlexplore.catalog.vocabulary import CATEGORIES
from tests.conftest import FIXTURES, SEED

LINKS = FIXTURES / "links.tsv"  # a copy of ../shared/data/links.tsv: the clone must stand alone


def stack(index, company_id):
    return {item.tech: item for item in index.companies[company_id].stack}


def test_all_23_companies_with_empty_stacks_kept(index):
    assert len(index.companies) == 23
    for empty in ("linkedin", "soundcloud", "tagged"):
        assert index.companies[empty].stack == ()
    assert sum(bool(c.stack) for c in index.companies.values()) == 20


def test_every_technology_is_complete(catalog):
    for tech in catalog.technologies:
        assert tech.category in CATEGORIES, tech.id
        assert tech.description, f"{tech.id} has no description"
        assert tech.url.startswith(("http://", "https://")), f"{tech.id} has no home page"


@pytest.mark.parametrize(
    ("spellings", "tech_id"),
    [
        (["memchached", "memcahced", "memcached", "memcache"], "memcached"),
        (["my-sql", "mysql"], "mysql"),
        (["postgre-sql", "postgres-sql", "PostgreSQL"], "postgresql"),
        (["casandra", "cassandra"], "cassandra"),
        (["ha-proxy", "haproxy"], "haproxy"),
        (["node.js", "nodejs"], "nodejs"),
        (["ror", "Ruby on Rails"], "ruby-on-rails"),
        (["php-frm", "PHP-FPM"], "php-fpm"),
        (["graphie", "Graphite"], "graphite"),
        (["ms-sql", "sql-server"], "sql-server"),
        (["symfony2", "Symfony"], "symfony"),
        (["sciapache"], "scientific-linux"),
        (["font-forge"], "fontforge"),
        (["ses"], "aws-ses"),
        (["custom[?]"], "custom"),
    ],
)
def test_spellings_resolve_to_one_technology(index, spellings, tech_id):
    for spelling in spellings:
        found = index.resolve(spelling, ("technology",))
        assert found.status == "found" and found.entry.id == tech_id, spelling


def test_original_spellings_are_kept_as_aliases(index):
    assert {"memchached", "memcahced"} <= set(index.technologies["memcached"].aliases)
    assert {"postgre-sql", "postgres-sql"} <= set(index.technologies["postgresql"].aliases)


def test_every_spelling_in_the_seed_stacks_is_a_name_or_alias(index):
    """Each comma item of every stack line is a known name, so the importer resolves nothing by guess."""
    from hlexplore.catalog.importers.markdown import parse_segments, split_items

    text = SEED.read_text().split("REFERENCES")[0]
    names = {n.casefold() for t in index.technologies.values() for n in t.names}
    for line in text.splitlines():
        if line.startswith(("#", "*", " *", "=", "HL-", "High")) or not line.strip():
            continue
        for token in split_items(re.sub(r'"[^"]*"|\[[^\]]*\]\([^)]*\)|-\s*@\S*', "", line)):
            token = re.sub(r"\s+and more$", "", token)
            for _pre, name, _inner in parse_segments(token):
                words = [name] if name.casefold() in names else name.split()
                assert all(w.casefold() in names for w in words), (line, name)


def test_parentheses_mean_parts_notes_and_versions(index):
    quora = stack(index, "quora")
    assert {"aws", "aws-ec2", "aws-s3"} <= quora.keys()
    facebook = stack(index, "facebook")
    assert {"java", "tomcat", "jetty"} <= facebook.keys() and facebook["java"].note == "minor"
    assert facebook["php"].note == "with hiphop compiler"
    assert facebook["scribe"].note == "-hdfs"
    assert stack(index, "twitter")["kestrel"].note == "mq"
    assert stack(index, "tumblr")["php"].note == "move out of"
    assert stack(index, "instagram")["django"].note == "high-cpu extra-large"
    assert stack(index, "instagram")["mdadm"].note == "software RAID with ebs"
    assert stack(index, "styleshare")["ubuntu"].version == "12.04"
    assert stack(index, "gov-uk")["play"].version == "2.0"
    assert stack(index, "spoqa")["linux"].version == "2.6"
    assert {"hadoop", "aws-emr"} <= stack(index, "pinterest").keys()
    assert "minor" not in index.technologies


def test_missing_commas_are_two_items(index):
    assert {"nodejs", "mysql"} <= stack(index, "facebook").keys()
    cartoon = stack(index, "cartoon-service-smartstudy")
    assert cartoon["ubuntu"].version == "11.04" and "nbp" in cartoon


def test_grouped_bullets_keep_their_label(index):
    gov = stack(index, "gov-uk")
    assert gov["elasticsearch"].group == "databases and other storage"
    assert gov["perl"].group == "redirection" and gov["perl"].note == "manage and test"
    assert gov["aws-ses"].group == "supporting tools"
    trip = stack(index, "tripadvisor")
    assert trip["perl"].group == "supporting infra"
    assert "supporting infra" in trip["java"].note  # listed in both places; kept once


def test_lezhin_quote_is_a_note_not_a_technology(index):
    lezhin = index.companies["lezhin-comics"]
    assert [i.tech for i in lezhin.stack] == ["gae"]
    assert "구글 앱 엔진" in lezhin.note and "@xguru" in lezhin.note
    assert lezhin.native_name == "레진코믹스"
    urls = {r.short_url or r.url for r in index.references_of("lezhin-comics")}
    assert {"http://goo.gl/q0n1V", "https://twitter.com/xguru"} <= urls


def test_aws_sub_entries_are_parts_of_aws(index):
    parts = {t.id for t in index.children("aws")}
    assert {
        "aws-ec2",
        "aws-s3",
        "aws-elb",
        "aws-rds",
        "aws-route53",
        "aws-emr",
        "aws-cloudwatch",
        "aws-ses",
    } <= parts
    assert index.technologies["tomcat"].parent == ""


def test_korean_translations_are_references_in_korean(index):
    korean = [r for r in index.catalog.references if r.lang == "ko"]
    owners = {r.owner for r in korean}
    assert {"twitter", "tumblr", "instagram"} <= owners
    assert all(r.ref_kind == "translation" for r in korean if "translation" in r.title)


def test_every_reference_bullet_of_the_seed_is_kept(index):
    text = SEED.read_text().split("REFERENCES")[0]
    links = set(re.findall(r"\]\(\s*(http[^)\s]+)\s*\)", text))
    headers = {c.short_url or c.url for c in index.companies.values()}
    kept = {r.short_url or r.url for r in index.catalog.references}
    assert links - headers - kept == set()


def test_every_references_section_entry_is_a_technology(index):
    text = SEED.read_text().split("REFERENCES")[1]
    links = set(re.findall(r"^\s*\*\s*\[[^\]]*\]\(\s*(http[^)\s]+)", text, flags=re.M))
    known = {t.short_url or t.url for t in index.technologies.values()}
    assert links - known == set()


def test_resolved_links_are_used_and_short_links_kept(index):
    rows = list(csv.DictReader(LINKS.open(), delimiter="\t"))
    resolved = {
        r["short_url"]: r["resolved_url"] for r in rows if r["resolved_url"] and "goo.gl" in r["short_url"]
    }
    entries = [*index.catalog.references, *index.catalog.technologies, *index.catalog.companies]
    checked = 0
    for entry in entries:
        if entry.short_url in resolved:
            assert entry.url == resolved[entry.short_url], entry.short_url
            checked += 1
        elif entry.short_url:
            assert entry.url == entry.short_url  # nothing resolved: the short link itself
    assert checked > 120


def test_kind_and_year_come_from_the_links_table(index):
    refs = {r.short_url: r for r in index.catalog.references}
    assert (refs["http://goo.gl/9Fulp"].ref_kind, refs["http://goo.gl/9Fulp"].year) == (
        "blog post",
        2011,
    )
    assert (refs["http://goo.gl/nfwqD"].ref_kind, refs["http://goo.gl/nfwqD"].year) == (
        "talk",
        2012,
    )
    assert refs["http://goo.gl/KRJ5s"].ref_kind == "Q&A"
    assert refs["http://goo.gl/thjIs"].url_confidence == "low"
