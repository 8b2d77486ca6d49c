"""Shared helpers: run build.py as a user would, read built pages."""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright import sync_api as playwright

ROOT = Path(__file__).resolve().parent.parent
ROOTS = ROOT / "tests" / "roots"

# The builds of a test run share one cache of their own (gazette/cache.py), never the project's.
if "GAZETTE_CACHE" not in os.environ:
    import tempfile

    os.environ["GAZETTE_CACHE"] = tempfile.mkdtemp(prefix="gazette-test-cache-")
CHROMIUM = "/usr/bin/chromium"


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run build.py in a fresh process, as staff and CI do."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )


def build_into(notices: Path, site: Path) -> Path:
    result = run_build("--notices", str(notices), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    return build_into(ROOT / "notices", tmp_path_factory.mktemp("bundled") / "site")


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory) -> Path:
    return build_into(ROOTS / "basic" / "notices", tmp_path_factory.mktemp("basic") / "site")


class _Page(HTMLParser):
    """Collects what a reader sees: h1, metadata table, links, resources."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.h1 = ""
        self.meta: dict[str, str] = {}
        self.links: list[str] = []
        self.resources: list[str] = []
        self._in_h1 = False
        self._in_meta = False
        self._cell: list[str] | None = None
        self._key: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h1":
            self._in_h1 = True
        if tag == "table" and "notice-meta" in (a.get("class") or ""):
            self._in_meta = True
        if self._in_meta and tag in ("th", "td"):
            self._cell = []
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.resources.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.resources.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        if tag == "table":
            self._in_meta = False
        if self._in_meta and tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell).strip()
            if tag == "th":
                self._key = text
            elif self._key:
                self.meta[self._key] = text
                self._key = None
            self._cell = None

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data
        if self._cell is not None:
            self._cell.append(data)


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.h1 = page.h1.strip()
    return page


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under a folder, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def readable_text(path: Path) -> str:
    """A file's text as a person or a program could recover it.

    Material's search index escapes every Chinese character as \\uXXXX, so a
    plain grep finds nothing; decode those escapes and HTML entities too.
    """
    import gzip

    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    if path.suffix == ".zip":            # site.zip: every member, decompressed
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = b"\n".join(z.read(name) for name in z.namelist())
    text = data.decode("utf-8", errors="replace")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    return html.unescape(text)


# --- a real headless Chromium (Debian's), never a downloaded one -----------

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A phone-sized page that refuses, and records, any network request."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.remote_requests = []

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            pg.remote_requests.append(route.request.url)
            route.abort()

    pg.route("**/*", guard)
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


@pytest.fixture(scope="module")
def engine(browser, bundled_site):
    """One search page of the bundled site kept open, to query the engine directly."""
    context = browser.new_context()
    pg = context.new_page()
    pg.goto((bundled_site / "search.html").as_uri())
    pg.wait_for_function("() => window.__gz && window.__gz.search")
    pg.evaluate("() => __gz.ready()")       # the traditional table (the rules came with the page: rules.js)
    yield pg
    context.close()


def copy_project(target: Path, notices: Path | None = None) -> Path:
    """This project's files (tracked and new, not ignored) copied to target, to build with other settings.

    notices replaces the bundled notices/ folder when given.
    """
    import shutil

    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, check=True).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        if (ROOT / rel).is_file() and not rel.startswith(("tests/", "notices/")):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, target / rel)
    shutil.copytree(notices or ROOT / "notices", target / "notices")
    return target
