"""Search relevance, by kind: success@1 of the suite in tests/search_suite.tsv.

    .venv/bin/python benchmarks/relevance.py [--site DIR] [--suite FILE]

Builds the bundled notices into a temporary site (as tests/conftest.py
build_into does: build.py in a fresh process), opens site/search.html from
file:// in headless Chromium (Debian's, never a downloaded one), and runs every
query of the suite through __gz.search, the function the page's own search box
calls (search.js run(): search(input.value.trim(), {issuer, year})).  Prints a
Markdown table: kind | queries | success@1 | failures, each failure with what
came first, and the overall figure.

A query succeeds when its notice comes first, or, for "-", when nothing is
found.  "No results" includes the engine's answer "there is no document with
this number" (search.js nearest(), which lists neighbouring numbers as such);
that answer is never a notice found at rank 1.  tests/test_search_suite.py
asserts the same, one test per line.

--site DIR uses an already built site instead of building one.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "search_suite.tsv"
CHROMIUM = "/usr/bin/chromium"
KINDS = ("title", "topic", "everyday", "traditional", "typo", "date", "person", "number", "cited", "nothing")

# Exactly what the page does with a query typed in its box: search(q.trim(), filters).
FIND = """async (q) => {
  const r = await __gz.search(q.trim(), {issuer: "", year: ""});
  const docs = await Promise.all(r.ids.map(id => __gz.load('text/' + id)));
  return {total: r.total, numbers: docs.map(d => d.number), missing: r.missingNumber || null,
          partial: !!r.partial, tolerated: r.tolerated || null, simplified: r.simplified || null};
}"""


def read_suite(path: Path) -> list[tuple[str, str, str]]:
    """(kind, query, expected) of every line; a malformed line stops the run with its number."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[0] not in KINDS or not fields[1].strip() or not fields[2].strip():
            sys.exit(f"{path}:{number}: expected kind<TAB>query<TAB>expected (kinds: {', '.join(KINDS)}): {line!r}")
        cases.append((fields[0], fields[1], fields[2].strip()))
    return cases


def found_numbers(found: dict) -> list[str]:
    """The notices the engine presents as matches (none for "no document with this number")."""
    return [] if found["missing"] else found["numbers"]


def describe(found: dict) -> str:
    if found["missing"]:
        return f"no results (“no document {found['missing']}”, {found['total']} neighbours listed)"
    if not found["total"]:
        return "no results"
    how = " partial" if found["partial"] else ""
    if found["tolerated"]:
        how += " tolerated " + "、".join(found["tolerated"])
    if found["simplified"]:
        how += " as " + found["simplified"]
    return f"{found['numbers'][0]} first of {found['total']}{how}"


def build(site: Path) -> Path:
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--notices", str(ROOT / "notices"), "build", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        sys.exit(result.stderr)
    return site


def run(site: Path, cases: list[tuple[str, str, str]]) -> list[tuple[str, str, str, bool, dict]]:
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto((site / "search.html").as_uri())
            page.wait_for_function("() => window.__gz && window.__gz.search")
            page.evaluate("() => __gz.ready()")
            for kind, query, expected in cases:
                found = page.evaluate(FIND, query)
                numbers = found_numbers(found)
                ok = numbers == [] if expected == "-" else numbers[:1] == [expected]
                out.append((kind, query, expected, ok, found))
        finally:
            browser.close()
    return out


def table(results: list[tuple[str, str, str, bool, dict]]) -> str:
    by_kind = defaultdict(list)
    for r in results:
        by_kind[r[0]].append(r)
    lines = ["| kind | queries | success@1 | failures |", "|---|---:|---:|---|"]
    for kind in [k for k in KINDS if k in by_kind]:
        rows = by_kind[kind]
        good = sum(r[3] for r in rows)
        fails = "; ".join(f"{q} → expected {e}, got {describe(f)}" for _, q, e, ok, f in rows if not ok)
        lines.append(f"| {kind} | {len(rows)} | {good}/{len(rows)} ({100 * good / len(rows):.0f}%) | "
                     f"{fails.replace('|', '｜') or '–'} |")
    good = sum(r[3] for r in results)
    lines.append(f"| **all** | {len(results)} | **{good}/{len(results)} ({100 * good / max(len(results), 1):.1f}%)** | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the bundled notices)")
    parser.add_argument("--suite", type=Path, default=SUITE)
    args = parser.parse_args()
    cases = read_suite(args.suite)
    if args.site:
        print(table(run(args.site, cases)))
        return
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        site = build(Path(tmp) / "site")
        print(table(run(site, cases)))


if __name__ == "__main__":
    main()
