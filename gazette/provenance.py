"""Proving which commit a built site came from.

manifest.json lists the hash of every file, so checking the files against it
shows they were not altered after the manifest was written.  It proves
nothing about where they came from: anyone who alters a page can rewrite the
manifest to match, name any commit in it, or write a one-page "site" with a
manifest of its own.

Builds are reproducible (dates come from the commit, see build.py), so the
proof is to build the manifest's commit again and compare: with the
repository at hand, prove() checks out that commit in a temporary worktree,
runs that commit's own build.py, and compares every file of the site under
test with the fresh build, byte for byte.  Without the repository it says
plainly that only the manifest could be checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .diff import terminal_safe
from .history import tree_blobs
from .manifest import verify as verify_manifest

# Environment a rebuild must not inherit: a date fixed by hand (the commit
# gives it) and git variables that would point git at another repository.
# GAZETTE_CACHE too: the commit is rebuilt with a cache of its own (in its
# worktree), so what verify proves rests on nothing a build before kept.
_NOT_INHERITED = ("SOURCE_DATE_EPOCH", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GAZETTE_CACHE")
_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass
class Verdict:
    ok: bool
    message: str                                         # the conclusion, one line
    problems: list[str] = field(default_factory=list)    # one line per file


class RebuildError(Exception):
    """The commit could not be checked out or built again."""


def _git(repo: Path, *args: str) -> str | None:
    """git's output, or None if git fails (this module's own: it runs git to
    check a site, it reads nothing for the site, see tests/test_architecture.py)."""
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.decode("utf-8", errors="replace") if result.returncode == 0 else None



def find_repo(*folders: Path) -> Path | None:
    """The top of the first git repository among these folders."""
    for folder in folders:
        top = _git(Path(folder), "rev-parse", "--show-toplevel")
        if top and top.strip():
            return Path(top.strip())
    return None


def commit_info(repo: Path, commit: str) -> tuple[str, str, str] | None:
    """(full id, committer date, subject) of a commit in repo, or None if it is not there."""
    if not _COMMIT_ID.fullmatch(commit):
        return None
    out = _git(repo, "log", "-1", "--date=format:%Y-%m-%d %H:%M %z", "--format=%H%x00%cd%x00%s",
               f"{commit}^{{commit}}", "--")
    if not out or out.count("\x00") < 2:
        return None
    sha, date, subject = out.rstrip("\n").split("\x00", 2)
    return (sha, date, subject) if sha == commit else None


def files_of(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def compare(site: Path, fresh: Path) -> list[str]:
    """Every file missing from the site, added to it or different, one line each."""
    ours, theirs = files_of(site), files_of(fresh)
    problems = []
    for rel in sorted(theirs.keys() | ours.keys()):
        if rel not in ours:
            problems.append(f"missing: {rel}")
        elif rel not in theirs:
            problems.append(f"added: {rel}")
        elif ours[rel].read_bytes() != theirs[rel].read_bytes():
            problems.append(f"different: {rel}")
    return problems


def _checked(args: list[str], what: str, **kwargs) -> None:
    try:
        result = subprocess.run(args, capture_output=True, text=True, errors="replace", **kwargs)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise RebuildError(f"{what}: {e}") from None
    if result.returncode != 0:
        tail = " / ".join(line for line in result.stderr.strip().splitlines()[-5:])
        raise RebuildError(f"{what} failed: {tail or f'exit status {result.returncode}'}")


@contextmanager
def fresh_build(repo: Path, commit: str, notices_dir: str, python: str = sys.executable) -> Iterator[Path]:
    """The site as `commit` builds it, in a temporary folder removed afterwards.

    The commit is checked out in a temporary detached worktree (removed and
    pruned afterwards, whatever happens) and built by its own build.py.
    notices_dir is the notices folder relative to the repository's top.
    """
    repo = Path(repo)
    tmp = Path(tempfile.mkdtemp(prefix="gazette-verify-"))
    worktree, site = tmp / "source", tmp / "site"
    attempted = False
    try:
        notices = (worktree / notices_dir).resolve()
        if Path(notices_dir).is_absolute() or not notices.is_relative_to(worktree.resolve()):
            raise RebuildError(f"the manifest's notices_dir {notices_dir!r} is not a folder inside the repository")
        attempted = True
        # No hooks: checking a commit out to audit it must not run the repository's scripts.
        _checked(["git", "-C", str(repo), "-c", "core.hooksPath=/dev/null", "worktree", "add", "--detach",
                  "--quiet", str(worktree), commit], f"checking out commit {commit}", timeout=600)
        env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
        _checked([python, str(worktree / "build.py"), "--notices", str(notices), "build", "--site-dir", str(site)],
                 f"building commit {commit}", cwd=worktree, env=env, timeout=3600)
        yield site
    finally:
        if attempted:
            _git(repo, "worktree", "remove", "--force", str(worktree))
        shutil.rmtree(tmp, ignore_errors=True)
        if attempted:
            _git(repo, "worktree", "prune")


def prove(site_dir: Path, repo: Path | None, rebuild: bool = True, python: str = sys.executable) -> Verdict:
    """Check a built site against its manifest, then, with the repository at
    hand, against a fresh build of the commit it names.

    Raises manifest.ManifestError when the manifest is missing or unreadable.
    """
    site_dir = Path(site_dir)
    name = str(site_dir)
    problems, manifest = verify_manifest(site_dir)
    if problems:
        return Verdict(False, f"{name} does not match its manifest: {len(problems)} problem(s).", problems)
    count = len(manifest["files"])
    matched = f"{name}: all {count} files match manifest.json"
    unproven = (f"{matched}. This shows the files were not altered after the manifest was written; "
                "it does not prove which commit they came from")
    if not rebuild:
        return Verdict(True, f"{unproven} (run verify without --no-rebuild, inside the repository, "
                             "to rebuild and compare).")
    if repo is None:
        return Verdict(True, f"{unproven} (run verify inside the repository to rebuild and compare).")

    commit = manifest.get("commit")
    if not commit:
        return Verdict(False, f"{matched}, but the manifest names no commit (it was built outside git), "
                              "so which sources it came from cannot be proven.")
    commit = terminal_safe(str(commit))
    info = commit_info(repo, commit)
    if info is None:
        return Verdict(False, f"{name}/manifest.json says the site was built from commit {commit}, "
                              f"which does not exist in the repository {repo} (if this is a shallow or "
                              "partial clone, fetch the full history and verify again).")
    sha, date, subject = info
    if manifest.get("source_clean") is False:
        return Verdict(False, f"{matched}, but it was built from uncommitted changes made on top of commit "
                              f"{sha[:10]} (manifest.json: source_clean false), so it cannot be proven to "
                              "come from any commit; build it again from a clean checkout.")
    tree = tree_blobs(repo, sha)
    problems, _ = verify_manifest(site_dir, tree)
    if problems:
        return Verdict(False, f"{name}: the manifest's sources are not those of commit {sha}: "
                              f"{len(problems)} problem(s).", problems)

    notices_dir = manifest.get("notices_dir") or "notices"
    try:
        with fresh_build(repo, sha, str(notices_dir), python) as fresh:
            problems = compare(site_dir, fresh)
            total = len(files_of(fresh))
    except RebuildError as e:
        return Verdict(False, f"{matched}, but commit {sha[:10]} could not be built again to compare: "
                              f"{terminal_safe(str(e))}")
    if problems:
        return Verdict(False, f"{name} is not what commit {sha} builds: {len(problems)} of its files are "
                              "missing, added or different compared with a fresh build of that commit "
                              "(listed above), although they match the manifest.", problems)
    return Verdict(True, f"{name} verified: its {count} files match manifest.json, and all {total} files, the "
                         f"manifest included, are byte-identical to a fresh build of commit {sha} "
                         f"({date}, {terminal_safe(subject)}).")
