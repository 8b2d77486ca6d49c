#!/usr/bin/env python3
"""The golden sample site: tests/roots/basic built and committed, so review shows every change to the HTML.

    python tests/golden.py --update     rebuild tests/golden/basic/ from tests/roots/basic
    (make golden does the same)

The sample corpus is copied outside git and built with SOURCE_DATE_EPOCH=0,
so the golden site depends only on the code, the templates and the corpus,
never on the commit it is built at.  Theme files (Material's CSS and
JavaScript under assets/) and other binary files are recorded by their
SHA-256 in SHA256SUMS instead of being committed twice.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "roots" / "basic" / "notices"
GOLDEN = ROOT / "tests" / "golden" / "basic"
SUMS = "SHA256SUMS"
TEXT = (".html", ".js", ".json", ".css", ".xml", ".txt")


def is_text(rel: str) -> bool:
    return rel.endswith(TEXT) and not rel.startswith("assets/")


def build(work: Path) -> Path:
    """Build the sample corpus, outside git, into work/site; return it."""
    notices = work / "notices"
    shutil.copytree(SAMPLE, notices)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--notices", str(notices), "build", "--site-dir", str(work / "site")],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return work / "site"


def snapshot(site: Path) -> dict[str, bytes]:
    """What the golden folder holds: text files as they are, plus SHA256SUMS for the rest."""
    files, sums = {}, []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if is_text(rel):
            files[rel] = path.read_bytes()
        else:
            sums.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {rel}\n")
    files[SUMS] = "".join(sums).encode()
    return files


def read_golden() -> dict[str, bytes]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}


def update() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = snapshot(build(Path(tmp)))
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, data in files.items():
        (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / rel).write_bytes(data)
    print(f"{GOLDEN.relative_to(ROOT)}: {len(files)} files written")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    update()
