"""Checks a clerk can act on (gazette/checks.py), --strict and --ignore, and the check at commit time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_intake import ROOT, run

from gazette.checks import form_faults

NOTICE = """---
title: {title}
doc_number: {number}
issuers: [{issuers}]
date: {date}
disclosure: 主动公开
---

正文。
"""


def write(notices: Path, name: str, number: str, issuers: str = "三亚市民政局", date: str = "2020-03-01",
          title: str | None = None) -> None:
    path = notices / date[:4] / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    title = title or f"{issuers.split(',')[0]}关于{name}的通知"
    path.write_text(NOTICE.format(title=title, number=number, issuers=issuers, date=date), encoding="utf-8")


def check(notices: Path, *flags: str) -> tuple[int, str, str]:
    return run("--notices", "notices", "check", *flags, cwd=notices.parent)


@pytest.fixture
def notices(tmp_path) -> Path:
    folder = tmp_path / "notices"
    write(folder, "a", "三民字〔2020〕1号")
    write(folder, "b", "三民字〔2020〕2号")
    return folder


def test_a_clean_corpus_has_no_warnings(notices):
    assert check(notices) == (0, "2 notices checked, no problems (2 will be published).\n", "")
    assert check(notices, "--strict")[0] == 0


def test_an_issuer_one_character_from_a_known_one_is_named_with_it(notices):
    write(notices, "c", "三民字〔2020〕3号", issuers="三亚市民政厅")
    code, out, err = check(notices)
    assert code == 0
    assert err == ("notices/2020/c.md:4: issuers: warning: 三亚市民政厅 is used by no other notice; "
                   "did you mean 三亚市民政局 (used by 2)? [W103]\n")


def test_a_new_issuer_unlike_any_other_is_not_a_mistake(notices):
    write(notices, "c", "三民字〔2020〕3号", issuers="三亚市医疗保障局")
    assert check(notices)[2] == ""


def test_the_number_year_against_the_date_year(notices):
    write(notices, "c", "三民字〔2019〕3号", date="2020-01-03")
    code, out, err = check(notices)
    assert code == 0
    assert err == ("notices/2020/c.md:3: doc_number: warning: the number's year 2019 is not the year of the date "
                   "2020-01-03; a document is numbered in the year it is signed — check both [W102]\n")


def test_a_title_without_关于_or_an_issuer(notices):
    write(notices, "c", "三民字〔2020〕3号", title="开展测试工作的通知")
    code, out, err = check(notices)
    assert err == ("notices/2020/c.md:2: title: warning: the title contains neither 关于 nor the issuer (三亚市民政局); "
                   "check that it is the full title as issued [W104]\n")
    # A team silences one kind deliberately, and strictness then passes.
    assert check(notices, "--ignore", "W104") == (0, "3 notices checked, no problems (3 will be published).\n", "")
    assert check(notices, "--strict", "--ignore", "w103,W104")[0] == 0


def test_strict_makes_warnings_fail_and_checks_the_form_of_numbers(notices):
    write(notices, "c", "三民字[2020]第03号")
    warning = ("notices/2020/c.md:3: doc_number: warning: 三民字[2020]第03号 is not written as GB/T 9704-2012 has it "
               "(the year in 〔〕; no 第 before the serial; no leading zeros): write 三民字〔2020〕3号 [W101]\n")
    # Shown by every check, but it fails nothing without --strict.
    assert check(notices) == (0, "3 notices checked, no problems (3 will be published).\n", warning)
    code, out, err = check(notices, "--strict")
    assert (code, out) == (1, "")
    assert err == (
        "notices/2020/c.md:3: doc_number: warning: 三民字[2020]第03号 is not written as GB/T 9704-2012 has it "
        "(the year in 〔〕; no 第 before the serial; no leading zeros): write 三民字〔2020〕3号 [W101]\n"
        "1 warning found; --strict makes each one fail (fix it, or silence its kind with --ignore CODE).\n")


def test_a_serial_repeated_under_one_prefix_and_year_is_an_error(notices):
    write(notices, "c", "三民字〔2020〕 2 号")
    code, out, err = check(notices)
    assert code == 1
    assert "notices/2020/c.md:3: doc_number: the document number 三民字〔2020〕2号 is already used by notices/2020/b.md" in err


@pytest.mark.parametrize("written, faults", [
    ("三府〔2020〕124号", []),
    ("三府[2020]124号", ["the year in 〔〕"]),
    ("三府〔2020〕124", ["号 at the end"]),
    ("三府〔2020〕0124号", ["no leading zeros"]),
    ("三府2020年第124号", ["the year in 〔〕", "no 第 before the serial"]),
    ("三府〔2020〕 124 号", ["no spaces"]),
])
def test_the_form_of_gb_t_9704(written, faults):
    assert form_faults(written) == faults


def test_the_bundled_corpus_warns_only_of_the_number_it_cannot_link():
    code, out, err = run("check")
    assert code == 0
    assert err == ("notices/2020/sanfu-2020-124.md:10: supersedes: warning: 三府〔2015〕280号 is not in the corpus, "
                   "so it cannot be linked [W105]\n")


# --- at commit time -------------------------------------------------------------------------


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_AUTHOR_NAME": "职员", "GIT_AUTHOR_EMAIL": "clerk@example.org",
           "GIT_COMMITTER_NAME": "职员", "GIT_COMMITTER_EMAIL": "clerk@example.org"}
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=check, env=env)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A copy of the project in a git repository of its own, with the hook installed."""
    from conftest import copy_project

    target = copy_project(tmp_path_factory.mktemp("hooked") / "project")
    (target / ".venv").symlink_to(ROOT / ".venv")
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "初始", "--no-verify")
    done = subprocess.run([sys.executable, "build.py", "install-hook"], cwd=target, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "pre-commit" in done.stdout
    return target


BAD = (ROOT / "notices/2020/sanfu-2020-124.md").read_text(encoding="utf-8").replace("date: 2020-07-06", "date: 2020-02-30")


def test_a_commit_with_a_broken_notice_is_stopped(repo):
    path = repo / "notices/2020/sanfu-2020-124.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(BAD, encoding="utf-8")
    git(repo, "add", "notices")
    done = git(repo, "commit", "-q", "-m", "错误的日期", check=False)
    assert done.returncode != 0
    assert "notices/2020/sanfu-2020-124.md:5: date: expected a real date as YYYY-MM-DD, got 2020-02-30" in done.stderr
    assert "The commit was stopped" in done.stderr
    # What is staged is what is checked: a fix in the index passes, whatever the working tree holds.
    path.write_text(good + "\n", encoding="utf-8")
    git(repo, "add", "notices")
    path.write_text(BAD, encoding="utf-8")                  # not staged
    done = git(repo, "commit", "-q", "-m", "更正正文", check=False)
    assert done.returncode == 0, done.stderr
    path.write_text(good, encoding="utf-8")


def test_a_commit_that_does_not_touch_notices_is_not_checked(repo):
    (repo / "docs" / "about.md").write_text("关于本站。\n", encoding="utf-8")
    git(repo, "add", "docs")
    assert git(repo, "commit", "-q", "-m", "改说明", check=False).returncode == 0


def test_the_hook_is_never_written_over_one_it_did_not_write(repo):
    hook = Path(git(repo, "rev-parse", "--git-path", "hooks/pre-commit").stdout.strip())
    hook = hook if hook.is_absolute() else repo / hook
    assert "build.py precommit" in hook.read_text(encoding="utf-8")
    again = subprocess.run([sys.executable, "build.py", "install-hook", "--ignore", "W104"], cwd=repo,
                           capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.startswith("Updated")
    assert "build.py precommit --ignore=W104" in hook.read_text(encoding="utf-8")
    hook.write_text("#!/bin/sh\necho the team's own hook\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "build.py", "install-hook"], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 1
    assert "already exists and was not installed by build.py" in done.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho the team's own hook\n"


def test_the_pre_commit_framework_runs_the_same_command():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert hook["entry"] == ".venv/bin/python build.py precommit"
    assert hook["files"] == "^notices/" and hook["pass_filenames"] is False
