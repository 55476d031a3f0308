"""Nothing a user feeds hlexplore breaks it: generated catalogs, markdown and queries (hypothesis), and the
edge cases by name. Each either works or gives the project's own error with a place — never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hlexplore.__main__ import main
from hlexplore.catalog.errors import CatalogError
from hlexplore.catalog.importers.markdown import import_markdown
from hlexplore.catalog.loader import load_catalog
from hlexplore.catalog.schema import MAX_STRING
from hlexplore.catalog.urls import url_problem
from hlexplore.index import CatalogIndex

# Long generated names are the point here (10,000 characters): hypothesis may not call them too large.
LARGE = [HealthCheck.data_too_large, HealthCheck.too_slow]
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, *LARGE]
)

# -- generated catalogs ------------------------------------------------------------------------------------

keys = st.sampled_from(
    [
        "id",
        "name",
        "category",
        "url",
        "aliases",
        "stack",
        "tech",
        "title",
        "company",
        "technology",
        "year",
        "kind",
        "parent",
        "schema",
        "note",
        "version",
        "lang",
        "short_url",
        "x",
    ]
)
scalars = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["redis", "cache", "https://a.example/", "javascript:alert(1)", "memcached", "acme"]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string (\\uXXXX escapes included)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


tables = st.dictionaries(keys, values, max_size=6)
catalogs = st.fixed_dictionaries(
    {
        "meta": st.one_of(
            st.none(),
            st.fixed_dictionaries({"schema": st.sampled_from([1, 2]), "title": st.text(max_size=10)}),
        ),
        "technology": st.lists(tables, max_size=4),
        "company": st.lists(tables, max_size=4),
        "reference": st.lists(tables, max_size=3),
    }
)


def catalog_text(data: dict) -> str:
    lines = []
    if data["meta"] is not None:
        lines += ["[meta]", *(f"{k} = {toml_value(v)}" for k, v in data["meta"].items())]
    for table in ("technology", "company", "reference"):
        for entry in data[table]:
            lines += [f"[[{table}]]", *(f"{json.dumps(k)} = {toml_value(v)}" for k, v in entry.items())]
    return "\n".join(lines) + "\n"


def assert_loads_or_says_where(path: Path) -> None:
    try:
        catalog = load_catalog(path)
    except CatalogError as error:
        assert error.problems and all(p.path == str(path) and p.message for p in error.problems)
        # each names its place: an entry, a line, or the file as a whole ("is not UTF-8 text", "is 300 MiB")
        assert all(p.where or p.line is not None or p.message.startswith("is ") for p in error.problems)
        return
    CatalogIndex(catalog).search("a")  # whatever loads can be queried


@SETTINGS
@given(data=catalogs)
def test_generated_catalogs_load_or_fail_with_places(tmp_path: Path, data: dict) -> None:
    path = tmp_path / "generated.toml"
    path.write_text(catalog_text(data), encoding="utf-8")
    assert_loads_or_says_where(path)


@SETTINGS
@given(text=st.text(max_size=300))
def test_arbitrary_text_as_a_catalog(tmp_path: Path, text: str) -> None:
    path = tmp_path / "arbitrary.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_loads_or_says_where(path)


# -- generated markdown ------------------------------------------------------------------------------------

fragments = st.one_of(
    st.sampled_from(
        [
            "## [Instagram](http://goo.gl/abc)",
            "## Heading without link",
            "##",
            "# REFERENCES",
            "* ",
            "*",
            "* [a talk](javascript:alert(1))",
            "* ubuntu(12.04), nginx my-sql, memchached",
            "  * nested [link](http://x)",
            "<b>html</b>",
            "[broken](",
            "* (move out of)php, java(tomcat, jetty",
            "- dash bullet",
            "1. numbered",
            "```",
            "| a | b |",
            "* [x](http://goo.gl/x) - description",
        ]
    ),
    st.text(max_size=40),
)


@SETTINGS
@given(lines=st.lists(fragments, max_size=25))
def test_arbitrary_markdown_imports_what_it_can_and_reports_lines(catalog, lines: list[str]) -> None:
    text = "\n".join(lines)
    result = import_markdown(text, catalog)
    count = len(text.splitlines()) or 1
    assert all(1 <= note.line <= count for note in result.notes)
    CatalogIndex(result.catalog).search("x")


# -- queries -----------------------------------------------------------------------------------------------

queries = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "'",
            "^",
            "$",
            "!",
            "|",
            "a|",
            "'^$",
            "!!x",
            "(.*)+",
            "[",
            "\\",
            "e\u0301",
            "ＲＥＤＩＳ",
            "레진",
        ]
    ),
    st.text(min_size=5000, max_size=10_000),
)


@SETTINGS
@given(query=queries)
def test_search_and_filters_never_raise(index, query: str) -> None:
    index.search(query, limit=None)
    for kind in ("company", "technology", "reference"):
        results = index.filter(kind, query)
        assert all(all(0 <= p < len(index.label(r.entry)) for p in r.positions) for r in results)
    index.resolve(query)


@settings(max_examples=30, deadline=None, suppress_health_check=LARGE)  # six commands an example
@given(first=queries, second=queries)
@example(first="", second="-:")  # a name that looks like an option is a usage error, exit 2
def test_every_command_answers_any_name_with_an_exit_code(first: str, second: str) -> None:
    for argv in (
        ["show", first],
        ["who-uses", first],
        ["compare", first, second],
        ["similar", first],
        ["related", first],
        ["search", first],
    ):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main([*argv, "--json"] if argv[0] != "search" else argv)
        assert code in (0, 1, 2)


def test_names_that_differ_only_by_case_or_accents(index) -> None:
    assert index.resolve("REDIS").entry.id == "redis"
    assert index.resolve("rédis").entry.id == "redis"
    assert [r.entry.id for r in index.filter("company", "INSTAGRAM")][:1] == ["instagram"]


# -- catalogs by name --------------------------------------------------------------------------------------

META = '[meta]\nschema = 1\ntitle = "T"\n'


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CatalogError) as raised:
        load_catalog(path)
    return [str(p) for p in raised.value.problems]


def test_an_empty_file_and_a_catalog_without_companies(write_catalog) -> None:
    assert "[meta]" in problems_of(write_catalog(""))[0]
    assert load_catalog(write_catalog(META)).companies == ()


def sparse_file(path: Path, megabytes: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(megabytes * 1024 * 1024)  # sparse: nothing is written, the size is what counts
    return path


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    from hlexplore import files

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the file was opened for reading")

    monkeypatch.setattr(files.os, "fdopen", never)  # what reading would start with
    path = sparse_file(tmp_path / "huge.toml", 300)
    [problem] = problems_of(path)
    assert "300 MiB" in problem and "limited to 256 MiB" in problem and str(path) in problem


def test_a_200_megabyte_file_of_garbage_fails_fast_with_its_place(tmp_path: Path) -> None:
    # Under the limit (a StackShare-sized catalog is ~150 MB), so it is read, and refused at line 1.
    path = sparse_file(tmp_path / "zeros.toml", 200)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:1:1: invalid TOML")


def test_very_long_strings_are_refused_with_their_place(write_catalog) -> None:
    long = "x" * 100_000
    path = write_catalog(META + f'[[technology]]\nid = "t"\nname = "{long}"\ncategory = "cache"\n')
    [problem] = problems_of(path)
    assert f':6: technology "t": "name" is 100000 characters long (at most {MAX_STRING})' in problem


def test_deeply_nested_values_are_an_error_not_a_crash(write_catalog) -> None:
    nested = "[" * 5000 + "]" * 5000
    path = write_catalog(
        META + f'[[technology]]\nid = "t"\nname = "T"\ncategory = "cache"\naliases = {nested}\n'
    )
    problems = problems_of(path)
    assert problems and all(str(path) in p for p in problems)


def test_thousands_of_aliases_load(write_catalog) -> None:
    aliases = ", ".join(json.dumps(f"alias {n}") for n in range(5000))
    path = write_catalog(
        META + f'[[technology]]\nid = "t"\nname = "T"\ncategory = "cache"\naliases = [{aliases}]\n'
    )
    catalog = load_catalog(path)
    assert len(catalog.technologies[0].aliases) == 5000
    assert CatalogIndex(catalog).resolve("alias 4999").entry.id == "t"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>x</script>",
        "vbscript:msgbox",
        "https://user:secret@example.com/",
        "https://exa mple.com/",
        "https://example.com/\x1b]0;x\x07",
        "https://example.com/" + "a" * 5000,
        "http:///no-host",
    ],
)
def test_links_that_are_not_plain_http_are_refused_when_loading_and_opening(write_catalog, url: str) -> None:
    assert url_problem(url)
    path = write_catalog(
        META + f'[[technology]]\nid = "t"\nname = "T"\ncategory = "cache"\nurl = {json.dumps(url)}\n'
    )
    [problem] = problems_of(path)
    assert 'technology "t"' in problem and "url" in problem


url_parts = st.sampled_from(
    [
        "http",
        "https",
        "HTTP",
        "ftp",
        "",
        ":",
        "//",
        "/",
        "@",
        "[",
        "]",
        "::1",
        "a",
        "-",
        ".",
        "é",
        " ",
        "\u2028",
        "\x85",
        "?",
        "#",
        "%20",
        "80",
        "user:pw@",
        "x.y",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(url_parts, max_size=10).map("".join))
@example("http://a.b/@c")
def test_the_quick_check_of_plain_links_passes_only_what_the_full_check_passes(url: str) -> None:
    from hlexplore.catalog import urls

    if urls._PLAIN.fullmatch(url):
        assert urls._parsed_problem(url) is None


# -- every screen at every size ----------------------------------------------------------------------------

SIZES = [(20, 6), (300, 100), (33, 9), (80, 24), (21, 7), (120, 40), (299, 99), (20, 6)]
SCREENS = {
    "filtering": ["2", "slash", *"mem"],
    "details": ["slash", *"bravo", "enter"],
    "picker": ["c", *"le"],
    "comparison": ["c", "enter"],
    "matrix": ["space", "space", "space", "c"],
    "help": ["question_mark"],
    "bookmarks": ["b", "B"],
    "note": ["n"],
    "export": ["c", "enter", "e"],
}


@pytest.mark.parametrize("keys", SCREENS.values(), ids=list(SCREENS))
async def test_every_screen_survives_every_size_and_resizing_mid_use(keys: list[str]) -> None:
    from tests.explorer_helpers import explorer_app, screen_text, settle

    app = explorer_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in keys:
            await pilot.press(key)
        await settle(pilot)
        screen = type(app.screen)
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await pilot.press("down")  # keep using it while the size changes
            await settle(pilot)
            assert type(app.screen) is screen and app.return_code is None
            assert screen_text(app).strip()
