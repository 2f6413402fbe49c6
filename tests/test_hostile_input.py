"""Input made to hurt: YAML bombs, files that are not UTF-8, text JSON cannot carry.

Each test builds a site holding one attack, with its payload, and checks that the build
finishes without a traceback, that a warning names the file, the line and the limit or
the problem, and that the rest of the page is still shown.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_sysdesign import blocks, cli
from mkdocs_sysdesign.cli import check, output, scaffold
from mkdocs_sysdesign.yamlread import (
    MAX_ALIASED_NODES,
    MAX_DEPTH,
    YAMLLimitError,
    compose_yaml,
    repeated_keys,
)

NO_GLOSSARY = {"plugins": [{"sysdesign": {"builtin_glossary": False}}]}
SENTINEL = "Sentinel sentence: the rest of this page stays visible."
D = "designs/d.md"

DEEP = "[" * 1000 + "]" * 1000
"""A 2 KB list nested 1,000 deep: libyaml refuses it, PyYAML's Python loader recursed."""

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n"
    for before, name in zip("abcdefgh", "bcdefghi", strict=True)
)
"""Billion laughs: nine aliases a level, nine levels, under 500 bytes."""


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.splitlines())


def design_page(front: str, body: str = "") -> str:
    """A design whose front matter starts on line 2, with a sentinel at the end."""
    head = f"---\n{front}---\n# Design\n\n## Requirements\n\nUsers shorten links.\n\n"
    return f"{head}{body}{SENTINEL}\n"


def block_page(language: str, content: str) -> str:
    """A design without front matter whose only block's first content line is line 6."""
    return f"# Design\n\n## Requirements\n\n```{language}\n{content}```\n\n{SENTINEL}\n"


def no_traceback(site: Any) -> None:
    assert site.error is None, site.warnings
    assert not [r for r in site.records if r.exc_info], "a traceback was logged"


def located(site: Any, src: str, line: int, *parts: str) -> None:
    where = f"docs/{src}:{line}: "
    assert any(where in m and all(p in m for p in parts) for m in site.messages), site.messages


def page_text(site: Any, src: str) -> str:
    return " ".join(site.content(src).get_text().split())


# -- YAML depth ------------------------------------------------------------------------


def test_front_matter_nested_1000_deep_is_a_warning_not_a_traceback(make_site: Any) -> None:
    site = make_site(
        {D: design_page(f"design:\n  extra:\n    x: {DEEP}\n"), "index.md": "# Home\n"},
        NO_GLOSSARY,
        theme="mkdocs",
    )
    no_traceback(site)
    located(site, D, 4, "front matter:", f"deeper than {MAX_DEPTH} levels, the limit")
    assert SENTINEL in page_text(site, D)
    assert (site.site_dir / "index.html").is_file()


def test_front_matter_just_past_the_depth_limit_keeps_the_page_body(make_site: Any) -> None:
    # libyaml reads 60 levels, so MkDocs takes the front matter off the page; the plugin
    # reads nothing from it, and the lines of the body's problems stay right.
    deep = "[" * 60 + "]" * 60
    site = make_site(
        {D: design_page(f"design:\n  extra: {deep}\n", "See [[nothing]].\n\n")},
        NO_GLOSSARY,
        theme="mkdocs",
    )
    no_traceback(site)
    located(site, D, 3, f"deeper than {MAX_DEPTH} levels")
    located(site, D, 11, "unknown glossary term 'nothing'")
    assert "extra:" not in page_text(site, D)


def test_front_matter_at_the_depth_limit_is_read(make_site: Any) -> None:
    # The root mapping, design and extra are three levels; each list is one more.
    front = "design:\n  status: approved\n  extra:\n    x: {}\n"
    deep = "[" * (MAX_DEPTH - 3) + "]" * (MAX_DEPTH - 3)
    with pytest.raises(YAMLLimitError):
        compose_yaml(front.format("[" + deep + "]"))
    site = make_site(
        {D: design_page(front.format(deep))},
        NO_GLOSSARY,
        theme="mkdocs",
        strict=True,
    )
    assert site.error is None, site.warnings
    badge = site.content(D).select_one(".sysdesign-status")
    assert badge is not None and badge["data-status"] == "approved"


