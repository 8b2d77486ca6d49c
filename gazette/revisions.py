"""A notice's revisions, newest first, each with what it changed.

Disclosure holds for history too: the body's changes are shown only between
versions that were both 主动公开 and only while the notice is 主动公开 now;
field changes only between versions that were both listed (not 不予公开).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Corpus
from .diff import (
    FieldChange,
    Segments,
    Version,
    changed,
    field_changes,
    parse_version,
    text_diff,
)
from .history import Commit, History, read_history
from .notice import Notice

ORIGINAL = "首次发布"


@dataclass
class Revision:
    commit: Commit
    kind: str                                   # 首次发布, 修改, 废止, 失效
    fields: list[FieldChange] = field(default_factory=list)
    body: list[Segments] | None = None          # None: not shown
    attachments: list[tuple[str, list[Segments]]] = field(default_factory=list)
    note: str | None = None                     # why a part is not shown

    @property
    def is_original(self) -> bool:
        return self.kind == ORIGINAL


def tracked_files(notice: Notice, repo: Path) -> tuple[str | None, list[tuple[str, str]]]:
    """The files whose history is the notice's, relative to the repository.

    (the notice's own path or None if it is outside the repository,
    [(title, path) of each attachment shown inside the page]).
    """
    def rel(path: Path) -> str | None:
        try:
            return path.resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            return None

    attachments = [(a.title, rel(a.source)) for a in notice.attachments if a.text is not None]
    return rel(notice.path), [(t, p) for t, p in attachments if p]


def notice_revisions(notice: Notice, history: History) -> list[Revision]:
    """Every commit that changed the notice or its attachments, newest first."""
    path, attachments = tracked_files(notice, history.repo)
    if path is None:
        return []
    commits = history.revisions([path] + [p for _, p in attachments])
    revisions: list[Revision] = []
    previous: Commit | None = None
    old: Version | None = None
    for commit in commits:
        new = parse_version(history.text(path, commit))
        if old is None:
            revisions.append(Revision(commit, ORIGINAL))
        else:
            revisions.append(_compare(notice, history, attachments, previous, commit, old, new))
        previous, old = commit, new
    return list(reversed(revisions))


def _compare(notice, history, attachments, before: Commit, after: Commit, old: Version, new: Version) -> Revision:
    validity = new.fields.get("validity")
    kind = validity if validity in ("废止", "失效") and old.fields.get("validity") != validity else "修改"
    rev = Revision(after, kind)
    if "不予公开" in (old.disclosure, new.disclosure):
        rev.note = "此前的版本不予公开，不显示改动。"
        return rev
    rev.fields = field_changes(old, new)
    if notice.is_public and old.disclosure == new.disclosure == "主动公开":
        body = text_diff(old.body, new.body)
        rev.body = body if changed(body) else []
        for title, p in attachments:
            a = history.text(p, before) or ""
            b = history.text(p, after) or ""
            if a != b:
                rev.attachments.append((title, text_diff(a.strip("\n"), b.strip("\n"))))
    else:
        rev.note = "本文件正文不公开，不显示正文的改动。"
    return rev


def read_all(corpus: Corpus, notices_dir) -> dict[str, list[Revision]] | None:
    """Every listed notice's revisions, by path; None when there is no history."""
    history = read_history(notices_dir)
    if history is None:
        return None
    try:
        return {n.rel: notice_revisions(n, history) for n in corpus.listed}
    finally:
        history.close()
