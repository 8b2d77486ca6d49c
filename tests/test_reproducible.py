"""The same commit builds to the same bytes, in another folder, at another time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, digests


def _clone_and_build(where: Path) -> Path:
    """A fresh clone of HEAD, built with its own build.py, as CI or an auditor would."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(where)], check=True)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([sys.executable, str(where / "build.py")], cwd=where, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return where / "site"



def test_two_builds_of_one_commit_are_identical_byte_for_byte(tmp_path):
    first = digests(_clone_and_build(tmp_path / "one" / "checkout"))
    time.sleep(1.5)   # a different second on the clock: any timestamp would show
    second = digests(_clone_and_build(tmp_path / "another-folder" / "clone"))
    assert len(first) > 60   # every page, index file and asset
    differing = sorted(k for k in first.keys() | second.keys() if first.get(k) != second.get(k))
    assert differing == []