def test_entity_block_nested_1000_deep_is_shown_as_written(make_site: Any) -> None:
    site = make_site({D: block_page("entity", f"name: User\nproperties: {DEEP}\n")}, NO_GLOSSARY)
    no_traceback(site)
    located(site, D, 7, "entity:", f"deeper than {MAX_DEPTH} levels, the limit")
    shown = site.content(D).select_one("pre.sysdesign-invalid code.language-entity")
    assert shown is not None and "properties: [[[" in shown.get_text()
    assert SENTINEL in page_text(site, D)


def test_table_whose_where_nests_1000_deep_is_shown_as_written(make_site: Any) -> None:
    site = make_site(
        {"index.md": block_page("sysdesign", f"table: designs\nwhere:\n  status: {DEEP}\n")},
        NO_GLOSSARY,
        theme="mkdocs",
    )
    no_traceback(site)
    located(site, "index.md", 8, f"deeper than {MAX_DEPTH} levels, the limit")
    shown = site.content("index.md").select_one("pre.sysdesign-invalid code.language-sysdesign")
    assert shown is not None and "where:" in shown.get_text()


def test_aliases_that_nest_past_the_limit_are_stopped_at_the_alias() -> None:
    # Each anchor is shallow; each alias adds its anchor's depth to where it is used.
    text = "a0: &a0 " + "[" * 20 + "]" * 20 + "\n"
    for n in range(1, 5):
        text += f"a{n}: &a{n} " + "[" * 20 + f"*a{n - 1}" + "]" * 20 + "\n"
    with pytest.raises(YAMLLimitError) as raised:
        compose_yaml(text)
    assert f"nests the YAML deeper than {MAX_DEPTH} levels" in str(raised.value.problem)
    assert raised.value.problem_mark is not None and raised.value.problem_mark.line == 2


# -- YAML aliases ----------------------------------------------------------------------


def test_billion_laughs_in_design_extra_is_refused(make_site: Any) -> None:
    site = make_site(
        {D: design_page("design:\n  status: draft\n  extra:\n" + _indent(LAUGHS, 4))},
        NO_GLOSSARY,
        theme="mkdocs",
    )
    no_traceback(site)
    located(site, D, 9, f"aliases bring in more than {MAX_ALIASED_NODES:,} nodes, the limit")
    assert site.config.plugins["sysdesign"].handbook.designs[D].extra == {}


def test_self_referencing_alias_is_refused(make_site: Any) -> None:
    site = make_site({D: design_page("design:\n  extra: &x {self: *x}\n")}, NO_GLOSSARY)
    no_traceback(site)
    located(site, D, 3, "alias '*x' is inside the node it names (a cycle)")


def test_billion_laughs_in_an_api_block_is_shown_as_written(make_site: Any) -> None:
    site = make_site({D: block_page("api", "protocol: REST\nx:\n" + _indent(LAUGHS, 2))})
    no_traceback(site)
    located(site, D, 12, "api:", f"more than {MAX_ALIASED_NODES:,} nodes")
    assert site.content(D).select_one("pre.sysdesign-invalid code.language-api") is not None


def test_a_few_aliases_are_read_as_before() -> None:
    composed = compose_yaml("base: &b {type: text}\nname: *b\nbio: {<<: *b, notes: short}\n")
    assert composed.root is not None
    assert composed.loader.construct_document(composed.root)["bio"] == {
        "type": "text",
        "notes": "short",
    }


def test_export_of_a_site_with_alias_bombs_is_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness import write_project

    write_project(
        tmp_path,
        {
            "designs/laughs.md": design_page("design:\n  extra:\n" + _indent(LAUGHS, 4)),
            "designs/self.md": design_page("design:\n  extra: &x {self: *x}\n"),
        },
        {"theme": {"name": "mkdocs"}, **NO_GLOSSARY},
    )
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", "-o", "out.json"]) == 0
    out = tmp_path / "out.json"
    assert out.stat().st_size < 100_000
    designs = {d["path"]: d for d in json.loads(out.read_text(encoding="utf-8"))["designs"]}
    assert designs["designs/laughs.md"]["extra"] == designs["designs/self.md"]["extra"] == {}
    assert "Traceback" not in capsys.readouterr().err


# -- fence formatters ------------------------------------------------------------------


