"""How long reading the revision history takes.

    .venv/bin/python benchmarks/history.py [N]       (default: 1000)

Measures, for this repository's bundled notices and for a synthetic
repository of N notices with 3 revisions each (every notice added in its own
commit, with its attachments, then corrected twice: a field, then a few
characters of its text, 3N commits in all, written with `git fast-import`):

* the one `git log` pass (read_history),
* the revisions of every notice with their diffs (notice_revisions),
* a full build of the synthetic site, history included.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_corpus  # noqa: E402

from gazette.corpus import load_corpus  # noqa: E402
from gazette.history import read_history  # noqa: E402
from gazette.public import publish  # noqa: E402


def _blob(data: bytes) -> bytes:
    return b"data %d\n" % len(data) + data + b"\n"


def make_repo(where: Path, count: int, seed: int = 7) -> Path:
    """A git repository whose notices each have three revisions."""
    make_corpus(where, count)
    rng = random.Random(seed)
    files = sorted((where / "notices").glob("*/*.md"))
    stream = []
    when = 1_600_000_000

    def commit(path: Path, content: bytes, message: str, extra: tuple[Path, ...] = ()) -> None:
        nonlocal when
        when += 60
        rel = path.relative_to(where).as_posix().encode()
        msg = message.encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(b"committer Clerk <clerk@example.org> %d +0800\n" % when)
        stream.append(b"data %d\n%s\n" % (len(msg), msg))
        stream.append(b"M 100644 inline " + rel + b"\n" + _blob(content))
        for other in extra:      # the notice's attachments, with its first version
            stream.append(b"M 100644 inline " + other.relative_to(where).as_posix().encode() + b"\n"
                          + _blob(other.read_bytes()))
        # fast-import continues a branch from its tip: no "from" needed.

    versions = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        versions[path] = text
        folder = path.with_suffix("")
        attachments = tuple(sorted(p for p in folder.rglob("*") if p.is_file())) if folder.is_dir() else ()
        commit(path, text.encode(), f"新增 {path.name}", attachments)
    for path in files:
        if "\npublished: " in versions[path]:    # the synthetic notice has one already: drop it instead
            text = re.sub(r"\npublished: [0-9-]+", "", versions[path], count=1)
        else:
            text = versions[path].replace("disclosure:", f"published: {versions[path].split('date: ')[1][:10]}\ndisclosure:", 1)
        versions[path] = text
        commit(path, text.encode(), f"补充发布日期 {path.name}")
    for path in files:
        body_start = versions[path].index("---\n", 4) + 4
        cut = rng.randrange(body_start, len(versions[path]) - 2)
        text = versions[path][:cut] + "（更正）" + versions[path][cut:]
        commit(path, text.encode(), f"更正文字 {path.name}")
        path.write_text(text, encoding="utf-8")

    subprocess.run(["git", "init", "-q", "-b", "main", str(where)], check=True)
    subprocess.run(["git", "-C", str(where), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(where), "reset", "-q", "--hard", "main"], check=True)
    return where / "notices"


def measure(label: str, notices: Path, root: Path) -> tuple[int, int, float, float]:
    corpus = load_corpus(notices, root=root)
    start = time.perf_counter()
    history = read_history(notices)
    read = time.perf_counter() - start
    assert history is not None, "no history"
    start = time.perf_counter()
    publication = publish(corpus, history)
    diffs = time.perf_counter() - start
    history.close()
    count = sum(len(n.revisions or ()) for n in publication.notices)
    print(f"| {label} | {len(corpus.notices)} | {len(history.commits)} | {count} | {read:.2f} s | {diffs:.2f} s |")
    return len(corpus.notices), count, read, diffs


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print("| corpus | notices | commits read | revisions shown | git log pass | revisions and diffs |")
    print("|---|---|---|---|---|---|")
    measure("bundled", ROOT / "notices", ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        notices = make_repo(repo, n)
        measure("synthetic, 3 revisions each", notices, repo)
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--notices", str(notices), "build", "--site-dir", str(Path(tmp) / "site")],
            capture_output=True, text=True,
        )
        if result.returncode:
            sys.exit(result.stderr)
        print(f"\nfull build of the synthetic site, history included: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
