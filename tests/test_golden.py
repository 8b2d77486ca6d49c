"""The sample site matches the committed golden site, file by file (see tests/golden.py)."""

from __future__ import annotations

import difflib

from golden import GOLDEN, build, read_golden, snapshot


def test_the_sample_site_is_the_golden_site(tmp_path):
    built = snapshot(build(tmp_path))
    golden = read_golden()
    assert golden, f"{GOLDEN} is empty; run `make golden`"
    problems = []
    for rel in sorted(set(built) | set(golden)):
        if rel not in golden:
            problems.append(f"new file: {rel}")
        elif rel not in built:
            problems.append(f"no longer built: {rel}")
        elif built[rel] != golden[rel]:
            diff = difflib.unified_diff(
                golden[rel].decode(errors="replace").splitlines(), built[rel].decode(errors="replace").splitlines(),
                f"golden/{rel}", f"built/{rel}", lineterm="", n=1,
            )
            problems.append("\n".join(list(diff)[:40]))
    assert not problems, "the site differs from tests/golden/basic (run `make golden` if the change is intended):\n" + "\n".join(problems)