def test_an_error_inside_a_fence_formatter_is_reported_not_swallowed(
    make_site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("renderer broke")

    monkeypatch.setitem(blocks.BLOCKS, "entity", replace(blocks.BLOCKS["entity"], render=broken))
    site = make_site({D: block_page("entity", "name: User\nproperties:\n  id: uuid\n")})
    assert site.error is None
    located(site, D, 5, "entity block: rendering failed (RuntimeError: renderer broke)")
    shown = site.content(D).select_one("pre.sysdesign-invalid code.language-entity")
    assert shown is not None and "id: uuid" in shown.get_text()


# -- files that are not UTF-8 ----------------------------------------------------------

NOT_UTF8 = {
    "latin-1": (b"# Caf\xe9\n\nOrdered at the caf\xe9.\n", 1, "byte 0xe9 on line 1"),
    "utf-16": ("# Caf\u00e9\n\nText.\n".encode("utf-16"), 1, "a byte-order mark says UTF-16"),
    "stray-byte": (b"# Notes\n\nFine text.\n\nThen a \xff stray byte.\n", 5, "byte 0xff on line 5"),
    "binary": (bytes(range(256)) * 4, 2, "NUL bytes: a binary file?"),
}


@pytest.mark.parametrize("raw,line,detail", NOT_UTF8.values(), ids=list(NOT_UTF8))
def test_a_page_that_is_not_utf8_is_named_and_the_site_builds(
    make_site: Any, tmp_path: Path, raw: bytes, line: int, detail: str
) -> None:
    files = {"index.md": f"# Home\n\n{SENTINEL}\n", D: design_page("design:\n  status: draft\n")}
    site = make_site(files, NO_GLOSSARY, theme="mkdocs", raw_files={"notes.md": raw})
    no_traceback(site)
    located(site, "notes.md", line, "the file is not UTF-8", detail, "expected a UTF-8 file")
    assert SENTINEL in page_text(site, "index.md")
    assert SENTINEL in page_text(site, D)
    assert site.output_path("notes.md").is_file()


def test_a_design_with_a_stray_byte_is_still_a_design(make_site: Any) -> None:
    raw = design_page("design:\n  status: approved\n").encode() + b"Caf\xe9.\n"
    site = make_site({}, NO_GLOSSARY, theme="mkdocs", raw_files={D: raw})
    no_traceback(site)
    located(site, D, 12, "byte 0xe9 on line 12")
    assert "Caf\ufffd." in page_text(site, D)
    badge = site.content(D).select_one(".sysdesign-status")
    assert badge is not None and badge["data-status"] == "approved"


def test_check_names_a_page_that_is_not_utf8_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness import write_project

    write_project(tmp_path, {"index.md": "# Home\n"}, {"theme": {"name": "mkdocs"}})
    (tmp_path / "docs" / "latin.md").write_bytes(b"# Caf\xe9\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check"]) == 1
    out, err = capsys.readouterr()
    assert "docs/latin.md:1: warning: the file is not UTF-8" in out
    assert "Traceback" not in err


# -- text JSON cannot carry ------------------------------------------------------------


def test_lone_surrogate_in_front_matter_is_reported_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness import write_project

    write_project(
        tmp_path,
        {D: design_page('title: "S\\ud800x"\ndesign:\n  status: draft\n')},
        {"theme": {"name": "mkdocs"}},
    )
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out.json"
    out.write_text("the previous export\n", encoding="utf-8")
    assert cli.main(["check"]) == 1
    printed = capsys.readouterr().out
    assert f"docs/{D}:2: warning: front matter: the text 'S\ufffdx' has 1 lone surrogate" in printed
    assert cli.main(["export", "-o", "out.json"]) == 0
    (design,) = json.loads(out.read_text(encoding="utf-8"))["designs"]
    assert design["title"] == "S\ufffdx"


def test_lone_surrogate_in_a_block_is_reported_at_its_line(make_site: Any) -> None:
    site = make_site({D: block_page("entity", 'name: User\nproperties:\n  "n\\udc00": text\n')})
    no_traceback(site)
    located(site, D, 8, "entity: the text 'n\ufffd' has 1 lone surrogate escape")
    cells = [td.get_text(strip=True) for td in site.content(D).select(".sysdesign-entity td")]
    assert "n\ufffd" in cells


