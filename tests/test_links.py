"""The link checker against a local server: every outcome, the stored results and the command line.

No test here reaches beyond 127.0.0.1: a guard fails any connection elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket

import pytest

from hlexplore.__main__ import main
from hlexplore.catalog.loader import load_catalog
from hlexplore.links.check import LinkCheck, LinkTarget, check_all, summary, targets
from hlexplore.links.store import LinkHealth
from hlexplore.user.paths import UserPaths
from tests.linkserver import closed_port, serving


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(address: object) -> None:
        if isinstance(address, tuple):
            host = address[0]
            assert ipaddress.ip_address(host).is_loopback, f"a test tried to reach {host}"

    def connect(self, address):  # type: ignore[no-untyped-def]
        guard(address)
        return real_connect(self, address)

    def connect_ex(self, address):  # type: ignore[no-untyped-def]
        guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)


def check(urls: list[str], timeout: float = 1.0, short: bool = False) -> dict[str, LinkCheck]:
    found = [LinkTarget(url, (("reference", "r"),), short) for url in urls]
    return {r.url: r for r in asyncio.run(check_all(found, concurrency=4, timeout=timeout))}


def test_every_outcome_against_a_local_server() -> None:
    refused = f"http://127.0.0.1:{closed_port()}/nothing"
    with serving() as (base, requests):
        results = check(
            [
                f"{base}/ok",
                f"{base}/moved",
                f"{base}/gone",
                f"{base}/removed",
                f"{base}/loop-a",
                f"{base}/slow",
                f"{base}/to-file",
                refused,
            ],
            timeout=0.5,
        )
    ok = results[f"{base}/ok"]
    assert (ok.outcome, ok.status, ok.redirects, ok.final_url) == ("alive", 200, 0, f"{base}/ok")
    moved = results[f"{base}/moved"]
    assert (moved.outcome, moved.status, moved.redirects, moved.final_url) == (
        "redirected",
        200,
        2,
        f"{base}/ok",
    )
    assert (results[f"{base}/gone"].outcome, results[f"{base}/gone"].status) == ("dead", 404)
    assert (results[f"{base}/removed"].outcome, results[f"{base}/removed"].status) == ("dead", 410)
    loop = results[f"{base}/loop-a"]
    assert loop.outcome == "dead" and loop.detail == "redirect loop" and loop.redirects == 1
    slow = results[f"{base}/slow"]
    assert slow.outcome == "timeout" and slow.seconds < 2.0 and "0.5 s" in slow.detail
    to_file = results[f"{base}/to-file"]
    assert to_file.outcome == "dead" and "not an http(s) link (file)" in to_file.detail
    assert "/etc/passwd" not in " ".join(requests)  # never followed
    assert results[refused].outcome == "refused"
    assert all(r.checked_at.endswith("+00:00") for r in results.values())
    counts = summary(results.values())
    assert (counts["alive"], counts["redirected"], counts["dead"], counts["timeout"], counts["refused"]) == (
        1,
        1,
        4,
        1,
        1,
    )


def test_short_links_are_asked_only_whether_they_still_resolve() -> None:
    unreachable = f"http://127.0.0.1:{closed_port()}/x"
    with serving() as (base, requests):
        results = check([f"{base}/short-alive", f"{base}/short-dead", unreachable], short=True)
    alive, dead = results[f"{base}/short-alive"], results[f"{base}/short-dead"]
    assert (
        alive.outcome == "redirected"
        and alive.final_url == f"{base}/ok"
        and alive.describe() == ("short link still resolves")
    )
    assert dead.outcome == "dead" and dead.describe() == "short link no longer resolves"
    assert "/ok" not in requests  # the destination is checked as a link of its own, not through the short one
    counts = summary(results.values())
    assert counts["short links no longer resolving"] == 1 and counts["short links not reached"] == 1
    assert results[unreachable].describe() == "connection refused"  # not proof that it is gone


def test_what_is_checked(write_catalog) -> None:
    path = write_catalog(
        '[meta]\nschema = 1\ntitle = "T"\n'
        '[[company]]\nid = "a"\nname = "A"\nurl = "https://a.example/"\nshort_url = "http://goo.gl/aaa"\n'
        '[[company]]\nid = "b"\nname = "B"\nurl = "http://goo.gl/bbb"\nshort_url = "http://goo.gl/bbb"\n'
        '[[company]]\nid = "c"\nname = "C"\nurl = "https://a.example/"\n'
    )
    catalog = load_catalog(path)
    found = {(t.url, t.short): t.entries for t in targets([catalog])}
    assert found == {
        ("https://a.example/", False): (("company", "a"), ("company", "c")),  # once, for both entries
        ("http://goo.gl/aaa", True): (("company", "a"),),  # destination recorded: does it still resolve?
        ("http://goo.gl/bbb", False): (("company", "b"),),  # none recorded: followed to where it leads
    }
    assert [(t.url, t.short) for t in targets([catalog], only_unresolved=True)] == [
        ("http://goo.gl/bbb", False)
    ]


def test_results_are_stored_merged_and_a_foreign_file_is_not_trusted(tmp_path) -> None:
    health = LinkHealth(tmp_path / "links.json")
    first = LinkCheck("https://a.example/", "dead", status=404, checked_at="2026-01-01T00:00:00+00:00")
    second = LinkCheck("https://b.example/", "alive", status=200, checked_at="2026-01-02T00:00:00+00:00")
    health.record([first])
    health.record([second])
    again = LinkHealth(tmp_path / "links.json")
    assert again.get("https://a.example/") == first and again.get("https://b.example/") == second
    assert again.last_checked() == "2026-01-02T00:00:00+00:00"
    newer = LinkCheck("https://a.example/", "alive", status=200, checked_at="2026-02-01T00:00:00+00:00")
    again.record([newer])
    assert LinkHealth(tmp_path / "links.json").get("https://a.example/") == newer
    (tmp_path / "links.json").write_text('{"version": 1, "links": [{"url": "x", "outcome": "exploded"}]}')
    assert LinkHealth(tmp_path / "links.json").results() == {}  # an unknown outcome is ignored
    (tmp_path / "links.json").write_text("not json")
    broken = LinkHealth(tmp_path / "links.json")
    assert broken.results() == {} and "could not be read" in broken.warnings[0]


def test_check_links_command(write_catalog, capsys) -> None:
    with serving() as (base, _requests):
        path = write_catalog(
            '[meta]\nschema = 1\ntitle = "T"\n'
            f'[[company]]\nid = "a"\nname = "Alive Co"\nurl = "{base}/ok"\n'
            f'[[company]]\nid = "b"\nname = "Moved Co"\nurl = "{base}/moved"\n'
            f'[[company]]\nid = "d"\nname = "Dead Co"\nurl = "{base}/gone"\n'
        )
        code = main(["check-links", "--only", "--catalog", str(path), "--json", "--timeout", "2"])
        data = json.loads(capsys.readouterr().out)
        assert code == 1  # a broken link
        assert data["complete"] is True
        assert {k: data["summary"][k] for k in ("alive", "redirected", "dead")} == {
            "alive": 1,
            "redirected": 1,
            "dead": 1,
        }
        dead = next(r for r in data["results"] if r["outcome"] == "dead")
        assert dead["entries"] == ["company:d"] and dead["status"] == 404
        stored = LinkHealth(UserPaths.default().links_file)
        assert stored.get(f"{base}/gone").status == 404 and data["stored_in"] == str(stored.store.path)

        code = main(["check-links", "--only", "--catalog", str(path), "--timeout", "2"])
        out = capsys.readouterr().out
        assert code == 1 and "3 of 3 links checked" in out and "Broken links" in out and "in Dead Co" in out


def test_check_links_with_nothing_to_check(write_catalog, capsys) -> None:
    path = write_catalog('[meta]\nschema = 1\ntitle = "T"\n[[company]]\nid = "a"\nname = "A"\n')
    assert main(["check-links", "--only", "--catalog", str(path), "--only-unresolved"]) == 0
    assert "No short link without a recorded destination to check." in capsys.readouterr().out


def test_broken_entries_are_those_whose_opened_address_was_broken(tmp_path) -> None:
    # Every entry whose opened address (the resolved one, else the short one) was broken at its last
    # check, in catalog order, against going through every entry one by one.
    from hlexplore.catalog.models import Catalog, Company, Meta, Reference, Technology
    from hlexplore.links.store import broken_entries, health_of

    def url(n: int) -> str:
        return f"https://e{n % 7}.example/"

    companies = tuple(
        Company(f"c{n}", f"C{n}", url=url(n) if n % 3 else "", short_url=f"https://goo.gl/{n % 5}")
        for n in range(30)
    )
    technologies = tuple(Technology(f"t{n}", f"T{n}", "cache", url=url(n) if n % 2 else "") for n in range(9))
    references = tuple(
        Reference(f"r{n}", f"R{n}", url(n) if n % 4 else "", company="c1", short_url=f"https://bit.ly/{n}")
        for n in range(40)
    )
    catalog = Catalog(Meta(), technologies, companies, references)
    entries = list(catalog.entries())
    health = LinkHealth(tmp_path / "links.json")
    assert broken_entries(catalog, health) == []
    checks = [LinkCheck(url(n), "dead" if n % 2 else "alive", status=404 if n % 2 else 200) for n in range(7)]
    checks += [LinkCheck(f"https://goo.gl/{n}", "timeout") for n in (1, 2)]
    checks += [LinkCheck(f"https://bit.ly/{n}", "refused") for n in range(0, 40, 8)]
    checks.append(LinkCheck(url(2), "dead", short=True))  # a short link's own check: not the entry's
    health.record(checks)
    naive = [(e, c) for e in entries if (c := health_of(e, health)) is not None and c.broken]
    found = broken_entries(catalog, health)
    assert found == naive
    assert {e.kind for e, _c in found} == {"company", "technology", "reference"}
    assert any(not e.url for e, _c in found)  # found by the short address
