"""The dictionary words of Han runs, loaded ahead in a process of their own
(gazette/words.py) for a rebuild's search index: the same words as jieba
gives here, and found here whenever that process cannot say."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, digests
from gazette import words

RUNS = ["国务院办公厅关于进一步加强政府信息公开工作的通知", "三亚市人民政府", "龘龘龘", "关于", "市场监督管理局"]


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A server started as a build over a large site starts it."""
    (tmp_path / "notices" / "2020").mkdir(parents=True)
    for i in range(3):
        (tmp_path / "notices" / "2020" / f"n{i}.md").write_text("x", encoding="utf-8")
    (tmp_path / "site").mkdir()
    monkeypatch.setattr(words, "AHEAD_FROM", 3)
    words.start_ahead(tmp_path / "notices", tmp_path / "site")
    assert words._server is not None
    yield words._pid
    words._drop()
    try:
        os.waitpid(words._pid, 0)      # it ends once its connection closes
    except ChildProcessError:
        pass                           # ended and waited for by the test
    monkeypatch.setattr(words, "_server", None)
    monkeypatch.setattr(words, "_pid", None)


def test_the_words_from_the_process_loaded_ahead_are_jiebas(server, monkeypatch):
    here = [words._here(run) for run in RUNS]
    assert ("国务院办公厅", "关于") == here[0][:2]
    asked_here = []
    monkeypatch.setattr(words, "_here", lambda run: asked_here.append(run) or ())
    with words.ahead():
        assert [words.cut(run) for run in RUNS] == here
    assert asked_here == []                      # every run answered by the other process
    assert words.cut(RUNS[0]) == ()              # outside ahead(): found here


def test_words_are_found_here_when_the_process_loaded_ahead_has_ended(server):
    os.kill(server, 9)
    os.waitpid(server, 0)
    with words.ahead():
        assert [words.cut(run) for run in RUNS] == [words._here(run) for run in RUNS]
    assert words._server is None                 # not asked again


def test_no_process_is_started_for_a_small_site_or_a_first_build(tmp_path):
    (tmp_path / "notices" / "2020").mkdir(parents=True)
    (tmp_path / "notices" / "2020" / "n.md").write_text("x", encoding="utf-8")
    words.start_ahead(tmp_path / "notices", tmp_path / "site")       # no site yet
    (tmp_path / "site").mkdir()
    words.start_ahead(tmp_path / "notices", tmp_path / "site")       # one notice
    assert words._server is None


def test_a_rebuild_whose_index_takes_words_from_the_process_loaded_ahead_is_a_cold_build(tmp_path):
    """build.py with the dictionary loaded ahead however small the site: a
    changed notice's new text patched into the index as a cold build indexes it."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_repository

    notices = make_repository(tmp_path / "repo", 30)
    env = {**os.environ, "GAZETTE_CACHE": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1600000000",
           "GAZETTE_TIMING": "1"}
    ahead = ("import sys, runpy; sys.argv = sys.argv[1:]; import gazette.words as w; "
             "w.AHEAD_FROM = 0; runpy.run_path(sys.argv[0], run_name='__main__')")

    def build(site, *prefix):
        done = subprocess.run([sys.executable, *prefix, str(ROOT / "build.py"), "--notices", str(notices), "build",
                               "--site-dir", str(site)], capture_output=True, text=True, env=env, timeout=600,
                              cwd=ROOT)
        assert done.returncode == 0, done.stderr
        return done.stderr

    build(tmp_path / "site")
    first = sorted(notices.glob("*/*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\n市场监督管理局会同国务院办公厅修订本通知。\n", encoding="utf-8")
    said = build(tmp_path / "site", "-c", ahead)
    assert "patched for 1 notices" in said
    shutil.rmtree(tmp_path / "cache")
    build(tmp_path / "cold")
    assert digests(tmp_path / "site") == digests(tmp_path / "cold")
