"""From saving a notice to seeing it: `build.py serve` on a large corpus.

    .venv/bin/python benchmarks/preview.py [N] [--notices DIR] [--saves K]

Makes a synthetic git repository of N notices (default 10,000;
benchmarks/synthetic.py), or uses the notices folder given, starts
`build.py --notices … serve`, and waits for the first page.  Then, K times
(default 5), it adds a sentence to one notice's body and measures the time
until the server returns that notice's page with the sentence: what a clerk
waits for after pressing save.  Every file is put back at the end.
Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, server: subprocess.Popen, limit: float = 1800) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if server.poll() is not None:
            raise SystemExit("the server stopped (its messages are in the log named above)")
        page = _get(url)
        if page is not None and text in page:
            return time.monotonic() - start
        time.sleep(0.05)
    raise SystemExit(f"gave up waiting for {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--notices", help="use this notices folder (in a git repository) instead of making one")
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--keep-log", action="store_true", help="print the end of the server's messages")
    args = parser.parse_args()

    from gazette import paths
    from gazette.corpus import load_corpus
    from gazette.public import publish

    with tempfile.TemporaryDirectory(prefix="gazette-preview-") as tmp:
        if args.notices:
            notices = Path(args.notices).resolve()
        else:
            from synthetic import make_repository

            notices = make_repository(Path(tmp) / "repo", args.count)
        pub = publish(load_corpus(notices, root=notices.parent), None)
        print(f"{len(pub.notices)} public notices in {notices}")
        with socket.socket() as free:
            free.bind(("127.0.0.1", 0))
            port = free.getsockname()[1]
        base = f"http://127.0.0.1:{port}/"
        started = time.monotonic()
        log = Path(tmp) / "serve.log"
        print(f"the server's messages: {log}")
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--notices", str(notices), "serve",
                                   "--addr", f"127.0.0.1:{port}"], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=open(log, "w"), text=True)
        chosen = random.Random(7).sample([n for n in pub.notices if n.full_text and n.body], args.saves)
        saved: dict[Path, bytes] = {}
        try:
            first = _wait_for(base + paths.html_path(chosen[0].page), chosen[0].title, server)
            print(f"first build, until the first page is served: {time.monotonic() - started:.1f} s")
            del first
            times = []
            for i, n in enumerate(chosen):
                path = notices.parent / n.source
                saved.setdefault(path, path.read_bytes())
                mark = f"预览计时第{i + 1}次。"
                time.sleep(1.0)          # let the last build's index settle a little, as a clerk reads
                path.write_bytes(saved[path] + f"\n\n{mark}\n".encode())
                took = _wait_for(base + paths.html_path(n.page), mark, server)
                times.append(took)
                print(f"save {i + 1}: {n.source}: shown after {took:.1f} s")
            print(f"from save to page, {len(times)} saves: median {statistics.median(times):.1f} s, "
                  f"max {max(times):.1f} s")
        finally:
            for path, data in saved.items():
                path.write_bytes(data)
            server.send_signal(signal.SIGINT)        # Ctrl+C: the server removes its folders
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
            if "--keep-log" in sys.argv or server.returncode not in (0, 130):
                print(log.read_text(encoding="utf-8")[-4000:])


if __name__ == "__main__":
    main()