# -- repeated keys ---------------------------------------------------------------------


def test_repeated_front_matter_key_is_a_warning(make_site: Any) -> None:
    site = make_site(
        {D: design_page("design:\n  status: approved\n  owners: [alice]\n  status: draft\n")},
        NO_GLOSSARY,
        theme="mkdocs",
    )
    located(site, D, 5, "design.status: repeated key; expected each key once")
    strict = make_site(
        {D: design_page("title: A\ntitle: B\n")}, NO_GLOSSARY, theme="mkdocs", strict=True
    )
    assert strict.error is not None


def test_repeated_keys_are_found_at_any_depth() -> None:
    composed = compose_yaml("a:\n  - {x: 1, x: 2}\n  - y\nb: 1\nb: 2\n")
    assert repeated_keys(composed.root) == [(1, ("a", "0", "x")), (4, ("b",))]


# -- writers ---------------------------------------------------------------------------


def test_a_failed_write_leaves_the_previous_file_intact(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("the previous export\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        output.write_file(out, "text UTF-8 cannot carry: \ud800")
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"], "a temporary file was left"


def test_a_write_replaces_the_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    output.write_file(out, "new\n")
    assert out.read_text(encoding="utf-8") == "new\n"
    assert out.stat().st_mode & 0o777 == 0o640
    with pytest.raises(FileExistsError):
        output.write_file(out, "newer\n", overwrite=False)
    assert out.read_text(encoding="utf-8") == "new\n"


# -- the command line: every bad argument is a message and exit 2 ----------------------

BAD_ARGUMENTS = {
    "title-too-long": (["new", "a" * 300], "File name too long"),
    "dir-in-proc": (["new", "Rate Limiter", "--dir", "/proc/1"], "/proc/1/rate-limiter.md"),
    "export-missing-folder": (["export", "-o", "missing/nested/out.json"], "no folder missing"),
    "schema-missing-folder": (["schema", "-o", "missing/nested/out.json"], "no folder missing"),
    "export-to-a-folder": (["export", "-o", "docs"], "docs: Is a directory"),
    "schema-to-a-folder": (["schema", "-o", "docs"], "docs: Is a directory"),
    "export-to-a-full-device": (["export", "-o", "/dev/full"], "/dev/full: No space left"),
    "schema-to-a-full-device": (["schema", "-o", "/dev/full"], "/dev/full: No space left"),
}


@pytest.mark.parametrize("argv,expected", BAD_ARGUMENTS.values(), ids=list(BAD_ARGUMENTS))
def test_a_bad_argument_is_a_message_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    expected: str,
) -> None:
    from harness import write_project

    for path in ("/proc/1", "/dev/full"):
        if path in argv and not Path(path).exists():
            pytest.skip(f"{path} is not on this system")
    write_project(tmp_path, {"index.md": "# Home\n"}, {"theme": {"name": "mkdocs"}})
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert f"mkdocs-sysdesign {argv[0]}: error: " in err
    assert expected in err
    assert "Traceback" not in err


def test_an_unexpected_failure_is_a_message_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(check, "run_build", broken)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert "error: the command stopped: RecursionError: maximum recursion depth" in err


def test_the_limits_are_yaml_errors_with_a_line() -> None:
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        compose_yaml("a: 1\nb: " + DEEP)
    assert raised.value.problem_mark is not None and raised.value.problem_mark.line == 1


def test_new_quotes_a_title_that_would_nest_deep(tmp_path: Path) -> None:
    from mkdocs_sysdesign.config import DEFAULT_STATUSES
    from mkdocs_sysdesign.frontmatter import read_front_matter
    from mkdocs_sysdesign.steps import StepRegistry

    title = "x: " + "[" * 1000
    text = scaffold.design_template(title, StepRegistry.default(), DEFAULT_STATUSES)
    front = read_front_matter(text)
    assert front.problems == []
    assert front.data["title"] == title


def test_repeated_table_key_is_a_warning(make_site: Any) -> None:
    site = make_site(
        {"index.md": block_page("sysdesign", "table: designs\nlimit: 1\ntable: checklist\n")},
        NO_GLOSSARY,
        theme="mkdocs",
    )
    located(site, "index.md", 8, "table: repeated key; expected each key once")
