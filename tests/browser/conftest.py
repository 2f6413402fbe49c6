"""Fixtures for the browser tests: build the handbook once, serve it, drive Debian's chromium.

The handbook (this repository's ``mkdocs.yml``) is built three times per session, in
parallel subprocesses: served at the root, under the sub-path ``/handbook/``, and with the
MkDocs theme; each copy inherits ``mkdocs.yml`` and sets its ``site_url``, theme or both.
Each copy is served by ``http.server`` on 127.0.0.1 in a thread. Pages are opened in
chromium through Playwright, with every console error, page error, failed request and
request to another host recorded, so a test can say "this page loaded cleanly".

Locally the tests skip when Playwright or chromium is missing; under ``CI=true`` they fail.
"""

from __future__ import annotations

import functools
import http.server
import importlib.metadata
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from browsing import HOST, OPEN_SHADOW_ROOTS, Handbook, PageLog
from mkdocs.utils.yaml import yaml_load

try:
    from playwright.sync_api import sync_playwright

    PLAYWRIGHT_MISSING = ""
except ImportError as error:  # pragma: no cover - depends on the environment
    PLAYWRIGHT_MISSING = f"Playwright is not importable ({error}); pip install -e '.[test]'"

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SUBPATH = "handbook"

# Debian's chromium, not Playwright's download: the machines that run these tests have no
# internet. The flags keep chromium from phoning home (which would show as foreign requests).
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Other hosts do not resolve: a request to one is recorded, then fails at once, whatever
    # network the machine has (cheaper than intercepting every request in Playwright).
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {HOST}",
]

# Material's plugins that MkDocs finds under their short name only on the Material theme.
_MATERIAL_PREFIX = "material/"


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``browser`` marker, so ``-m 'not browser'`` leaves these tests out."""
    config.addinivalue_line("markers", "browser: drives chromium against the built handbook")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder with ``browser``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def unavailable(reason: str) -> None:
    """Skip locally; fail under CI, where a missing browser means a broken pipeline."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """The chromium executable: ``$SYSDESIGN_CHROMIUM``, Debian's path, or one on ``PATH``."""
    configured = os.environ.get("SYSDESIGN_CHROMIUM")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


# -- serving ---------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without writing an access log line per request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """Ignores clients that hang up early: chromium cancels requests when it leaves a page."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StaticServer:
    """``http.server`` on a free port of 127.0.0.1, in a daemon thread."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = _QuietServer((HOST, 0), handler)
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        """Stop serving and release the port."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# -- building --------------------------------------------------------------------------


