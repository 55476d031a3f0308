"""Queries over the bundled catalog, with values checked by hand against the seed list."""

from __future__ import annotations

import itertools

import pytest


def ids(entries):
    return [e.id for e in entries]


def test_who_uses_memcached(index):
    # Twitter, Facebook, Tumblr, Quora, Pinterest, Instagram, Pulse (memcache), StyleShare,
    # TheBorn Coupon, Cartoon Service, 99designs, TripAdvisor: counted by hand in the seed.
    users = {u.company.id for u in index.users_of("memcached")}
    assert users == {
        "twitter",
        "facebook",
        "tumblr",
        "quora",
        "pinterest",
        "instagram",
        "pulse",
        "styleshare",
        "theborn-coupon",
        "cartoon-service-smartstudy",
        "99designs",
        "tripadvisor",
    }


def test_who_uses_redis_with_notes(index):
    users = [u.company.id for u in index.users_of("redis")]
    assert users == sorted(users, key=lambda c: index.companies[c].name.casefold())
    assert set(users) == {
        "tumblr",
        "pinterest",
        "instagram",
        "pulse",
        "spoqa",
        "99designs",
        "trello",
        "stackexchange",
        "youporn",
    }


def test_who_uses_a_parent_includes_companies_using_only_a_part(index):
    usages = {u.company.id: u for u in index.users_of("aws")}
    assert usages["gov-uk"].via.id == "aws-ses"
    assert usages["pinterest"].via.id == "aws-emr"
    assert usages["netflix"].via is None
    assert "gov-uk" not in {u.company.id for u in index.users_of("aws", include_parts=False)}


def test_stack_grouped_by_category_in_vocabulary_order(index):
    groups = dict(index.stack_by_category("instagram"))
    assert [e.technology.id for e in groups["relational database"]] == [
        "postgresql",
        "repmgr",
        "pgbouncer",
    ]
    assert next(iter(groups)) == "cloud & hosting"


def test_compare_twitter_and_facebook(index):
    result = index.compare("twitter", "facebook")
    assert {e.technology.id for e in result.shared} == {
        "jetty",
        "erlang",
        "thrift",
        "mysql",
        "memcached",
        "varnish",
        "cassandra",
        "hadoop",
    }
    assert "ruby-on-rails" in {e.technology.id for e in result.only_left}
    assert "php" in {e.technology.id for e in result.only_right}
    assert result.jaccard == pytest.approx(8 / 30)
    row = next(r for r in result.rows if r.category == "cache")
    assert [e.technology.id for e in row.shared] == ["memcached"]


def test_compare_with_itself_and_with_an_empty_stack(index):
    same = index.compare("trello", "trello")
    assert len(same.shared) == 4 and same.jaccard == 1.0 and not same.only_left
    empty = index.compare("linkedin", "soundcloud")
    assert empty.jaccard == 0.0 and empty.rows == ()
    one_sided = index.compare("trello", "tagged")
    assert len(one_sided.only_left) == 4 and one_sided.jaccard == 0.0


def test_similar_companies_rank_by_jaccard_with_reasons(index):
    found = index.similar("pinterest")
    assert found[0].company.id == "youporn"  # 5 shared of 19 distinct: the highest ratio
    assert found[0].score == pytest.approx(5 / 19)
    assert {t.id for t in found[0].shared} == {"mysql", "redis", "nginx", "haproxy", "varnish"}
    assert all(a.score >= b.score for a, b in itertools.pairwise(found))
    assert "pinterest" not in {s.company.id for s in found}
    assert index.similar("linkedin") == []


def test_related_technologies_with_lift(index):
    found = index.related("memcached")
    assert found[0].technology.id == "mysql" and found[0].together == 6
    # memcached: 12 users, mysql: 10, 20 companies with a stack -> lift 6*20/(12*10) = 1.0
    assert found[0].lift == pytest.approx(1.0)
    assert index.related("phash")[0].together == 1


def test_stats(index):
    stats = index.stats()
    assert (stats.companies, stats.companies_with_stack, stats.references) == (23, 20, 38)
    assert stats.top_technologies[0][0].id == "memcached" and stats.top_technologies[0][1] == 12
    assert dict(stats.references_per_lang)["ko"] == 4  # Gizzard, and three translations
    assert sum(n for _y, n in stats.references_per_year) == 38


@pytest.mark.parametrize(
    ("name", "status", "expected"),
    [
        ("Instagram", "found", "instagram"),
        ("INSTAGRAM", "found", "instagram"),
        ("레진코믹스", "found", "lezhin-comics"),
        ("gov.uk", "found", "gov-uk"),
        ("Stack Exchange", "found", "stackexchange"),
        ("memchached", "found", "memcached"),
        ("trell", "found", "trello"),
    ],
)
def test_resolve(index, name, status, expected):
    found = index.resolve(name)
    assert found.status == status and found.entry.id == expected


def test_resolve_ambiguous_and_missing(index):
    ambiguous = index.resolve("mem")
    assert ambiguous.status == "ambiguous" and set(ids(ambiguous.candidates)) == {
        "memcached",
        "membase",
    }
    missing = index.resolve("cassandraaaa db")
    assert missing.status == "missing" and "cassandra" in ids(missing.candidates)
    assert index.resolve("cassandara-db").entry.id == "cassandra"  # a typo: clearly the nearest
    assert index.resolve("   ").status == "missing"


def test_pane_orders(index):
    companies = index.entries("company")
    assert [c.name for c in companies] == sorted((c.name for c in companies), key=str.casefold)
    techs = index.entries("technology")
    assert techs[0].id == "memcached"
    counts = [index.usage_count(t.id) for t in techs]
    assert counts == sorted(counts, reverse=True)
    refs = index.entries("reference")
    owners = [r.owner for r in refs]
    assert owners[0] == "facebook"  # companies by name; Facebook is the first with references
    assert owners[-1] == "beanstalkd"  # technology references after company ones


@pytest.mark.parametrize("query", ["a", "re", "mem", "scal", "facebook chat", "^my", "sql$", "zzz"])
def test_a_search_with_a_limit_is_the_first_of_the_whole_search(index, query: str) -> None:
    # each kind is asked for its best `limit` only (not every match ranked): the same first results
    whole = index.search(query, limit=None)
    for limit in (1, 5, 20):
        assert index.search(query, limit=limit) == whole[:limit]
