"""The benchmark keeps working: its generator writes valid, complete handbooks, and a tiny
run measures and prints every figure. The real measurements are `make bench`."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from harness import ROOT

STEPS = ["requirements", "core-entities", "api", "data-flow", "high-level-design", "deep-dives"]


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "bench"))  # run.py imports its neighbour generate.py
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


generate = _load("generate")
run = _load("run")


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A generated handbook: 5 designs, 12 terms, padded to 15 glossary-sized pages."""
    return generate.generate(tmp_path_factory.mktemp("bench"), 5, 12, pad_glossary_to=15)


def _front(text: str) -> dict[str, Any]:
    match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "page has no front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def test_designs_are_realistic_six_step_write_ups(handbook: Any) -> None:
    docs = handbook.root / "docs"
    assert len(handbook.designs) == 5
    for path in handbook.designs:
        text = (docs / path).read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1]
        assert 1000 <= len(body.split()) <= 1500
        headings = re.findall(r"^## (.+)$", body, re.MULTILINE)
        assert headings == [
            "Requirements",
            "Core Entities",
            "API",
            "Data Flow",
            "High-Level Design",
            "Deep Dives",
        ]
        assert len(re.findall(r"^### ", body, re.MULTILINE)) >= 12
        for fence in ("```entity", "```api", "```dataflow", "```sql"):
            assert fence in body
        assert "|---|" in body  # Markdown tables
        assert "- [x] " in body  # task lists
        links = re.findall(r"\]\(([a-z0-9-]+\.md)\)", body)
        assert links and all((docs / "designs" / link).is_file() for link in links)
        design = _front(text)["design"]
        assert design["status"] and design["owners"] and design["related"]


def test_glossary_pages_have_the_front_matter_the_plugin_reads(handbook: Any) -> None:
    pages = sorted((handbook.root / "docs" / "glossary").glob("*.md"))
    assert len(pages) == 12 == handbook.terms
    keys: list[str] = []
    for page in pages:
        front = _front(page.read_text(encoding="utf-8"))
        assert {"term", "aliases", "category", "summary"} <= set(front)
        keys += [front["term"].casefold(), *(a.casefold() for a in front["aliases"])]
    assert len(keys) == len(set(keys)), "a term or alias is on two pages"
    assert any(a.isupper() for page in pages for a in _front(page.read_text())["aliases"])
    notes = list((handbook.root / "docs" / "notes").glob("*.md"))
    assert len(notes) == handbook.padding == 3


def test_the_index_page_holds_the_designs_and_checklist_tables(handbook: Any) -> None:
    index = (handbook.root / "docs" / "index.md").read_text(encoding="utf-8")
    assert "```sysdesign\ntable: designs\n" in index
    assert "```sysdesign\ntable: checklist\n" in index


def test_the_two_configurations_differ_only_in_plugins(handbook: Any) -> None:
    plain = yaml.safe_load((handbook.root / "mkdocs-plain.yml").read_text())
    plugin = yaml.safe_load((handbook.root / "mkdocs-plugin.yml").read_text())
    assert plain.pop("plugins") == ["search"]
    assert plugin.pop("plugins") == ["search", {"sysdesign": {"builtin_glossary": False}}]
    assert plain == plugin
    assert plain["markdown_extensions"] == [
        "attr_list",
        "toc",
        "pymdownx.tasklist",
        "pymdownx.superfences",
    ]


