"""Every revision of every notice, read from git in one pass.

One `git log` over notices/ (first-parent, so a merge counts as one change to
the published record) gives every commit and, per commit, the blob ids of the
files it changed.  Walking it oldest first follows renames and carries each
file's blob forward, so the content of a notice and its attachments at any
revision is known without running git once per notice.  Contents are read
through one `git cat-file --batch` process.

Without git, outside a repository, or in a shallow clone there is no history
to trust; read_history() then returns None and the pages say so.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Commit:
    index: int                # 0 for the oldest commit read
    sha: str
    short: str
    date: dt.datetime         # author date, in the author's own offset
    author: str
    subject: str


@dataclass
class _Lineage:
    """One file across renames: (commit index, blob after it, path then)."""

    states: list[tuple[int, str | None, str]] = field(default_factory=list)

    def blob_at(self, index: int) -> tuple[str | None, str | None]:
        pos = bisect_right([s[0] for s in self.states], index) - 1
        if pos < 0:
            return None, None
        return self.states[pos][1], self.states[pos][2]


class History:
    def __init__(self, repo: Path, commits: list[Commit], lineages: dict[str, _Lineage], head: str):
        self.repo = repo
        self.commits = commits
        self.head = head
        self._lineages = lineages          # current path (relative to repo) -> lineage
        self._cat: subprocess.Popen | None = None
        self._cat_of = 0                   # the process that started it: a forked one starts its own

    def revisions(self, paths: list[str]) -> list[Commit]:
        """Commits that changed any of these files (repo-relative), oldest first."""
        indexes = set()
        for path in paths:
            lineage = self._lineages.get(path)
            if lineage:
                indexes.update(i for i, _, _ in lineage.states)
        return [self.commits[i] for i in sorted(indexes)]

    def state(self, path: str, commit: Commit) -> tuple[str | None, str | None]:
        """(blob, path then) of the file now at path, after the commit; renames followed."""
        lineage = self._lineages.get(path)
        return lineage.blob_at(commit.index) if lineage else (None, None)

    def blob(self, path: str, commit: Commit) -> str | None:
        lineage = self._lineages.get(path)
        return lineage.blob_at(commit.index)[0] if lineage else None

    def read(self, blob: str | None) -> bytes | None:
        if blob is None:
            return None
        if self._cat is None or self._cat_of != os.getpid():
            self._cat_of = os.getpid()
            self._cat = subprocess.Popen(
                ["git", "-C", str(self.repo), "cat-file", "--batch"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            )
        assert self._cat.stdin and self._cat.stdout
        self._cat.stdin.write(blob.encode() + b"\n")
        self._cat.stdin.flush()
        header = self._cat.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            return None
        data = self._cat.stdout.read(int(header[2]))
        self._cat.stdout.read(1)   # the newline after the content
        return data

    def text(self, path: str, commit: Commit) -> str | None:
        data = self.read(self.blob(path, commit))
        return data.decode("utf-8", errors="replace") if data is not None else None

    def close(self) -> None:
        if self._cat:
            self._cat.stdin.close()
            self._cat.wait()
            self._cat = None


def _git(repo: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", errors="replace")


def repo_root(folder: Path) -> Path | None:
    top = _git(folder, "rev-parse", "--show-toplevel")
    return Path(top.strip()) if top else None


def head_commit(folder: Path) -> str | None:
    sha = _git(folder, "rev-parse", "--verify", "-q", "HEAD")
    return sha.strip() if sha else None


def head_time(folder: Path) -> int | None:
    out = _git(folder, "log", "-1", "--format=%ct")
    return int(out.strip()) if out and out.strip().isdigit() else None


def uncommitted(folder: Path) -> set[str] | None:
    """The files under the folder that are not as the last commit has them
    (changed, added, removed, renamed either way, not tracked), by path from
    the repository's top; None: not in git.  Any other file is the commit's
    (git's own look at the working tree, without a file system monitor),
    but for files git was told not to look at (assume-unchanged,
    skip-worktree), which count as changed."""
    out = _git(folder, "-c", "core.quotepath=off", "-c", "core.fsmonitor=false",
               "status", "--porcelain", "-z", "--", ".")
    told = _git(folder, "-c", "core.quotepath=off", "ls-files", "-v", "-z", "--full-name", "--", ".")
    if out is None or told is None:
        return None
    found, entries = set(), iter(out.split("\x00"))
    for entry in entries:
        if len(entry) > 3:
            found.add(entry[3:])
            if "R" in entry[:2] or "C" in entry[:2]:     # a rename or copy, either side: its source follows
                found.add(next(entries, ""))
    # ls-files -v: a lower-case tag is assume-unchanged, S is skip-worktree.
    found.update(entry[2:] for entry in told.split("\x00") if len(entry) > 2 and (entry[0].islower() or entry[0] == "S"))
    return found


def as_committed(repo: Path, commit: str) -> tuple[bool | None, dict[str, str] | None]:
    """After a build of this commit: (whether the whole repository is as the
    commit has it: None outside git; the blob id of each file that is, by
    path from the repository's top, or None).  A commit or checkout since
    the build began (HEAD is another commit) makes it not clean, with no
    file taken as the commit's: what git sees now says nothing of what the
    build read."""
    changed = uncommitted(repo)
    if changed is None:
        return None, None
    if head_commit(repo) != commit:
        return False, None
    blobs = tree_blobs(repo, commit)
    return not changed, None if blobs is None else {p: b for p, b in blobs.items() if p not in changed}


def tree_blobs(folder: Path, commit: str) -> dict[str, str] | None:
    """Repo-relative path -> blob id of every file in the commit, or None."""
    out = _git(folder, "-c", "core.quotepath=off", "ls-tree", "-r", "-z", "--full-tree", commit)
    if out is None:
        return None
    blobs = {}
    for entry in out.split("\x00"):
        if "\t" in entry:
            meta, path = entry.split("\t", 1)
            blobs[path] = meta.split()[2]
    return blobs


def read_history(notices_dir: Path) -> History | None:
    """The history of every file under notices_dir, or None if there is none to trust."""
    notices_dir = Path(notices_dir).resolve()
    repo = repo_root(notices_dir)
    if repo is None:
        return None
    if (_git(repo, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return None
    head = head_commit(repo)
    if head is None:
        return None
    scope = notices_dir.relative_to(repo.resolve()).as_posix() or "."
    base = ["-c", "core.quotepath=off", "log", "--first-parent", "-m", "--reverse", "-z"]
    # Authors and subjects can hold any character but NUL, so they are read
    # in a pass of their own, NUL-separated; the pass with the changed files
    # carries only commit ids as its record markers.
    meta = _git(repo, *base, "--format=%H%x00%aI%x00%an%x00%s", "--", scope)
    raw = _git(repo, *base, "--raw", "--no-abbrev", "-M", "--format=%x1e%H%x1f", "--", scope)
    if meta is None or raw is None:
        return None
    commits, lineages = _parse(meta, raw, repo)
    return History(repo, commits, lineages, head)


def _parse(meta: str, raw: str, repo: Path) -> tuple[list[Commit], dict[str, _Lineage]]:
    fields = meta.split("\x00")
    info = {}
    for i in range(0, len(fields) - 3, 4):
        sha = fields[i].strip("\n")
        info[sha] = (fields[i + 1], fields[i + 2], fields[i + 3])
    commits: list[Commit] = []
    live: dict[str, _Lineage] = {}        # path now -> lineage
    for record in raw.split("\x1e")[1:]:
        sha, _, changes = record.partition("\x1f")
        if sha not in info:        # not expected: both passes walk the same commits
            one = (_git(repo, "show", "-s", "-z", "--format=%aI%x00%an%x00%s", sha) or "").split("\x00")
            info[sha] = tuple((one + ["", "", ""])[:3])
        date, author, subject = info[sha]
        commit = Commit(len(commits), sha, sha[:10], dt.datetime.fromisoformat(date), author, subject)
        commits.append(commit)
        parts = changes.strip("\n\x00").split("\x00")
        i = 0
        while i < len(parts):
            head = parts[i].lstrip("\n")
            if not head.startswith(":"):
                i += 1
                continue
            cols = head[1:].split()
            new_blob, status = cols[3], cols[4]
            if status[0] in "RC":
                old_path, new_path = parts[i + 1], parts[i + 2]
                i += 3
                lineage = live.pop(old_path, None) if status[0] == "R" else None
                lineage = lineage or _Lineage()
                lineage.states.append((commit.index, new_blob, new_path))
                live[new_path] = lineage
                continue
            path = parts[i + 1]
            i += 2
            if status[0] == "D":
                lineage = live.pop(path, None)
                if lineage:
                    lineage.states.append((commit.index, None, path))
            else:
                lineage = live.setdefault(path, _Lineage())
                lineage.states.append((commit.index, new_blob, path))
    return commits, live
