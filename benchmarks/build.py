"""Build time, CPU, memory and size: ours against stock MkDocs + Material.

    .venv/bin/python benchmarks/build.py [N ...] [--repeat K] [--ours-only | --stock-only]
                                          [--keep DIR] [--seed S] [--no-bundled]

For each N (default 1000) it makes a synthetic git repository of N notices
(benchmarks/synthetic.py: make_repository, shaped like the bundled notices,
published month by month, then a commit correcting a tenth of them), and
builds it, alternating, K times each (reported: medians):

* ours:  `build.py --notices <repo>/notices build --site-dir …`, run in the
  synthetic repository, so the history shown is that repository's; with
  SOURCE_DATE_EPOCH set to its last commit, as a reproducible build has it;
* stock: plain `mkdocs build` with Material and its built-in search plugin
  (lang: zh, so it segments with jieba) on the same Markdown files, copied
  with their front-matter and attachments into a docs folder, plus one index
  page per year listing the notices (nav: the home page only).  Stock knows
  no disclosure rule: it publishes every file it is given.

Each build is a cold one (site folder removed, and anything untracked in the
synthetic repository, where a cache could live).  Then one notice's text is
changed (a paragraph added, not committed) and the same build is run again:
"rebuild after one change" (ours may gain a cache; stock has none, so it is
a full build).  The file is put back afterwards, and ours builds once more:
"then the next" (a second change, as staff make one after another; the first
rebuild follows a cold build, whose writing has pushed the notices and the
cache out of the page cache).

Measured for each build, as one process tree: wall time; CPU time, user +
system of the build and every process it waited for (os.wait4); peak
resident memory, the tree's summed RSS sampled every 50 ms from /proc (the
build may use worker processes; shared pages count once per process), or the
largest single process if that is more; and its summed PSS, where a page that
forked processes share counts once: what the tree really holds; the size of the site (every file,
site.zip included for ours) and bytes per notice.

The bundled notices (a clone of this repository, so with their history) are
measured the same way first, unless --no-bundled.  Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_repository, shape  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
CHANGE = "\n\n（本段为基准测试所加：修改一件文件后再次构建。）\n"

STOCK_CONFIG = """\
site_name: 三亚市政府文件库
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-]'
nav:
  - 首页: index.md
markdown_extensions:
  - tables
  - toc:
      permalink: false
validation:
  nav:
    omitted_files: ignore
    not_found: warn
    absolute_links: ignore
  links:
    not_found: warn
    anchors: ignore
    absolute_links: ignore
    unrecognized_links: ignore
"""


@dataclass
class Run:
    wall: float
    cpu: float
    rss: int          # bytes: the tree's summed RSS (a page shared by forked processes counts in each)
    site: int = 0     # bytes
    pss: int = 0      # bytes: the tree's summed PSS (a shared page counts once)


# --- running one build as a measured process tree ----------------------------------


def _tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return pids


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def _pss(pids: list[int]) -> int:
    """The tree's proportional set size: a page shared by forked processes counts once."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            pass
    return total


def measure(cmd: list[str], cwd: Path, env: dict, log: Path) -> Run:
    """Run cmd; its wall time, CPU time and peak RSS (and PSS) as a process tree."""
    peak = peak_pss = 0
    done = threading.Event()
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)

        def sample() -> None:
            # PSS (smaps_rollup) walks each process's page tables under its
            # memory lock: read every 2 s only, or it slows what it measures.
            nonlocal peak, peak_pss
            ticks = 0
            while not done.is_set():
                tree = _tree(proc.pid)
                peak = max(peak, _rss(tree))
                if ticks % 40 == 0:
                    peak_pss = max(peak_pss, _pss(tree))
                ticks += 1
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        sys.exit(f"{' '.join(map(str, cmd))} failed (exit {proc.returncode}); the end of its output:\n{tail}")
    run = Run(wall, usage.ru_utime + usage.ru_stime, max(peak, usage.ru_maxrss * 1024))
    run.pss = peak_pss
    return run


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# --- the two builds --------------------------------------------------------------------


def _head_time(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%ct"],
                          capture_output=True, text=True, check=True).stdout.strip()


class Ours:
    name = "ours"

    def __init__(self, repo: Path, notices: Path, work: Path):
        self.repo, self.notices, self.site = repo, notices, work / "site"
        self.logs = work
        # The build's cache (gazette/cache.py) lives here, so a cold build starts without it.
        self.cache = work / "cache"
        self.env = {**os.environ, "SOURCE_DATE_EPOCH": _head_time(repo), "GAZETTE_CACHE": str(self.cache)}
        self.cmd = [sys.executable, str(ROOT / "build.py"), "--notices", str(notices), "build",
                    "--site-dir", str(self.site)]

    def cold(self) -> None:
        shutil.rmtree(self.site, ignore_errors=True)
        shutil.rmtree(self.cache, ignore_errors=True)
        # Anything a build may have left in the repository.
        subprocess.run(["git", "-C", str(self.repo), "clean", "-fdxq"], check=True)

    def build(self, label: str) -> Run:
        run = measure(self.cmd, self.repo, self.env, self.logs / f"{label}.log")
        run.site = _size(self.site)
        return run

    def changed_file(self, rel: str) -> Path:
        return self.notices / rel


