"""`build.py verify` proves which commit a site came from, by building it again.

Each test works in a repository of its own: this project's files copied into
a temporary folder, committed, and built there with their own build.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from gazette.manifest import sha256

PAGE = "notices/2020/sanfu-2020-124.html"


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2021-03-04T10:00:00+08:00", "GIT_COMMITTER_DATE": "2021-03-04T10:00:00+08:00",
           "GIT_AUTHOR_NAME": "审计员", "GIT_AUTHOR_EMAIL": "audit@example.org",
           "GIT_COMMITTER_NAME": "审计员", "GIT_COMMITTER_EMAIL": "audit@example.org", "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def _run(repo: Path, *args: str, tmpdir: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if tmpdir is not None:
        tmpdir.mkdir(exist_ok=True)
        env["TMPDIR"] = str(tmpdir)
    return subprocess.run([sys.executable, str(repo / "build.py"), *args], cwd=cwd or repo, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("provenance") / "repo"
    copy_project(repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "--all")
    _git(repo, "commit", "-qm", "公布第一批文件")
    return repo


@pytest.fixture(scope="module")
def site(repo) -> Path:
    result = _run(repo, "build")
    assert result.returncode == 0, result.stderr
    return repo / "site"


def _head(repo: Path) -> str:
    return _git(repo, "rev-parse", "HEAD").strip()


def _rewrite_manifest(site: Path, **changes) -> None:
    """Make the manifest agree with the files as they are now, as a forger would."""
    path = site / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    files = {p.relative_to(site).as_posix(): sha256(p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()}
    files.pop("manifest.json")
    manifest["files"] = files
    for notice in manifest["notices"]:
        notice["outputs"] = {rel: files.get(rel) for rel in notice["outputs"]}
    manifest.update(changes)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _left_behind(repo: Path, tmpdir: Path) -> tuple[int, list[str]]:
    worktrees = _git(repo, "worktree", "list", "--porcelain").count("worktree ")
    return worktrees, sorted(p.name for p in tmpdir.iterdir() if p.name.startswith("gazette-verify-"))


def test_an_honest_site_is_proven_to_come_from_its_commit(repo, site, tmp_path):
    result = _run(repo, "verify", str(site), tmpdir=tmp_path / "tmp")
    assert result.returncode == 0, result.stdout + result.stderr
    head = _head(repo)
    assert result.stdout.startswith(f"{site} verified: ")
    assert f"are byte-identical to a fresh build of commit {head} (2021-03-04 10:00 +0800, 公布第一批文件)." in result.stdout
    count = sum(1 for p in site.rglob("*") if p.is_file())
    assert f"all {count} files, the manifest included" in result.stdout
    assert _left_behind(repo, tmp_path / "tmp") == (1, [])   # worktree removed and pruned, temp files gone


def test_an_altered_page_with_a_consistent_manifest_is_caught(repo, site, tmp_path):
    forged = tmp_path / "site"
    shutil.copytree(site, forged)
    page = forged / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("三亚市", "三亚县", 1), encoding="utf-8")
    _rewrite_manifest(forged)
    # The manifest alone is satisfied: that is all it can show.
    weak = _run(repo, "verify", "--no-rebuild", str(forged))
    assert weak.returncode == 0
    assert weak.stdout.startswith(f"{forged}: all ")
    assert "it does not prove which commit they came from" in weak.stdout
    assert "verified" not in weak.stdout
    result = _run(repo, "verify", str(forged), tmpdir=tmp_path / "tmp")
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["different: manifest.json", f"different: {PAGE}"]
    assert f"{forged} is not what commit {_head(repo)} builds: 2 of its files" in result.stderr
    assert _left_behind(repo, tmp_path / "tmp") == (1, [])


def test_a_manifest_naming_a_commit_that_does_not_exist_fails(repo, site, tmp_path):
    forged = tmp_path / "site"
    shutil.copytree(site, forged)
    _rewrite_manifest(forged, commit="c0ffee" * 6 + "c0ff")
    result = _run(repo, "verify", str(forged))
    assert result.returncode == 1
    assert "built from commit c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff, which does not exist in the repository" \
        in result.stderr
    assert "verified" not in result.stdout + result.stderr


def test_a_one_file_fake_site_with_a_consistent_manifest_fails(repo, site, tmp_path):
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "index.html").write_text("<h1>三亚市政府文件库</h1>", encoding="utf-8")
    manifest = {"format": 1, "commit": _head(repo), "source_clean": True, "notices": [],
                "files": {"index.html": sha256((fake / "index.html").read_bytes())}}
    (fake / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _run(repo, "verify", "--no-rebuild", str(fake)).returncode == 0     # the manifest is consistent
    result = _run(repo, "verify", str(fake), tmpdir=tmp_path / "tmp")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "different: index.html" in lines and "different: manifest.json" in lines
    assert f"missing: {PAGE}" in lines and "missing: search.html" in lines
    assert f"{fake} is not what commit {_head(repo)} builds" in result.stderr
    assert _left_behind(repo, tmp_path / "tmp") == (1, [])


def test_a_site_built_from_uncommitted_changes_cannot_be_proven(repo, site, tmp_path):
    dirty = tmp_path / "site"
    shutil.copytree(site, dirty)
    _rewrite_manifest(dirty, source_clean=False)
    result = _run(repo, "verify", str(dirty))
    assert result.returncode == 1
    assert "built from uncommitted changes" in result.stderr and "cannot be proven" in result.stderr


def test_without_the_repository_verify_says_what_it_did_not_prove(repo, site, tmp_path):
    loose = tmp_path / "loose"                       # the project without its .git: a source tarball
    shutil.copytree(repo, loose, ignore=shutil.ignore_patterns(".git", "site"), symlinks=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = _run(loose, "verify", str(site), cwd=outside)
    assert result.returncode == 0, result.stderr
    count = len(json.loads((site / "manifest.json").read_text(encoding="utf-8"))["files"])
    assert result.stdout == (
        f"{site}: all {count} files match manifest.json. This shows the files were not altered after the "
        "manifest was written; it does not prove which commit they came from (run verify inside the "
        "repository to rebuild and compare).\n"
    )
