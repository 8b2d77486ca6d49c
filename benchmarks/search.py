"""Search speed and size, in headless Chromium from file://.

    .venv/bin/python benchmarks/search.py [N ...]      (default: 1000 10000)

For each N it makes a synthetic corpus (benchmarks/synthetic.py: real
paragraphs of the bundled notices), builds it, opens site/search.html from
disk, and runs a fixed list of queries, each on a freshly opened page (a cold
start: nothing cached but what the browser caches itself).  It prints:

* time from typing to the first result on screen (median and p95 over every
  query and repetition; it includes the 80 ms the page waits for typing to
  pause, 50 ms, as a person would see it);
* bytes read per query: every index file the query made the page load;
* renderer memory after the query: the page's renderer process, as private
  memory (what the page itself costs; a blank page is about 20 MB here) and
  as RSS (which also counts Chromium's shared libraries, ~110 MB for a blank
  page), and the JavaScript heap;
* time from opening a shared link (search.html?q=…) to the first result on
  screen: the whole page load included, as a reader who follows a link meets it;
* whether the count is true: for every query, the number of notices the
  engine says match against the number whose text (as the index reads it:
  title, issuers, the lines the page shows, body) holds each of the query's
  runs, or its synonym form, counted here in Python from the public view;
* total size of the index on disk, and how long the build took.

Targets (at 10,000 notices): first result <= 0.3 s p95 from typing and from
opening a link, <= 1 MB read per query, <= 150 MB renderer memory.

    .venv/bin/python benchmarks/search.py --notices DIR   an existing corpus
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_corpus  # noqa: E402

from gazette import search, tokens  # noqa: E402
from gazette.corpus import load_corpus  # noqa: E402
from gazette.public import publish  # noqa: E402

QUERIES = [
    "自来水价格", "脱贫攻坚", "留守儿童", "人民政府", "救助管理站", "水", "124号",
    "2020年", "KTV", "行业协会商会", "政府信息公开", "{number}", "{number_variant}",
]
REPEAT = 3
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

TYPE_AND_WAIT = """async (q) => {
  const input = document.getElementById('gz-q');
  const list = document.getElementById('search-results');
  const status = document.getElementById('gz-status');
  const start = performance.now();
  const done = new Promise(resolve => {
    const check = () => {
      if (list.querySelector('a') || status.textContent.startsWith('没有')) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(list, {childList: true, subtree: true});
    observer.observe(status, {childList: true, characterData: true, subtree: true});
  });
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  return await done;
}"""


# Installed before the page's own scripts: the time (from navigation start)
# when the first result or the no-result line appears.
FIRST_ON_SCREEN = """(() => {
  const seen = () => {
    const list = document.getElementById('search-results');
    const status = document.getElementById('gz-status');
    if ((list && list.querySelector('a')) || (status && status.textContent.startsWith('没有'))) {
      window.__firstOnScreen = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); })
    .observe(document, {childList: true, subtree: true, characterData: true});
})();"""

COUNT = """async q => { const r = await __gz.search(q); return r.partial || r.tolerated ? null : r.total; }"""


def _true_count(publication, query: str) -> int | None:
    """How many public notices hold every run of the query (or of a synonym
    form of it) in their text as the index reads it; None for a number query."""
    if tokens.parse_number(query) or not tokens.query_runs(query):
        return None
    folded = tokens.fold(query)
    forms = [folded] + [folded.replace(w, o) for w, others in tokens.read_synonyms() if w in folded for o in others]
    texts = [search.index_text(n) for n in publication.notices]
    count = 0
    for text in texts:
        if any(all(run in text for _, run in tokens.query_runs(form)) for form in forms):
            count += 1
    return count


def _memory_kb(pid: int) -> tuple[int, int]:
    """(private, resident) kB of a process, from /proc/PID/smaps_rollup."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return fields["Private_Clean"] + fields["Private_Dirty"], fields["Rss"]


def _build(notices: Path, site: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--notices", str(notices), "build", "--site-dir", str(site)],
        capture_output=True, text=True,
    )
    if result.returncode:
        sys.exit(result.stderr)
    return time.perf_counter() - start


