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
* total size of the index on disk, and how long the build took.

Targets (issue 3, at 10,000 notices): first result <= 0.3 s, <= 1 MB read
per query, <= 150 MB renderer memory.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_corpus  # noqa: E402

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


def measure(n: int, work: Path) -> dict:
    from playwright.sync_api import sync_playwright

    notices = make_corpus(work / f"c{n}", n)
    site = work / f"site{n}"
    build_seconds = _build(notices, site)
    publication = publish(load_corpus(notices, root=work), None)
    sample = next(x for x in publication.notices if x.full_text and x.doc_number)
    number = sample.doc_number
    fill = {"number": str(number), "number_variant": f"{number.prefix}{number.year}年{number.serial}号"}
    queries = [q.format(**fill) for q in QUERIES]
    index_bytes = sum(p.stat().st_size for p in (site / "search-index").rglob("*") if p.is_file())
    index_files = sum(1 for p in (site / "search-index").rglob("*") if p.is_file())

    times, reads, rss, private, heap, hits = [], [], [], [], [], {}
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
                context.close()
        browser.close()

    def q95(values):
        return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]

    return {
        "n": n, "build_s": build_seconds, "index_mb": index_bytes / 1e6, "index_files": index_files,
        "median_ms": statistics.median(times), "p95_ms": q95(times),
        "read_median_kb": statistics.median(reads) / 1e3, "read_max_kb": max(reads) / 1e3,
        "rss_max_mb": max(rss) / 1e6, "private_max_mb": max(private) / 1e6, "heap_max_mb": max(heap) / 1e6, "hits": hits,
    }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows.append(measure(n, Path(tmp)))
            print(f"measured {n}: {rows[-1]}", file=sys.stderr)
    print("| notices | first result median | p95 | read per query median | max | renderer private max | renderer RSS max | JS heap max | index size | index files | build |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']} | {r['median_ms']:.0f} ms | {r['p95_ms']:.0f} ms | {r['read_median_kb']:.0f} kB | "
              f"{r['read_max_kb']:.0f} kB | {r['private_max_mb']:.0f} MB | {r['rss_max_mb']:.0f} MB | {r['heap_max_mb']:.1f} MB | "
              f"{r['index_mb']:.1f} MB | {r['index_files']} | {r['build_s']:.0f} s |")


if __name__ == "__main__":
    main()
