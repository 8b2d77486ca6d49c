"""Revision history: every commit that changed a notice, with readable diffs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import read_page, readable_text, run_build

NOTICE = """---
title: 三亚市人民政府关于停车收费的通知
doc_number: 三府〔2020〕1号
issuers: [三亚市人民政府]
date: 2020-07-06
disclosure: 主动公开
---

停车场白天每小时收费3元。

夜间每小时收费1元。
"""

ON_REQUEST = """---
title: 三亚市民政局关于内部安排的通知
doc_number: 三民字〔2020〕2号
issuers: [三亚市民政局]
date: 2020-07-01
disclosure: 依申请公开
---

内部安排第一稿。
"""


def git(repo: Path, *args: str, date: str = "2020-07-06T10:00:00+08:00") -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin",
           "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A notice committed, then corrected twice; another renamed; one on request."""
    repo = tmp_path_factory.mktemp("history")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "张 书记员")
    git(repo, "config", "user.email", "clerk@example.org")
    folder = repo / "notices" / "2020"
    folder.mkdir(parents=True)
    notice = folder / "sanfu-2020-1.md"
    notice.write_text(NOTICE, encoding="utf-8")
    (folder / "old-name.md").write_text(NOTICE.replace("1号", "5号").replace("停车收费", "公交线路"), encoding="utf-8")
    (folder / "sanminzi-2020-2.md").write_text(ON_REQUEST, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "新增停车收费通知", date="2020-07-06T10:00:00+08:00")

    notice.write_text(NOTICE.replace("date: 2020-07-06\n", "date: 2020-07-06\npublished: 2020-07-10\n"), encoding="utf-8")
    git(repo, "commit", "-qam", "补充发布日期", date="2020-07-10T09:30:00+08:00")

    text = notice.read_text(encoding="utf-8").replace("每小时收费3元", "每小时收费2元")
    notice.write_text(text, encoding="utf-8")
    (folder / "sanminzi-2020-2.md").write_text(ON_REQUEST.replace("第一稿", "第二稿金丝雀"), encoding="utf-8")
    git(repo, "commit", "-qam", "更正白天收费标准", date="2020-07-12T16:45:00+08:00")

    git(repo, "mv", "notices/2020/old-name.md", "notices/2020/sanfu-2020-5.md")
    git(repo, "commit", "-qm", "按文号命名", date="2020-07-13T08:00:00+08:00")
    return repo


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("history-site") / "site"
    result = run_build("--notices", str(repo / "notices"), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


def _history(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    return html[html.index('id="history"'):]


def test_three_revisions_newest_first_with_the_original_marked(site):
    history = _history(site, "notices/2020/sanfu-2020-1.html")
    subjects = [s.split("</span>")[0] for s in history.split('<span class="history-subject">')[1:]]
    assert subjects == ["更正白天收费标准", "补充发布日期", "收录到本站"]
    kinds = [s.split("</span>")[0] for s in history.split('<span class="history-kind">')[1:]]
    assert kinds == ["修订", "修订", "收录"]
    assert "2020年7月12日" in history and "16:45" in history and "张 书记员" in history


def test_each_diff_shows_exactly_the_changed_field_and_characters(site):
    history = _history(site, "notices/2020/sanfu-2020-1.html")
    newest, middle = history.split('<li class="history-revision">')[1:3]
    # The correction of 3元 to 2元: two characters marked, no field changed.
    assert "<p>停车场白天每小时收费<del>3</del><ins>2</ins>元。</p>" in newest
    assert newest.count("<del>") == 1 and newest.count("<ins>") == 1
    assert "diff-fields" not in newest
    # The added publication date: one field, the text unchanged.
    assert "<li><strong>发布日期</strong>：（无） → <ins>2020年7月10日</ins></li>" in middle
    assert middle.count("<li><strong>") == 1
    assert "diff-text" not in middle


def test_renamed_notice_keeps_its_earlier_revisions(site):
    history = _history(site, "notices/2020/sanfu-2020-5.html")
    subjects = [s.split("</span>")[0] for s in history.split('<span class="history-subject">')[1:]]
    assert subjects == ["按文号命名", "收录到本站"]


def test_on_request_history_shows_no_body_change(site):
    history = _history(site, "notices/2020/sanminzi-2020-2.html")
    assert "更正白天收费标准" in history
    assert "本文件正文不公开，不显示正文的改动。" in history
    leaks = [p for p in site.rglob("*") if p.is_file() and ("金丝雀" in readable_text(p) or "内部安排第" in readable_text(p))]
    assert leaks == []


def test_recent_changes_page_lists_additions_and_corrections(site):
    page = read_page(site / "changes.html")
    assert page.h1 == "最近更新"
    text = (site / "changes.html").read_text(encoding="utf-8")
    assert text.index("按文号命名") < text.index("更正白天收费标准") < text.index("补充发布日期")
    assert "notices/2020/sanfu-2020-1.html#history" in page.links
    assert "changes.html" in read_page(site / "index.html").links


def test_build_diff_prints_the_same_changes(repo):
    result = run_build("--notices", str(repo / "notices"), "diff", "三府[2020]1号")
    assert result.returncode == 0, result.stderr
    assert "停车场白天每小时收费[-3-]{+2+}元。" in result.stdout
    assert "\x1b[" not in result.stdout            # piped: no colour codes
    assert "(no field changed)" in result.stdout
    older = run_build("--notices", "notices", "diff", "notices/2020/sanfu-2020-1.md", "HEAD~3", "HEAD~2", cwd=repo)
    assert "发布日期: （无） → 2020-07-10" in older.stdout, older.stderr
    assert "(the text did not change)" in older.stdout


def test_build_diff_names_an_unknown_notice_without_a_traceback(repo):
    result = run_build("--notices", str(repo / "notices"), "diff", "三府〔2020〕99号")
    assert result.returncode == 1
    assert result.stderr == "Error: no notice has the file or document number 三府〔2020〕99号\n"


def test_without_git_the_build_works_and_says_so(repo, tmp_path):
    shutil.copytree(repo / "notices", tmp_path / "notices")
    site = tmp_path / "site"
    result = run_build("--notices", str(tmp_path / "notices"), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert "本次构建没有可用的修订记录" in _history(site, "notices/2020/sanfu-2020-1.html")
    assert "本次构建没有可用的修订记录" in (site / "changes.html").read_text(encoding="utf-8")
    diff = run_build("--notices", str(tmp_path / "notices"), "diff", "三府〔2020〕1号")
    assert diff.returncode == 1 and "there is no git history here" in diff.stderr


def test_a_shallow_clone_builds_and_says_history_is_unavailable(repo, tmp_path):
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(tmp_path / "clone")], check=True)
    site = tmp_path / "site"
    result = run_build("--notices", str(tmp_path / "clone" / "notices"), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert "本次构建没有可用的修订记录" in _history(site, "notices/2020/sanfu-2020-1.html")


def test_a_changed_table_cell_shows_as_that_cell_never_as_markdown():
    from gazette.diff import as_read, text_diff

    old = "**水价表**\n\n| 用水类别 | 价格（元/m³） |\n|---|---|\n| 居民生活用水 | 1.65 |\n| 特种用水 | 6.10 |"
    new = old.replace("6.10", "6.50")
    hunks = text_diff(as_read(old), as_read(new))
    changed = [h for h in hunks if any(op in "-+" for op, _ in h)]
    assert changed == [[("=", "用水类别：特种用水；价格（元/m³）：6."), ("-", "1"), ("+", "5"), ("=", "0")]]
    shown = "".join(text for h in hunks for _, text in h)
    assert "|" not in shown and "---" not in shown and "**" not in shown


def test_files_not_as_committed_are_all_named(tmp_path):
    """history.uncommitted(): what the manifest must read from disk rather
    than take from the commit. Changed, added, renamed either way (a rename
    git knows only from `add -N` shows in the second column), untracked, and
    files git was told not to look at (assume-unchanged, skip-worktree)."""
    from gazette.history import uncommitted

    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "办公室",
                            "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})

    git("init", "-q")
    for name in ("旧名.md", "b.md", "c.md", "d.md", "e.md", "f g.md", "same.md"):
        (tmp_path / name).write_text(f"{name}\n" * 20, encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "初稿")
    assert uncommitted(tmp_path) == set()
    (tmp_path / "旧名.md").rename(tmp_path / "新名.md")
    git("add", "-N", "新名.md")                       # " R 新名.md\0旧名.md"
    (tmp_path / "b.md").write_text("改过\n", encoding="utf-8")
    git("update-index", "--assume-unchanged", "c.md")
    (tmp_path / "c.md").write_text("悄悄改过\n", encoding="utf-8")
    git("update-index", "--skip-worktree", "d.md")
    (tmp_path / "f g.md").unlink()
    (tmp_path / "new.md").write_text("新文件\n", encoding="utf-8")
    assert uncommitted(tmp_path) == {"新名.md", "旧名.md", "b.md", "c.md", "d.md", "f g.md", "new.md"}


def test_after_a_commit_during_the_build_no_file_is_taken_as_the_commits(tmp_path):
    """history.as_committed(): the manifest takes a source's hashes from the
    commit only for files git says are as the commit has them, and none at
    all once HEAD is another commit than the one built (a commit or checkout
    during the build): then the sources are read from disk."""
    from gazette.history import as_committed, head_commit

    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "办公室",
                            "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})

    git("init", "-q")
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"{name}\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "初稿")
    built = head_commit(tmp_path)
    clean, blobs = as_committed(tmp_path, built)
    assert clean is True and sorted(blobs) == ["a.md", "b.md"]
    (tmp_path / "b.md").write_text("改过\n", encoding="utf-8")
    clean, blobs = as_committed(tmp_path, built)
    assert clean is False and sorted(blobs) == ["a.md"]
    git("commit", "-qam", "更正")                       # during the build: the tree is clean again
    assert as_committed(tmp_path, built) == (False, None)
    assert as_committed(tmp_path, head_commit(tmp_path))[0] is True
    assert as_committed(tmp_path.parent / "not-a-repository", built) == (None, None)


def test_a_files_real_path_is_found_through_every_link_above_it(tmp_path):
    """public._real() remembers each folder's real path and looks at one
    entry more per new folder: it must answer as os.path.realpath() does,
    whatever lies above the file (a link to a folder, at any level)."""
    import os

    from gazette.public import _real

    (tmp_path / "real" / "a" / "b").mkdir(parents=True)
    (tmp_path / "elsewhere" / "c").mkdir(parents=True)
    os.symlink(tmp_path / "real", tmp_path / "repo")                    # the repository reached by a link
    os.symlink(tmp_path / "elsewhere", tmp_path / "real" / "a" / "link")  # a folder inside it that is a link
    (tmp_path / "real" / "a" / "b" / "x.md").write_text("x")
    (tmp_path / "elsewhere" / "c" / "y.md").write_text("y")
    os.symlink(tmp_path / "real" / "a" / "b" / "x.md", tmp_path / "real" / "a" / "b" / "z.md")   # a file that is a link
    folders: dict = {}
    for path in ("repo/a/b/x.md", "repo/a/b/z.md", "repo/a/link/c/y.md", "repo/a/b/../b/x.md", "real/a/b/x.md",
                 "repo/a/link/c", "repo", "repo/a/b/missing.md"):
        full = str(tmp_path / path)
        assert _real(full, folders) == os.path.realpath(full), path