class _Build:
    """A ``mkdocs build`` running in a subprocess; ``wait()`` returns its handbook."""

    def __init__(self, handbook: Handbook, config_file: Path, log_file: Path) -> None:
        self.handbook = handbook
        self.log_file = log_file
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        command = [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--clean"]
        command += ["-f", str(config_file), "-d", str(handbook.site_dir)]
        with log_file.open("wb") as log:
            # cwd=ROOT: paths in mkdocs.yml (snippets' base_path) resolve as for `mkdocs build`.
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.result: Handbook | None = None

    def wait(self) -> Handbook:
        """Wait for the build; fail the test with MkDocs' output when it did not succeed."""
        if self.result is None:
            code = self.process.wait(timeout=300)
            if code != 0 or not (self.handbook.site_dir / "index.html").is_file():
                output = self.log_file.read_text(encoding="utf-8", errors="replace")
                pytest.fail(f"the {self.handbook.name} build failed ({code}):\n{output[-4000:]}")
            self.result = self.handbook
        return self.result


def _mkdocs_theme_plugins() -> list[Any]:
    """The handbook's plugins, named so MkDocs finds Material's ones under another theme."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    installed = {ep.name for ep in importlib.metadata.entry_points(group="mkdocs.plugins")}
    plugins: list[Any] = []
    for entry in config.get("plugins", []):
        name, options = (entry, None) if isinstance(entry, str) else next(iter(entry.items()))
        if name not in installed and f"{_MATERIAL_PREFIX}{name}" in installed:
            name = f"{_MATERIAL_PREFIX}{name}"
        plugins.append(name if options is None else {name: options})
    return plugins


def _write_config(path: Path, settings: dict[str, Any]) -> Path:
    """A config that inherits the handbook's ``mkdocs.yml`` and overrides ``settings``."""
    settings = {"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(ROOT / "docs"), **settings}
    path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def chromium() -> str:
    """The chromium executable; skips (fails under CI) without it or without Playwright."""
    if PLAYWRIGHT_MISSING:
        unavailable(PLAYWRIGHT_MISSING)
    path = find_chromium()
    if path is None:
        unavailable(
            "no chromium found (looked at $SYSDESIGN_CHROMIUM, "
            + ", ".join(CHROMIUM_CANDIDATES)
            + ", PATH); install it with `apt-get install chromium`"
        )
    assert path is not None
    return path


@pytest.fixture(scope="session")
def builds(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, _Build]]:
    """Start the three builds at once and serve each output folder; stop the servers at the end.

    The sub-path copy needs its port before it is built (its ``site_url`` names it), so the
    servers start first, each on an empty folder that the build then fills.
    """
    base = tmp_path_factory.mktemp("handbook")
    servers: list[StaticServer] = []
    started: dict[str, _Build] = {}
    try:
        material = StaticServer(base / "material")
        servers.append(material)
        # Material's instant navigation only follows the pages listed in sitemap.xml, which
        # lists none without a site_url: every deployment sets one, so the test copy does.
        config = _write_config(base / "material.yml", {"site_url": material.origin + "/"})
        started["material"] = _Build(
            Handbook("material", base / "material", material.origin + "/"),
            config,
            base / "material.log",
        )

        subpath = StaticServer(base / "subpath")
        servers.append(subpath)
        subpath_url = f"{subpath.origin}/{SUBPATH}/"
        config = _write_config(base / "subpath.yml", {"site_url": subpath_url})
        started["subpath"] = _Build(
            Handbook("sub-path", base / "subpath" / SUBPATH, subpath_url),
            config,
            base / "subpath.log",
        )

        plain = StaticServer(base / "mkdocs")
        servers.append(plain)
        # highlight.js comes from a CDN on the MkDocs theme: turned off, as an offline
        # handbook on that theme has to (our pages need nothing from it).
        theme = {"name": "mkdocs", "highlightjs": False}
        config = _write_config(
            base / "mkdocs.yml", {"theme": theme, "plugins": _mkdocs_theme_plugins()}
        )
        started["mkdocs"] = _Build(
            Handbook("mkdocs-theme", base / "mkdocs", plain.origin + "/", theme="mkdocs"),
            config,
            base / "mkdocs.log",
        )
        yield started
    finally:
        for build in started.values():
            if build.process.poll() is None:
                build.process.kill()
                build.process.wait()
        for server in servers:
            server.stop()


@pytest.fixture(scope="session")
def serve(chromium: str) -> Iterator[Callable[[Path], str]]:
    """Serve more folders for the session: ``serve(site_dir)`` returns the folder's URL."""
    servers: list[StaticServer] = []

    def serve_(directory: Path) -> str:
        servers.append(StaticServer(directory))
        return servers[-1].origin + "/"

    yield serve_
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def material_site(builds: dict[str, _Build]) -> Handbook:
    """The handbook built from ``mkdocs.yml`` (Material) with its server's ``site_url``."""
    return builds["material"].wait()


@pytest.fixture(scope="session")
def subpath_site(builds: dict[str, _Build]) -> Handbook:
    """The handbook built with ``site_url`` ``http://127.0.0.1:PORT/handbook/``."""
    return builds["subpath"].wait()


@pytest.fixture(scope="session")
def mkdocs_theme_site(builds: dict[str, _Build]) -> Handbook:
    """The handbook built with ``theme: mkdocs``."""
    return builds["mkdocs"].wait()


# -- the browser -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Browser]:
    """Debian's chromium, headless, for the whole session."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


OpenPage = Callable[..., "tuple[Page, PageLog]"]


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """Open a fresh page in its own context: ``open_page(color_scheme="dark")``.

    Requests to other hosts fail (see ``CHROMIUM_ARGS``) after being recorded: the handbook
    has to work offline, and a test must not depend on the network of the machine.
    """
    contexts: list[BrowserContext] = []

    def open_(color_scheme: str = "light", **options: Any) -> tuple[Page, PageLog]:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(color_scheme=color_scheme, **options)  # type: ignore[arg-type]
        context.set_default_timeout(20_000)
        context.add_init_script(OPEN_SHADOW_ROOTS)
        contexts.append(context)
        page = context.new_page()
        log = PageLog()
        log.watch(page)
        return page, log

    yield open_
    for context in contexts:
        context.close()