def measure(n: int, work: Path, notices: Path | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    notices = notices or make_corpus(work / f"c{n}", n)
    site = work / f"site{n}"
    build_seconds = _build(notices, site)
    publication = publish(load_corpus(notices, root=notices.parent), None)
    n = len(publication.notices)
    sample = next(x for x in publication.notices if x.full_text and x.doc_number)
    number = sample.doc_number
    fill = {"number": str(number), "number_variant": f"{number.prefix}{number.year}年{number.serial}号"}
    queries = [q.format(**fill) for q in QUERIES]
    index_bytes = sum(p.stat().st_size for p in (site / "search-index").rglob("*") if p.is_file())
    index_files = sum(1 for p in (site / "search-index").rglob("*") if p.is_file())

    times, opened, reads, rss, private, heap, hits, counts = [], [], [], [], [], [], {}, {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        cdp_browser = browser.new_browser_cdp_session()
        for _ in range(REPEAT):
            for q in queries:
                context = browser.new_context()
                page = context.new_page()
                page.goto((site / "search.html").as_uri())
                page.wait_for_load_state("load")
                requested: list[str] = []
                page.on("request", lambda r, seen=requested: seen.append(r.url))
                times.append(page.evaluate(TYPE_AND_WAIT, q))
                page.wait_for_timeout(50)
                read = sum(
                    Path(unquote(urlparse(u).path)).stat().st_size
                    for u in set(requested) if u.startswith("file://") and "search-index" in u
                )
                reads.append(read)
                hits[q] = page.locator("#search-results a").count()
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                heap.append(metrics.get("JSHeapUsedSize", 0))
                info = cdp_browser.send("SystemInfo.getProcessInfo")
                renderers = [pr["id"] for pr in info["processInfo"] if pr["type"] == "renderer"]
                mem = [_memory_kb(pid) for pid in renderers]
                private.append(max((m[0] for m in mem), default=0) * 1024)
                rss.append(max((m[1] for m in mem), default=0) * 1024)
                counts[q] = page.evaluate(COUNT, q)
                context.close()
                # The same query from a shared link: navigation start to first result.
                context = browser.new_context()
                context.add_init_script(FIRST_ON_SCREEN)
                page = context.new_page()
                page.goto((site / "search.html").as_uri() + "?q=" + quote(q))
                page.wait_for_function("() => window.__firstOnScreen", timeout=30_000)
                opened.append(page.evaluate("() => window.__firstOnScreen"))
                context.close()
        browser.close()
    true_counts = {q: _true_count(publication, q) for q in queries}
    # A partial or one-character-off answer says so on the page; only full answers are counted.
    checked = [q for q in queries if true_counts[q] is not None and counts[q] is not None]
    wrong = {q: (counts[q], true_counts[q]) for q in checked if counts[q] != true_counts[q]}

    def q95(values):
        return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]

    return {
        "n": n, "build_s": build_seconds, "index_mb": index_bytes / 1e6, "index_files": index_files,
        "median_ms": statistics.median(times), "p95_ms": q95(times),
        "open_median_ms": statistics.median(opened), "open_p95_ms": q95(opened),
        "counts_checked": len(checked), "counts_wrong": wrong,
        "read_median_kb": statistics.median(reads) / 1e3, "read_max_kb": max(reads) / 1e3,
        "rss_max_mb": max(rss) / 1e6, "private_max_mb": max(private) / 1e6, "heap_max_mb": max(heap) / 1e6, "hits": hits,
    }


def main() -> None:
    args = sys.argv[1:]
    given = None
    if args[:1] == ["--notices"]:
        given, args = Path(args[1]).resolve(), args[2:]
    sizes = [int(a) for a in args] or ([0] if given else [1000, 10000])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows.append(measure(n, Path(tmp), given))
            print(f"measured {rows[-1]['n']}: {rows[-1]}", file=sys.stderr)
    print("| notices | from typing: median | p95 | from a link: median | p95 | read per query median | max | "
          "renderer private max | JS heap max | true counts | index size | index files | build |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']} | {r['median_ms']:.0f} ms | {r['p95_ms']:.0f} ms | {r['open_median_ms']:.0f} ms | "
              f"{r['open_p95_ms']:.0f} ms | {r['read_median_kb']:.0f} kB | {r['read_max_kb']:.0f} kB | "
              f"{r['private_max_mb']:.0f} MB | {r['heap_max_mb']:.1f} MB | "
              f"{r['counts_checked'] - len(r['counts_wrong'])} of {r['counts_checked']} | "
              f"{r['index_mb']:.1f} MB | {r['index_files']} | {r['build_s']:.0f} s |")
        for q, (said, true) in r["counts_wrong"].items():
            print(f"  count of {q}: engine {said}, true {true}")


if __name__ == "__main__":
    main()
