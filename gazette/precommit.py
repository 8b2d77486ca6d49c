"""Checked at commit time: the notices as they are staged, and the hook that asks for it.

A commit records what the index holds, not the working tree, so the staged
notices are what must pass: `staged_notices` copies notices/ out of the
index into a temporary folder, where `build.py precommit` checks it like any
corpus.  `install` writes .git/hooks/pre-commit (wherever core.hooksPath
puts it) to run that command; it never replaces a hook it did not write.
Teams that use the pre-commit framework get the same check from
.pre-commit-config.yaml.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

MARK = "# gazette pre-commit hook (installed by: build.py install-hook)"


class HookError(Exception):
    """A sentence for the clerk: why the hook cannot be installed or run."""


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise HookError("git is not installed") from None
    if done.returncode != 0:
        raise HookError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def repo_root(start: Path) -> Path:
    try:
        return Path(_git(start, "rev-parse", "--show-toplevel").decode().strip())
    except HookError:
        raise HookError(f"{start} is not in a git repository") from None


def staged_changes(repo: Path, folder: str) -> list[str]:
    """Paths under folder that the next commit adds, changes or deletes."""
    out = _git(repo, "diff", "--cached", "--name-only", "-z", "--no-renames", "--", folder)
    return [p for p in out.decode("utf-8").split("\0") if p]


def export_staged(repo: Path, folder: str, dest: Path) -> Path:
    """Copy folder as the index holds it into dest; return dest/folder."""
    listed = _git(repo, "ls-files", "-z", "--cached", "--", folder)
    if listed:
        _git(repo, "checkout-index", f"--prefix={dest.as_posix()}/", "-z", "--stdin", data=listed)
    (dest / folder).mkdir(parents=True, exist_ok=True)
    return dest / folder


def hook_path(repo: Path) -> Path:
    where = _git(repo, "rev-parse", "--git-path", "hooks/pre-commit").decode().strip()
    path = Path(where)
    return path if path.is_absolute() else repo / path


def script(args: list[str]) -> str:
    extra = "".join(" " + shlex.quote(a) for a in args)
    return f"""#!/bin/sh
{MARK}
# Checks the staged notices before each commit; a problem stops the commit.
# To commit anyway (not advised): git commit --no-verify
cd "$(git rev-parse --show-toplevel)" || exit 1
PYTHON=.venv/bin/python
[ -x "$PYTHON" ] || PYTHON=python3
exec "$PYTHON" build.py precommit{extra}
"""


def install(repo: Path, args: list[str]) -> tuple[Path, bool]:
    """Write the hook; (its path, whether one of ours was there before)."""
    path = hook_path(repo)
    ours = False
    if path.exists():
        current = path.read_text(encoding="utf-8", errors="replace")
        if MARK not in current:
            raise HookError(f"{path} already exists and was not installed by build.py; "
                            "add the line `.venv/bin/python build.py precommit` to it yourself")
        ours = True
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script(args), encoding="utf-8")
    path.chmod(0o755)
    return path, ours
