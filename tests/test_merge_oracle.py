"""The layered merge (each file checked by what it adds or changes) gives what merging every layer into
the whole catalog and checking it all again gave: the same catalog, the same origins and touched
entries, the same notes, and the same problems (file, entry, message and line)."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.loader import load_catalog
from hlexplore.catalog.merge import _Merger
from tests.merge_oracle import WholeMerger

BASE = Path(__file__).parent / "fixtures" / "explorer.toml"
TECHS = ["aws", "ec2", "memcached", "redis", "mysql", "nginx", "kafka", "memcahced", "Bad Id"]
COMPANIES = ["alpha", "lezhin", "bravo", "quiet", "acme", "zeta"]
TITLES = ["Scaling Alpha: memcached at the edge", "How Acme scales", "Notes"]


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def _technology(draw: st.DrawFn) -> str:
    lines = ["[[technology]]"]
    if draw(st.booleans()) or True:
        lines.append(f"id = {_string(draw(st.sampled_from(TECHS)))}")
    for key, values in (
        ("name", ["Kafka", "Redis!"]),
        ("category", ["cache", "queue", "message queue", "nonsense"]),
        ("parent", ["aws", "nosuch", "kafka"]),
        ("url", ["https://kafka.example/", "not a url"]),
        ("description", ["Logs."]),
    ):
        if draw(st.booleans()):
            lines.append(f"{key} = {_string(draw(st.sampled_from(values)))}")
    if draw(st.booleans()):
        lines.append(f"aliases = [{_string(draw(st.sampled_from(['k', 'mq', 'redis-server'])))}]")
    return "\n".join(lines)


@st.composite
def _company(draw: st.DrawFn) -> str:
    lines = ["[[company]]", f"id = {_string(draw(st.sampled_from(COMPANIES)))}"]
    for key, values in (
        ("name", ["Acme", "Zeta Corp"]),
        ("url", ["https://acme.example/", "ftp://x"]),
        ("note", ["first", "second"]),
        ("bogus", ["x"]),
    ):
        if draw(st.booleans()):
            lines.append(f"{key} = {_string(draw(st.sampled_from(values)))}")
    if draw(st.booleans()):
        items = draw(st.lists(st.sampled_from(TECHS[:8]), max_size=4))
        notes = draw(
            st.lists(st.sampled_from(["", "sessions", "7"]), min_size=len(items), max_size=len(items))
        )
        written = [
            "{ tech = " + _string(tech) + (f", note = {_string(note)}" if note else "") + " }"
            for tech, note in zip(items, notes, strict=True)
        ]
        lines.append("stack = [" + ", ".join(written) + "]")
    return "\n".join(lines)


@st.composite
def _reference(draw: st.DrawFn) -> str:
    lines = ["[[reference]]"]
    if draw(st.booleans()):
        lines.append(
            f"id = {_string(draw(st.sampled_from(['r1', 'alpha-scaling-alpha-memcached-at-the-edge'])))}"
        )
    lines.append(f"title = {_string(draw(st.sampled_from(TITLES)))}")
    owner = draw(st.sampled_from(["company", "technology", "both", "neither"]))
    if owner in ("company", "both"):
        lines.append(f"company = {_string(draw(st.sampled_from(COMPANIES)))}")
    if owner in ("technology", "both"):
        lines.append(f"technology = {_string(draw(st.sampled_from(TECHS[:7])))}")
    if draw(st.booleans()):
        lines.append(f"url = {_string(draw(st.sampled_from(['https://a.example/post', 'nope'])))}")
    if draw(st.booleans()):
        lines.append(f"kind = {_string(draw(st.sampled_from(['article', 'talk', 'blog post'])))}")
    if draw(st.booleans()):
        lines.append(f"year = {draw(st.sampled_from([2012, 3000]))}")
    return "\n".join(lines)


_LAYER = st.lists(st.one_of(_technology(), _company(), _reference()), max_size=6).map(
    lambda tables: "\n\n".join(tables) + "\n"
)


def _outcome(merger: object, path: Path) -> object:
    """What applying a layer gave. A problem's line is compared only when each entry of the layer is found
    by an id of its own: where two entries of the layer are one entry (the same id, or a reference found
    by its title and owner), the whole merge looked it up in the file by its name (the first of that name,
    or its name as the later one changed it), and the layered merge says the line of the first."""
    text = path.read_text(encoding="utf-8")
    try:
        catalog, notes = merger.apply(path)  # type: ignore[attr-defined]
    except CatalogError as error:
        return sorted(
            (p.path, p.where, p.message, p.line if _written_once(text) else None) for p in error.problems
        )
    return (
        catalog.technologies,
        catalog.companies,
        tuple(catalog.references),
        [e.origin for e in catalog.entries()],
        catalog.paths,
        notes,
    )


def _written_once(text: str) -> bool:
    tables = text.split("\n\n")
    if any(t.startswith("[[reference]]") and "\nid = " not in t for t in tables):
        return False
    ids = [(t.split("\n", 1)[0], re.findall(r"^id = .*$", t, re.MULTILINE)[:1]) for t in tables if t.strip()]
    titles = re.findall(r"^title = .*$", text, re.MULTILINE)  # (how the whole merge named a reference)
    distinct = len({(table, tuple(found)) for table, found in ids}) == len(ids)
    return distinct and len(set(titles)) == len(titles)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layers=st.lists(_LAYER, min_size=1, max_size=3))
def test_the_layered_merge_is_the_whole_merge(tmp_path: Path, layers: list[str]) -> None:
    base = load_catalog(BASE)
    layered, whole = _Merger(base), WholeMerger(base)
    for number, text in enumerate(layers):
        tomllib.loads(text)  # (the strategies write valid TOML)
        path = tmp_path / f"layer-{number}.toml"
        path.write_text(text, encoding="utf-8")
        assert _outcome(layered, path) == _outcome(whole, path), text
    origins = {(e.kind, e.id): e.origin for e in layered.catalog().entries()}
    extended = {key: files for key, files in whole.touched.items() if files != [origins[key]]}
    assert layered.touched == extended  # (an entry only added by a file: its origin says which)
