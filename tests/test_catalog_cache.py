"""The parsed-catalog cache: same catalog back, new entry for changed files, bad entries never trusted."""

from __future__ import annotations

import hashlib
import marshal
import random
from pathlib import Path

import pytest

from hlexplore.catalog import cache
from hlexplore.catalog.columns import Rows
from hlexplore.catalog.compiler import compile_data
from hlexplore.catalog.inverted import Inverted
from hlexplore.catalog.loader import bundled_catalog_path, load_catalog, load_with_orders
from hlexplore.catalog.merge import load_merged
from hlexplore.catalog.toml_file import read_toml
from hlexplore.index import CatalogIndex


def parts(blob: bytes) -> tuple[tuple, tuple]:
    """A cache entry's two parts: the stamp and the columns, and the orders and users (then what else
    was kept, and its seal)."""
    split = 8 + int.from_bytes(blob[:8], "little")
    return marshal.loads(blob[8:split]), marshal.loads(blob[split : -cache.SEAL])[0]


def parts_entry(stamped: tuple, inverted: tuple, path: Path) -> bytes:
    """An entry made of these parts, sealed as the cache seals path's: what a forger (or a bug) could
    write, so that what it holds is checked, not only its seal."""
    first = marshal.dumps(stamped)
    return sealed(len(first).to_bytes(8, "little") + first + marshal.dumps((inverted, None)), path)


def sealed(body: bytes, path: Path) -> bytes:
    name = cache._name(path, cache.file_digest(path, 1 << 30))
    return body + cache._seal(name, hashlib.sha256(body).digest())


def test_a_cached_catalog_is_the_parsed_one(tmp_path: Path) -> None:
    parsed = load_catalog(bundled_catalog_path())
    first = load_catalog(bundled_catalog_path(), tmp_path)
    assert len(list(tmp_path.glob("*.catalog"))) == 1
    second = load_catalog(bundled_catalog_path(), tmp_path)
    assert first == parsed and second == parsed
    assert second.companies[0].stack[0] is not None and isinstance(second.paths[0], Path)
    # Stack items are shared between companies that list a technology the same way.
    memcached = [i for c in second.companies for i in c.stack if i.tech == "memcached" and not i.note]
    assert len({id(i) for i in memcached}) == 1


def test_a_changed_file_is_parsed_again(tmp_path: Path, write_catalog) -> None:
    path = write_catalog('[meta]\nschema = 1\ntitle = "One"\n')
    assert load_catalog(path, tmp_path / "c").meta.title == "One"
    path.write_text('[meta]\nschema = 1\ntitle = "Two"\n', encoding="utf-8")
    assert load_catalog(path, tmp_path / "c").meta.title == "Two"
    assert len(list((tmp_path / "c").glob("*.catalog"))) == 2