def test_the_same_seed_writes_the_same_handbook(tmp_path: Path) -> None:
    first = generate.generate(tmp_path / "a", 3, 6, seed=5)
    second = generate.generate(tmp_path / "b", 3, 6, seed=5)
    other = generate.generate(tmp_path / "c", 3, 6, seed=6)

    def texts(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*.md"))}

    assert texts(first.root) == texts(second.root)
    assert texts(first.root) != texts(other.root)


def test_generated_handbook_builds_strictly_with_every_step_complete(
    handbook: Any, make_site: Any
) -> None:
    docs = handbook.root / "docs"
    files = {str(p.relative_to(docs)): p.read_text() for p in docs.rglob("*.md")}
    config = yaml.safe_load((handbook.root / "mkdocs-plugin.yml").read_text())
    del config["docs_dir"], config["theme"]
    site = make_site(files, config, strict=True)
    assert site.error is None
    assert site.warnings == []
    for path in handbook.designs:
        content = site.content(path)
        states = {
            e["data-step"]: e["data-state"] for e in content.select("[data-step][data-state]")
        }
        assert states == dict.fromkeys(STEPS, "complete"), path
        assert content.select("a.sysdesign-term"), f"{path} links no glossary term"
        assert content.select(".sysdesign-entity") and content.select(".sysdesign-api")
    rows = site.content("index.md").select('[data-table="designs"] tbody tr')
    assert len(rows) == 5
    # Every generated page is Latin-1 text, and so is what the plugin adds to it: one
    # character above U+00FF would make Python hold the page's HTML at 2 or 4 bytes a
    # character for the rest of the build.
    assert all(max(text, default=" ") <= "\xff" for text in files.values())
    for path in [*handbook.designs, "index.md"]:
        raw = site.output_path(path).read_text(encoding="utf-8")
        article = raw[raw.index("<article") : raw.index("</article>")]
        wide = sorted({ch for ch in article if ch > "\xff"})
        assert wide == [], f"{path}: {wide}"


def test_a_child_process_peak_memory_is_its_own(tmp_path: Path) -> None:
    big = [
        sys.executable,
        "-c",
        "x = bytearray(200 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])",
    ]
    small = [sys.executable, "-c", "pass"]
    heavy, _, _ = run.run_measured(big, tmp_path)
    light, _, _ = run.run_measured(small, tmp_path)
    assert heavy.rss > 200
    assert light.rss < 100, "the small child reported the big one's peak"
    assert heavy.wall > 0 and heavy.cpu > 0


def _tiny_run(
    tmp_path: Path, suite: str, designs: str, *extra: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Run one suite of the benchmark at a tiny size; its output and its rows by name."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--designs", str(designs)]
        + ["--terms", "5", "--repeat", "1", "--suite", suite, "--workdir", str(tmp_path)]
        + ["--json", str(tmp_path / "rows.json"), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads((tmp_path / "rows.json").read_text())}
    return result, rows


def test_a_tiny_benchmark_prints_medians_ratios_and_peak_memory(tmp_path: Path) -> None:
    result, rows = _tiny_run(tmp_path, "overhead", "3,5")
    for n in (3, 5):
        label = f"N={n}, K=5"
        ratio = rows[f"build time plugin/plain, {label} (wall)"]
        assert ratio["result"] in ("PASS", "FAIL") and ratio["target"] == "<= 1.15x"
        assert re.fullmatch(r"\d+\.\d\dx \(wall \d+\.\d\dx, CPU \d+\.\d\dx\)", ratio["value"])
        assert rows[f"peak memory plugin/plain, {label}"]["target"] == "<= 1.20x"
        assert rows[f"warnings in the plugin build, {label}"]["value"] == "0"
        plugin = rows[f"plugin build, {label}"]["data"]
        assert plugin["wall"] > 0 and plugin["cpu"] > 0 and plugin["rss"] > 20
    assert re.search(r"^suite\s+measurement\s+value\s+target\s+result$", result.stdout, re.M)
    assert re.search(r"^overhead\s+build time plugin/plain, N=5, K=5 \(wall\)", result.stdout, re.M)


def test_a_tiny_glossary_and_rebuild_run(tmp_path: Path) -> None:
    result, rows = _tiny_run(
        tmp_path, "glossary,rebuild", "8", "--glossary-terms", "3,12", "--metric", "cpu"
    )
    flat = rows["K=12 / K=3, 14 pages (cpu)"]
    assert flat["target"] == "<= 1.20x" and flat["result"] in ("PASS", "FAIL")
    rebuild = rows["rebuild plugin/plain (cpu)"]
    assert rebuild["target"] == "<= 1.10x" and rebuild["data"]["cpu"] > 0
    assert "plugin rebuild, N=2, K=1" in rows
    # The edited design is put back as it was.
    design = sorted((tmp_path / "rebuild-n2-k1" / "docs" / "designs").glob("*.md"))[0]
    assert "Edited while serving" not in design.read_text(encoding="utf-8")


def test_targets_by_size_and_sizes_on_the_command_line() -> None:
    assert run.time_limit(300) == 1.15 and run.time_limit(1000) == 1.10
    assert run.time_limit(250) == 1.15 and run.time_limit(5000) == 1.10
    args = run.argparse.Namespace(
        quick=False,
        designs=None,
        terms=None,
        repeat=None,
        glossary_designs=None,
        glossary_terms=None,
        rebuild_designs=None,
        metric="cpu",
        workdir=None,
    )
    s = run.settings(args)
    assert (s.designs, s.terms, s.repeat) == ([300, 1000], 500, 3)
    assert (s.glossary_designs, s.glossary_small, s.glossary_large) == (100, 50, 2000)
    assert (s.rebuild_designs, s.rebuild_terms) == (250, 125)
    assert run._sizes("300,1000") == [300, 1000]
    with pytest.raises(run.argparse.ArgumentTypeError):
        run._sizes("300,x")
    with pytest.raises(run.argparse.ArgumentTypeError):
        run._suites("main")
    assert run._suites("all") == list(run.SUITES)


def test_the_measured_copy_of_the_package_is_compiled_as_an_install_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(run, "_snapshot", None)
    target = run.snapshot_package(tmp_path)
    sources = sorted(p.stem for p in (target / "mkdocs_sysdesign").glob("*.py"))
    compiled = sorted(
        p.name.split(".")[0] for p in (target / "mkdocs_sysdesign" / "__pycache__").glob("*.pyc")
    )
    assert sources and compiled == sources
    # A build's child process imports that copy, and its bytecode is current for it: the
    # header records the source's modification time and size, as the import system checks.
    env = {**run._env(), "PYTHONDONTWRITEBYTECODE": "1"}
    probe = "import mkdocs_sysdesign.plugin as p; print(p.__file__); print(p.__cached__)"
    source, cached = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert source == str(target / "mkdocs_sysdesign" / "plugin.py")
    header = Path(cached).read_bytes()[:16]
    stat = Path(source).stat()
    assert int.from_bytes(header[4:8], "little") == 0  # checked by time and size
    assert int.from_bytes(header[8:12], "little") == int(stat.st_mtime) & 0xFFFFFFFF
    assert int.from_bytes(header[12:16], "little") == stat.st_size & 0xFFFFFFFF