class Stock:
    name = "stock"

    def __init__(self, repo: Path, notices: Path, work: Path):
        self.work, self.site = work, work / "site"
        docs = work / "docs"
        shutil.rmtree(docs, ignore_errors=True)
        shutil.copytree(notices, docs, ignore=shutil.ignore_patterns(".*"))
        years = sorted(p.name for p in docs.iterdir() if p.is_dir())
        (docs / "index.md").write_text(
            "# 三亚市政府文件库\n\n" + "".join(f"- [{y}年]({y}/index.md)\n" for y in years), encoding="utf-8")
        for y in years:
            lines = [f"# {y}年", ""]
            for path in sorted((docs / y).glob("*.md")):
                if path.name == "index.md":
                    continue
                title = next((ln[6:].strip().strip('"') for ln in path.read_text(encoding="utf-8").splitlines()
                              if ln.startswith("title:")), path.stem)
                title = title.replace("[", "\\[").replace("]", "\\]")
                lines.append(f"- [{title}]({path.name})")
            (docs / y / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (work / "mkdocs.yml").write_text(STOCK_CONFIG, encoding="utf-8")
        self.docs = docs
        # The build's cache (gazette/cache.py) lives here, so a cold build starts without it.
        self.cache = work / "cache"
        self.env = {**os.environ, "SOURCE_DATE_EPOCH": _head_time(repo), "GAZETTE_CACHE": str(self.cache)}   # sitemap dates, as for ours
        self.cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml")]

    def cold(self) -> None:
        shutil.rmtree(self.site, ignore_errors=True)

    def build(self, label: str) -> Run:
        run = measure(self.cmd, self.work, self.env, self.work / f"{label}.log")
        run.site = _size(self.site)
        return run

    def changed_file(self, rel: str) -> Path:
        return self.docs / rel


def _notice_to_change(notices: Path) -> str:
    """A 主动公开 notice in the middle of the corpus (relative to notices/)."""
    files = sorted(notices.glob("*/*.md"))
    public = [p for p in files if "\ndisclosure: 主动公开\n" in p.read_text(encoding="utf-8")]
    return public[len(public) // 2].relative_to(notices).as_posix()


def compare(label: str, repo: Path, notices: Path, work: Path, args) -> dict:
    count = len(list(notices.glob("*/*.md")))
    tools = []
    if not args.stock_only:
        tools.append(Ours(repo, notices, work / "ours"))
        (work / "ours").mkdir(parents=True, exist_ok=True)
    if not args.ours_only:
        (work / "stock").mkdir(parents=True, exist_ok=True)
        tools.append(Stock(repo, notices, work / "stock"))
    rel = _notice_to_change(notices)
    runs: dict[str, dict[str, list[Run]]] = {t.name: {"cold": [], "rebuild": [], "next": []} for t in tools}
    for r in range(args.repeat):
        for tool in (tools if r % 2 == 0 else tools[::-1]):     # ours, stock, stock, ours, …
            tool.cold()
            runs[tool.name]["cold"].append(tool.build(f"cold-{r}"))
            path = tool.changed_file(rel)
            original = path.read_bytes()
            path.write_bytes(original.rstrip(b"\n") + CHANGE.encode())
            try:
                runs[tool.name]["rebuild"].append(tool.build(f"rebuild-{r}"))
            finally:
                path.write_bytes(original)
            if tool.name == "ours":         # stock's would be another full build
                runs[tool.name]["next"].append(tool.build(f"next-{r}"))
            print(f"  {label} {tool.name} #{r + 1}: cold {runs[tool.name]['cold'][-1].wall:.1f} s, "
                  f"rebuild {runs[tool.name]['rebuild'][-1].wall:.1f} s"
                  + (f", then the next {runs[tool.name]['next'][-1].wall:.1f} s" if runs[tool.name]["next"] else ""),
                  file=sys.stderr, flush=True)
    result = {"label": label, "count": count}
    for name, kinds in runs.items():
        cold = kinds["cold"]
        result[name] = {
            "wall": statistics.median(r.wall for r in cold), "cpu": statistics.median(r.cpu for r in cold),
            "rss": statistics.median(r.rss for r in cold), "pss": statistics.median(r.pss for r in cold), "site": statistics.median(r.site for r in cold),
            "rebuild": statistics.median(r.wall for r in kinds["rebuild"]),
            "next": statistics.median(r.wall for r in kinds["next"]) if kinds["next"] else None,
        }
    ours_site = work / "ours" / "site"
    if ours_site.is_dir():
        result["pages"] = sum(1 for _ in ours_site.rglob("*.html"))
        zipped = ours_site / "site.zip"
        result["zip"] = zipped.stat().st_size if zipped.exists() else 0
        result["index"] = _size(ours_site / "search-index") if (ours_site / "search-index").is_dir() else 0
    stock_site = work / "stock" / "site"
    if stock_site.is_dir():
        result["stock pages"] = sum(1 for _ in stock_site.rglob("*.html"))
        index = stock_site / "search" / "search_index.json"
        result["stock index"] = index.stat().st_size if index.exists() else 0
    return result


def _check(notices: Path, cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--notices", str(notices), "check"],
                            cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"build.py check found problems in {notices}:\n{result.stdout}{result.stderr[-3000:]}")
    return time.perf_counter() - start


# --- the tables --------------------------------------------------------------------------


def _mb(b: float) -> str:
    return f"{b / 1e6:.0f} MB" if b >= 1e7 else f"{b / 1e6:.1f} MB"


def _s(x: float) -> str:
    return f"{x:.1f} s" if x < 100 else f"{x:.0f} s"


def print_tables(results: list[dict], corpora: list[dict]) -> None:
    print("| notices | ours wall / CPU | stock wall / CPU | wall ratio | CPU ratio | ours peak RSS / PSS | stock peak RSS / PSS "
          "| ours site / per notice | stock site / per notice | ours rebuild after one change, then the next "
          "| stock rebuild |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        o, s = r.get("ours"), r.get("stock")
        dash = "—"
        cells = [f"{r['label']}"]
        cells.append(f"{_s(o['wall'])} / {_s(o['cpu'])}" if o else dash)
        cells.append(f"{_s(s['wall'])} / {_s(s['cpu'])}" if s else dash)
        cells.append(f"{o['wall'] / s['wall']:.2f}" if o and s else dash)
        cells.append(f"{o['cpu'] / s['cpu']:.2f}" if o and s else dash)
        cells.append(f"{_mb(o['rss'])} / {_mb(o['pss'])}" if o else dash)
        cells.append(f"{_mb(s['rss'])} / {_mb(s['pss'])}" if s else dash)
        cells.append(f"{_mb(o['site'])} / {o['site'] / r['count'] / 1e3:.0f} kB" if o else dash)
        cells.append(f"{_mb(s['site'])} / {s['site'] / r['count'] / 1e3:.0f} kB" if s else dash)
        cells.append(f"{_s(o['rebuild'])}, {_s(o['next'])}" if o else dash)
        cells.append(_s(s["rebuild"]) if s else dash)
        print("| " + " | ".join(cells) + " |")
    print()
    print("| corpus | notices | commits | check | text mean / median / max | attachments | tables | city gov. / office "
          "| ours pages / search index / site.zip | stock pages / search_index.json |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r, c in zip(results, corpora):
        ours = (f"{r['pages']} / {_mb(r['index'])} / {_mb(r['zip'])}" if "pages" in r else "—")
        stock = (f"{r['stock pages']} / {_mb(r['stock index'])}" if "stock pages" in r else "—")
        print(f"| {r['label']} | {c['notices']} | {c['commits']} | {_s(c['check'])} | {c['text mean']} / "
              f"{c['text median']} / {c['text max']} | {c['attachments %']:.0f} % | {c['tables %']:.0f} % | "
              f"{c['city government %']:.0f} % / {c['its office %']:.0f} % | {ours} | {stock} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="corpus sizes (default: 1000)")
    parser.add_argument("--repeat", type=int, default=1, help="cold builds of each, alternating (medians reported)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--ours-only", action="store_true")
    which.add_argument("--stock-only", action="store_true")
    parser.add_argument("--keep", metavar="DIR", help="make the repositories and sites in DIR and keep them")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled notices")
    args = parser.parse_args()
    sizes = args.sizes or [1000]

    with tempfile.TemporaryDirectory(prefix="gazette-bench-") as tmp:
        base = Path(args.keep).resolve() if args.keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        results, corpora = [], []
        jobs = [] if args.no_bundled else [("bundled", None)]
        jobs += [(str(n), n) for n in sizes]
        for label, n in jobs:
            work = base / (f"synthetic-{n}" if n else "bundled")
            repo = work / "repo"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            start = time.perf_counter()
            if n is None:
                # A clone: the bundled notices with their history, changed without touching this checkout.
                subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
                notices = repo / "notices"
            else:
                notices = make_repository(repo, n, args.seed)
            commits = int(subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD", "--", "notices"],
                                         capture_output=True, text=True, check=True).stdout)
            print(f"{label}: corpus ready in {time.perf_counter() - start:.1f} s ({repo})", file=sys.stderr, flush=True)
            corpus = {**shape(notices), "commits": commits, "check": _check(notices, repo)}
            corpora.append(corpus)
            results.append(compare(label if n else f"bundled ({corpus['notices']})", repo, notices, work, args))
        print_tables(results, corpora)
        if args.keep:
            print(f"\nkept in {base}", file=sys.stderr)


if __name__ == "__main__":
    main()