def test_corrupt_and_foreign_entries_are_ignored_and_rebuilt(tmp_path: Path, write_catalog) -> None:
    path = write_catalog('[meta]\nschema = 1\ntitle = "Real"\n')
    folder = tmp_path / "c"
    load_catalog(path, folder)
    [entry] = folder.glob("*.catalog")
    written = entry.read_bytes()
    entry.write_bytes(b"\x00garbage")
    assert load_catalog(path, folder).meta.title == "Real"
    entry.write_bytes(written[: len(written) // 2])  # cut short
    assert load_catalog(path, folder).meta.title == "Real"
    # A well-formed entry written by other code (another format or version) is not believed either.
    stamped, inverted = parts(written)
    entry.write_bytes(
        parts_entry((cache.FORMAT + 1, "other", (1, "Forged", ""), *stamped[3:]), inverted, path)
    )
    assert load_catalog(path, folder).meta.title == "Real"
    assert parts(entry.read_bytes())[0][2][1] == "Real"  # rewritten


def test_an_unwritable_cache_is_only_slower(tmp_path: Path, write_catalog) -> None:
    path = write_catalog('[meta]\nschema = 1\ntitle = "T"\n')
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    assert load_catalog(path, blocked / "c").meta.title == "T"


def test_old_entries_are_removed(tmp_path: Path, write_catalog) -> None:
    folder = tmp_path / "c"
    for n in range(cache.KEEP + 3):
        load_catalog(write_catalog(f'[meta]\nschema = 1\ntitle = "T{n}"\n', name=f"c{n}.toml"), folder)
    assert len(list(folder.glob("*.catalog"))) == cache.KEEP


def test_the_command_line_fills_the_cache_in_the_users_cache_directory(capsys) -> None:
    from hlexplore.__main__ import main
    from hlexplore.user.paths import UserPaths

    folder = UserPaths.default().catalog_cache_dir
    assert main(["who-uses", "redis"]) == 0
    assert len(list(folder.glob("*.catalog"))) == 1
    assert main(["who-uses", "redis"]) == 0  # answered from the cache, the same
    out = capsys.readouterr().out
    assert out.count("Redis is used by 9 of 23 companies") == 2
    assert load_merged(cache_dir=folder).catalog == load_merged().catalog


def test_a_large_file_is_announced_before_its_first_parse_only(monkeypatch, capsys, write_catalog) -> None:
    from hlexplore.__main__ import main

    monkeypatch.setattr(cache, "SLOW_BYTES", 10)
    path = write_catalog('[meta]\nschema = 1\ntitle = "T"\n[[company]]\nid = "a"\nname = "A"\n')
    assert main(["show", "a", "--only", "--catalog", str(path)]) == 0
    assert f"reading {path}" in capsys.readouterr().err
    assert main(["show", "a", "--only", "--catalog", str(path)]) == 0
    assert "reading" not in capsys.readouterr().err  # from the cache: nothing to wait for


def test_the_orders_and_users_come_back_with_the_catalog(tmp_path: Path) -> None:
    load_catalog(bundled_catalog_path(), tmp_path)
    cached, orders = load_with_orders(bundled_catalog_path(), tmp_path)
    assert orders is not None and orders.fits(cached)
    worked_out = Inverted.of(load_catalog(bundled_catalog_path()))
    for name in ("company_order", "technology_order", "reference_order", "users"):
        assert getattr(orders, name) == getattr(worked_out, name)
    assert len(orders.users["redis"][0]) == 9  # the same nine users as the command line counts


def test_an_entry_whose_parts_do_not_line_up_is_not_trusted(tmp_path: Path, write_catalog) -> None:
    path = write_catalog(
        '[meta]\nschema = 1\ntitle = "Real"\n[[technology]]\nid = "t"\nname = "T"\ncategory = "cache"\n'
        '[[company]]\nid = "a"\nname = "A"\nstack = [{ tech = "t" }]\n'
    )
    folder = tmp_path / "c"
    load_catalog(path, folder)
    [entry] = folder.glob("*.catalog")
    good, inverted = parts(entry.read_bytes())
    companies = good[5]
    damaged = {
        "a column cut short": ((*good[:5], (companies[0][:0], *companies[1:]), *good[6:]), inverted),
        "an order out of range": (good, (inverted[0][:0] + b"\x07\x00\x00\x00", *inverted[1:])),
        "a user's rank out of range": (good, (*inverted[:5], b"\x07\x00\x00\x00", *inverted[6:])),
        "a negative stack item": ((*good[:7], b"\xff\xff\xff\xff", *good[8:]), inverted),
    }
    for what, (stamped, orders) in damaged.items():
        entry.write_bytes(parts_entry(stamped, orders, path))
        assert cache.load(folder, path, cache.file_digest(path, 1 << 30)) is None, what
        assert load_catalog(path, folder).companies[0].stack[0].tech == "t", what


def test_references_are_found_by_owner_also_when_a_company_and_a_technology_share_an_id(
    tmp_path: Path, write_catalog
) -> None:
    path = write_catalog(
        '[meta]\nschema = 1\ntitle = "T"\n'
        '[[technology]]\nid = "x"\nname = "X DB"\ncategory = "cache"\n'
        '[[company]]\nid = "x"\nname = "X Inc"\n[[company]]\nid = "y"\nname = "Y"\n'
        '[[reference]]\ntitle = "About the company"\nurl = "https://a.example/1"\ncompany = "x"\n'
        '[[reference]]\ntitle = "About Y"\nurl = "https://a.example/2"\ncompany = "y"\n'
        '[[reference]]\ntitle = "About the database"\nurl = "https://a.example/3"\ntechnology = "x"\n'
    )
    folder = tmp_path / "c"
    for catalog in (load_catalog(path), load_catalog(path, folder), load_catalog(path, folder)):
        index = CatalogIndex(catalog)
        assert [r.title for r in index.references_of("x")] == ["About the company", "About the database"]
        assert [r.title for r in index.references_of("y")] == ["About Y"]
        assert index.references_of("nobody") == []


def test_cached_references_are_made_when_read_and_read_like_the_tuple(tmp_path: Path) -> None:
    parsed = load_catalog(bundled_catalog_path())
    load_catalog(bundled_catalog_path(), tmp_path)
    rows = load_catalog(bundled_catalog_path(), tmp_path).references
    assert isinstance(rows, Rows) and rows.made == 0
    assert len(rows) == len(parsed.references) and rows.column("id") == tuple(r.id for r in parsed.references)
    assert rows[3] == parsed.references[3] and rows[-1] == parsed.references[-1]
    assert rows[2:5] == parsed.references[2:5] and rows.made == 4
    third = rows[3]
    assert rows == parsed.references and parsed.references == rows  # all made, at once
    assert rows[3] is third and rows.made == len(rows)  # those made before are the ones kept
    with pytest.raises(IndexError):
        rows[len(rows)]


def test_an_index_over_the_cache_makes_only_the_references_it_shows(tmp_path: Path) -> None:
    load_catalog(bundled_catalog_path(), tmp_path)
    catalog = load_catalog(bundled_catalog_path(), tmp_path)
    index = CatalogIndex(catalog)
    assert catalog.references.made == 0 and index.count("reference") == len(catalog.references)
    shown = index.filter("reference", "", limit=5)
    assert catalog.references.made == 5
    assert [r.entry for r in shown] == index.entries("reference")[:5]  # entries() reads them all
    some = catalog.references[-1]
    assert index.get("reference", some.id) == some and "no-such-id" not in index.references


def test_an_entry_is_put_in_place_only_when_whole(tmp_path: Path, write_catalog) -> None:
    path = write_catalog('[meta]\nschema = 1\ntitle = "T"\n')
    folder = tmp_path / "c"
    load_catalog(path, folder)
    assert [p.suffix for p in folder.iterdir()] == [".catalog"]  # no temporary file left behind
    # The columns are written first, the orders and users when they are ready: until then, no entry.
    catalog = load_catalog(path)
    data, text = read_toml(path)
    storing = cache.Storing(tmp_path / "d", cache.dump_columns(compile_data(data, path, text)))
    assert not list((tmp_path / "d").glob("*.catalog"))
    storing.done(path, "digest", Inverted.of(catalog))
    found = cache.load(tmp_path / "d", path, "digest")
    assert found is not None and found[0] == catalog and found[1].fits(catalog)
    assert [p.suffix for p in (tmp_path / "d").iterdir()] == [".catalog"]


def test_a_damaged_entry_is_never_used_and_never_a_wrong_catalog(tmp_path: Path, write_catalog) -> None:
    """Any one bit flipped, bytes changed at several offsets, cut short at any length, or another
    catalog's entry under this one's name: the catalog comes back as parsed, without a traceback."""
    text = (bundled_catalog_path()).read_text(encoding="utf-8")
    path = write_catalog(text)
    other = write_catalog(text.replace('title = "', 'title = "Other ', 1), "other.toml")
    folder = tmp_path / "c"
    parsed = load_catalog(path)
    load_catalog(path, folder)
    load_catalog(other, folder)
    entry = cache.entry_path(folder, path, cache.file_digest(path, 1 << 30))
    written = entry.read_bytes()
    draw = random.Random(20)
    damaged = []
    for at in [0, 7, 8, 9, len(written) // 2, len(written) - cache.SEAL - 1, len(written) - 1]:
        damaged.append(written[:at] + bytes([written[at] ^ 0xFF]) + written[at + 1 :])
    for _ in range(60):
        at, bit = draw.randrange(len(written)), 1 << draw.randrange(8)
        damaged.append(written[:at] + bytes([written[at] ^ bit]) + written[at + 1 :])
    damaged += [written[:length] for length in (0, 1, 8, 100, len(written) // 3, len(written) - 1)]
    damaged.append(cache.entry_path(folder, other, cache.file_digest(other, 1 << 30)).read_bytes())
    for number, blob in enumerate(damaged):
        entry.write_bytes(blob)
        assert cache.load(folder, path, cache.file_digest(path, 1 << 30)) is None, number
        assert load_catalog(path, folder) == parsed, number  # rebuilt
        assert entry.read_bytes() == written, number


def test_a_cache_entry_in_the_place_of_a_device_or_a_fifo_is_not_read(tmp_path: Path, write_catalog) -> None:
    import os

    path = write_catalog('[meta]\nschema = 1\ntitle = "Real"\n')
    folder = tmp_path / "c"
    load_catalog(path, folder)
    [entry] = folder.glob("*.catalog")
    for make in (lambda: entry.symlink_to("/dev/zero"), lambda: os.mkfifo(entry), lambda: entry.mkdir()):
        entry.unlink() if not entry.is_dir() or entry.is_symlink() else entry.rmdir()
        make()
        assert cache.load(folder, path, cache.file_digest(path, 1 << 30)) is None
        assert load_catalog(path, folder).meta.title == "Real"


def test_a_large_catalog_merged_over_the_bundled_one_is_announced_and_merged_once(
    monkeypatch, capsys, write_catalog
) -> None:
    from hlexplore.__main__ import main

    monkeypatch.setattr(cache, "SLOW_BYTES", 10)
    path = write_catalog('[[company]]\nid = "zz-mine"\nname = "Mine"\n')
    assert main(["show", "zz-mine", "--catalog", str(path)]) == 0
    first = capsys.readouterr()
    assert f"merging {path}" in first.err and "later starts read the result from the cache" in first.err
    assert main(["show", "zz-mine", "--catalog", str(path)]) == 0
    again = capsys.readouterr()
    assert again.err == "" and again.out == first.out  # read from the cache: nothing to wait for
    path.write_text('[[company]]\nid = "zz-mine"\nname = "Mine, renamed"\n', encoding="utf-8")
    assert main(["show", "zz-mine", "--catalog", str(path)]) == 0
    changed = capsys.readouterr()
    assert f"merging {path}" in changed.err and "Mine, renamed" in changed.out


LAYER_A = '[[company]]\nid = "trello"\nnote = "from a"\n\n[[company]]\nid = "zz-a"\nname = "A"\n'
LAYER_B = '[[company]]\nid = "trello"\nnote = "from b"\nstack = [{ tech = "redis", version = "7" }]\n'
BAD = '[[company]]\nid = "bad"\nname = "Bad"\nstack = [{ tech = "memcahced" }]\n'


def _merged(folder: Path, catalogs: list[Path], cache_dir: Path | None) -> tuple:
    loaded = load_merged(catalogs, folder, cache_dir=cache_dir)
    catalog = loaded.catalog
    return (
        catalog.technologies,
        catalog.companies,
        tuple(catalog.references),
        [e.origin for e in catalog.entries()],
        catalog.paths,
        loaded.applied,
        loaded.messages(),
        loaded.touched,
    )


def test_a_merged_catalog_comes_back_from_the_cache_with_all_that_was_said(tmp_path: Path) -> None:
    folder, cache_dir = tmp_path / "catalogs", tmp_path / "cache"
    folder.mkdir()
    (folder / "a.toml").write_text(LAYER_A, encoding="utf-8")
    (folder / "b-bad.toml").write_text(BAD, encoding="utf-8")
    explicit = tmp_path / "b.toml"
    explicit.write_text(LAYER_B, encoding="utf-8")
    fresh = _merged(folder, [explicit], None)
    said = fresh[6]
    assert any("b-bad.toml: skipped" in m and "memcahced" in m for m in said)  # a skipped file
    assert any("also set by" in m for m in said)  # and a conflict between two files
    assert _merged(folder, [explicit], cache_dir) == fresh  # merged, and kept
    assert _merged(folder, [explicit], cache_dir) == fresh  # read back
    assert len(list(cache_dir.glob("*.catalog"))) == 2  # the bundled catalog's entry, and the merged one

    (folder / "b-bad.toml").write_text(BAD.replace("memcahced", "memcached"), encoding="utf-8")
    fixed = _merged(folder, [explicit], cache_dir)  # a file changed: merged again
    assert fixed == _merged(folder, [explicit], None) and "bad" in {c.id for c in fixed[1]}
    (folder / "c.toml").write_text('[[company]]\nid = "zz-c"\nname = "C"\n', encoding="utf-8")
    assert "zz-c" in {c.id for c in _merged(folder, [explicit], cache_dir)[1]}  # a file added
    (folder / "c.toml").unlink()
    assert "zz-c" not in {c.id for c in _merged(folder, [explicit], cache_dir)[1]}  # and removed
    applied = [bundled_catalog_path(), folder / "a.toml", folder / "b-bad.toml"]
    assert _merged(folder, [], cache_dir)[5] == applied  # without the explicit one


def test_a_merged_entry_that_says_something_else_is_merged_again(tmp_path: Path) -> None:
    folder, cache_dir = tmp_path / "catalogs", tmp_path / "cache"
    folder.mkdir()
    (folder / "a.toml").write_text(LAYER_A, encoding="utf-8")
    fresh = _merged(folder, [], cache_dir)
    files = [(bundled_catalog_path(), cache.file_digest(bundled_catalog_path(), 1 << 30))]
    files.append((folder / "a.toml", cache.file_digest(folder / "a.toml", 1 << 30)))
    digest = cache.merged_digest(files, only=False)
    entry = cache.entry_path(cache_dir, bundled_catalog_path(), digest)
    stamped, orders = parts(entry.read_bytes())
    for said in (None, ("not", "four"), ([1], [], [], [])):
        first = marshal.dumps(stamped)
        body = len(first).to_bytes(8, "little") + first + marshal.dumps((orders, said))
        name = cache._name(bundled_catalog_path(), digest)
        entry.write_bytes(body + cache._seal(name, hashlib.sha256(body).digest()))
        assert _merged(folder, [], cache_dir) == fresh, said
