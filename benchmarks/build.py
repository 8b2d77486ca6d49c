"""Build time and size: the bundled corpus and synthetic corpora.

    .venv/bin/python benchmarks/build.py [N ...]     (default: 1000)

Prints, for each corpus, the time of `build.py check` and of a full
`build.py build` (wall clock, fresh process, as staff run it), the number of
pages and the size of the site.  Figures, not pass/fail: run it before and
after a change that could make builds slower.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_corpus  # noqa: E402


def _timed(*args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build.py {' '.join(args)} failed:\n{result.stderr}")
    return elapsed


def measure(label: str, notices: Path, work: Path) -> None:
    count = len(list(notices.glob("*/*.md")))
    check = _timed("--notices", str(notices), "check")
    site = work / f"site-{label}"
    build = _timed("--notices", str(notices), "build", "--site-dir", str(site))
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    size = sum(p.stat().st_size for p in files)
    page_size = sum(p.stat().st_size for p in pages) / max(len(pages), 1)
    print(f"| {label} | {count} | {check:.1f} s | {build:.1f} s | {len(pages)} | {size / 1e6:.1f} MB | {page_size / 1e3:.0f} kB |")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("| corpus | notices | check | build | pages | site size | mean page |")
        print("|---|---|---|---|---|---|---|")
        measure("bundled", ROOT / "notices", work)
        for n in sizes:
            notices = make_corpus(work / f"synthetic-{n}", n)
            measure(f"synthetic {n}", notices, work)


if __name__ == "__main__":
    main()
