"""Faults around the build: replacing site/, two builds at once, a busy port,
control characters in a diff, and very long paragraphs."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import queue
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, ROOTS, run_build

from gazette import diff, paths, sitedir

NOTICES = ROOTS / "basic" / "notices"

# A separate process that stats PATH as fast as it can until STOP appears,
# then prints how many times it looked and how many times PATH was missing.
POLLER = """
import os, sys
path, stop = sys.argv[1], sys.argv[2]
looks = missing = 0
print("ready", flush=True)
while not os.path.exists(stop):
    for _ in range(100):
        looks += 1
        if not os.path.exists(path):
            missing += 1
print(looks, missing, flush=True)
"""


class Poller:
    def __init__(self, path: Path, stop: Path):
        self.stop = stop
        self.proc = subprocess.Popen([sys.executable, "-c", POLLER, str(path), str(stop)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def finish(self) -> tuple[int, int]:
        self.stop.touch()
        out, _ = self.proc.communicate(timeout=60)
        looks, missing = map(int, out.split())
        return looks, missing


def _staged(site: Path, n: int) -> Path:
    new = sitedir.staging_folder(site)
    (new / "index.html").write_text(f"build {n}", encoding="utf-8")
    (new / "notices").mkdir()
    (new / "notices" / "a.html").write_text(f"page {n}", encoding="utf-8")
    return new


# --- 1. site/ is replaced in one step ------------------------------------------


def test_swapping_never_leaves_a_moment_without_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("first", encoding="utf-8")
    poller = Poller(site / "index.html", tmp_path / "stop")
    for n in range(300):
        sitedir.swap(_staged(site, n), site)
    looks, missing = poller.finish()
    assert looks > 2000            # it really was looking while the swaps ran
    assert missing == 0
    assert (site / "index.html").read_text(encoding="utf-8") == "build 299"
    assert (site / "notices" / "a.html").read_text(encoding="utf-8") == "page 299"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "stop"]   # old sites deleted


def test_the_site_is_never_moved_away_even_for_an_instant(tmp_path, monkeypatch):
    """Deterministic: after every rename the swap makes, site/ is a whole site."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("first", encoding="utf-8")
    rename = Path.rename
    seen = []

    def watched(self, target):
        result = rename(self, target)
        seen.append((site / "index.html").is_file())
        return result

    monkeypatch.setattr(Path, "rename", watched)
    sitedir.swap(_staged(site, 1), site)
    assert seen and all(seen)
    assert (site / "index.html").read_text(encoding="utf-8") == "build 1"


def test_without_renameat2_the_swap_falls_back_to_two_renames(tmp_path, monkeypatch):
    def unsupported(*args):
        ctypes.set_errno(errno.EINVAL)    # what a filesystem without RENAME_EXCHANGE says
        return -1

    monkeypatch.setattr(sitedir, "_renameat2", unsupported)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("first", encoding="utf-8")
    sitedir.swap(_staged(site, 7), site)
    assert (site / "index.html").read_text(encoding="utf-8") == "build 7"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    monkeypatch.setattr(sitedir, "_renameat2", None)        # a C library without it
    sitedir.swap(_staged(site, 8), site)
    assert (site / "index.html").read_text(encoding="utf-8") == "build 8"


def test_the_first_build_is_a_plain_rename_and_the_site_is_readable(tmp_path):
    site = tmp_path / "site"
    old_mask = os.umask(0o027)
    try:
        sitedir.swap(_staged(site, 0), site)
    finally:
        os.umask(old_mask)
    assert (site / "index.html").read_text(encoding="utf-8") == "build 0"
    assert site.stat().st_mode & 0o777 == 0o750


def test_real_builds_replace_the_site_without_a_gap(tmp_path):
    site = tmp_path / "site"
    first = run_build("--notices", str(NOTICES), "build", "--site-dir", str(site))
    assert first.returncode == 0, first.stderr
    poller = Poller(site / "index.html", tmp_path / "stop")
    for _ in range(2):
        result = run_build("--notices", str(NOTICES), "build", "--site-dir", str(site))
        assert result.returncode == 0, result.stderr
    looks, missing = poller.finish()
    assert looks > 1000 and missing == 0
    assert (site / "notices/2020/sanfu-2020-10.html").is_file()
    assert site.stat().st_mode & 0o777 == 0o755 & ~sitedir.umask()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "stop"]


def test_folders_left_by_a_killed_build_are_removed_by_the_next(tmp_path):
    site = tmp_path / "site"
    for name in (".site.new-xyz", ".site.old-abc"):
        (tmp_path / name / "notices").mkdir(parents=True)
        (tmp_path / name / "notices" / "half.html").write_text("<p>half", encoding="utf-8")
    (tmp_path / ".other.new-keep").mkdir()              # another site's: not ours to remove
    result = run_build("--notices", str(NOTICES), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.new-keep", "site"]


# A large build's old site goes by a process of its own (sitedir.remove_later),
# here one that waits for GO before it removes anything.
LATER = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from gazette import sitedir
site, new, go = (Path(a) for a in sys.argv[2:5])
removing = sitedir.remove
def remove(path):
    while not go.exists():
        time.sleep(0.05)
    removing(path)
sitedir.remove = remove
sitedir.swap(new, site, later=True)
print("swapped", flush=True)
"""


def test_a_large_builds_old_site_is_removed_after_it_returns(tmp_path):
    site, new = tmp_path / "site", tmp_path / ".site.new-abc"
    for folder, text in ((site, "old"), (new, "new")):
        (folder / "notices").mkdir(parents=True)
        (folder / "notices" / "a.html").write_text(text, encoding="utf-8")
    # Through a pipe, as a caller reads the build's output: the remover must not hold it.
    result = subprocess.run([sys.executable, "-c", LATER, str(ROOT), str(site), str(new), str(tmp_path / "go")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "swapped\n", result.stderr
    assert (site / "notices" / "a.html").read_text(encoding="utf-8") == "new"
    old = [p for p in tmp_path.iterdir() if p.name.startswith(sitedir.old_prefix(site))]
    assert len(old) == 1 and (old[0] / "notices" / "a.html").read_text(encoding="utf-8") == "old"
    # The next build leaves it to its remover, and removes an old site whose remover has gone.
    abandoned = tmp_path / f"{sitedir.old_prefix(site)}killed"
    (abandoned / "notices").mkdir(parents=True)
    assert sitedir.remove_leftovers(site) == [abandoned]
    assert old[0].exists() and not abandoned.exists()
    (tmp_path / "go").touch()
    deadline = time.monotonic() + 60
    while old[0].exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["go", "site"]


def test_a_fork_that_fails_after_the_swap_removes_the_old_site_in_place(tmp_path, monkeypatch):
    """The new site is in place by then: a fork refused (memory, a limit on
    processes) must not turn a built site into a failed build."""
    site, new = tmp_path / "site", tmp_path / ".site.new-abc"
    for folder, text in ((site, "old"), (new, "new")):
        (folder / "notices").mkdir(parents=True)
        (folder / "notices" / "a.html").write_text(text, encoding="utf-8")

    def refused():
        raise OSError(errno.ENOMEM, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", refused)
    sitedir.swap(new, site, later=True)
    assert (site / "notices" / "a.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- 2. two builds at once ------------------------------------------------------


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)
    into.put(None)                  # the process closed it: it did not wait


def test_a_second_build_waits_for_the_first(tmp_path):
    site = tmp_path / "site"
    stale = tmp_path / ".site.new-running"       # the running build's folder: not to be touched yet
    stale.mkdir()
    lock = os.open(sitedir.lock_path(site), os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)               # "the first build"
    try:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "--notices", str(NOTICES), "build", "--site-dir", str(site)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        errors: queue.Queue = queue.Queue()
        threading.Thread(target=_lines, args=(proc.stderr, errors), daemon=True).start()
        assert errors.get(timeout=60) == f"another build of {site} is running; waiting for it to finish…\n"
        time.sleep(1.0)
        assert proc.poll() is None                 # still waiting
        assert not site.exists() and stale.is_dir()
    finally:
        os.close(lock)                             # the first build ends
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0
    assert f"Site built in {site}" in out
    assert (site / "index.html").is_file()
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]     # lock file removed too


def test_the_lock_is_taken_again_after_its_file_was_removed(tmp_path):
    """A waiter that locked a file the holder then removed must not proceed on it."""
    site = tmp_path / "site"
    got = threading.Event()
    with sitedir.locked(site):
        def second():
            with sitedir.locked(site):
                got.set()
                time.sleep(0.3)
        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.3)
        assert not got.is_set()
    assert got.wait(10)
    # While the second holds the (new) lock file, a third must wait.
    fd = os.open(sitedir.lock_path(site), os.O_RDWR)
    with pytest.raises(BlockingIOError):
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.close(fd)
    t.join()
    assert not sitedir.lock_path(site).exists()


# --- 3. serve on a busy or invalid address ---------------------------------------


def test_serve_on_a_busy_port_is_one_plain_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_build("serve", "--addr", f"127.0.0.1:{port}")
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot serve on 127.0.0.1:{port}: the port is already in use\n"
    assert result.stdout == ""


@pytest.mark.parametrize("addr", ["8000", "127.0.0.1", "127.0.0.1:port", "127.0.0.1:70000", "999.1.1.1:8000"])
def test_serve_on_an_invalid_address_is_one_plain_line(addr):
    result = run_build("serve", "--addr", addr)
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot serve on {addr}: not a valid address, expected HOST:PORT\n"


def _get(url: str) -> str | None:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def test_serve_previews_the_folder_given_and_shows_a_saved_change(tmp_path):
    """`build.py --notices DIR serve`: DIR is served (not notices/), and saving one of its notices shows."""
    import shutil

    from gazette.corpus import load_corpus
    from gazette.public import publish

    notices = tmp_path / "notices"
    shutil.copytree(ROOT / "notices", notices)
    n = publish(load_corpus(notices, root=tmp_path), None).notices[0]
    source = tmp_path / n.source
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    temp = tmp_path / "temp"          # where the preview keeps its folders
    temp.mkdir()
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--notices", str(notices), "serve",
                               "--addr", f"127.0.0.1:{port}"], cwd=ROOT, env={**os.environ, "TMPDIR": str(temp)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    page = f"http://127.0.0.1:{port}/{paths.html_path(n.page)}"
    try:
        deadline = time.monotonic() + 180
        while (first := _get(page)) is None and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.5)
        assert first is not None and n.title in first, server.poll()
        assert "预览测试：保存后应当出现" not in first
        source.write_text(source.read_text(encoding="utf-8") + "\n预览测试：保存后应当出现。\n", encoding="utf-8")
        deadline = time.monotonic() + 180
        while "预览测试：保存后应当出现" not in (_get(page) or "") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "预览测试：保存后应当出现" in (_get(page) or "")
    finally:
        server.terminate()
        out = server.communicate(timeout=30)[0]
    assert "Traceback" not in out, out
    # Stopped, it leaves no folder behind (jieba keeps its dictionary cache there, as anywhere).
    assert [p.name for p in temp.iterdir() if p.name != "jieba.cache"] == []


# --- 4. control characters in `build.py diff` ---------------------------------------

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

TRAPS = "\x1b[31m\x1b]0;owned\x07\u202e\u2066\x9b\u2028"


def _git(repo: Path, *args: str, name: str = "书记员") -> None:
    env = {"GIT_AUTHOR_DATE": "2020-07-06T10:00:00+08:00", "GIT_COMMITTER_DATE": "2020-07-06T10:00:00+08:00",
           "PATH": os.environ["PATH"], "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": "clerk@example.org",
           "GIT_COMMITTER_NAME": "书记员", "GIT_COMMITTER_EMAIL": "clerk@example.org"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_diff_never_writes_control_characters_to_the_terminal(tmp_path):
    """An old revision, an author and a commit subject carry terminal escapes.

    (The loader refuses them in a notice as it is now; history is what it was.)
    """
    _git(tmp_path, "init", "-q", "-b", "main")
    notice = tmp_path / "notices" / "2020" / "sanfu-2020-1.md"
    notice.parent.mkdir(parents=True)
    # The body carries them raw; YAML allows them in a field only as escapes.
    yaml_traps = r"\e[31m\e]0;owned\a\u202e\u2066\x9b\L"
    trapped = NOTICE.replace("白天每小时", f"白天{TRAPS}每小时").replace(
        "title: 三亚市人民政府关于停车收费的通知", f'title: "三亚{yaml_traps}市人民政府关于停车收费的通知"')
    notice.write_text(trapped, encoding="utf-8")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", f"新增{TRAPS}通知", name=f"张{TRAPS}三")
    notice.write_text(NOTICE, encoding="utf-8")
    _git(tmp_path, "commit", "-qam", f"删去{TRAPS}控制字符")
    result = run_build("--notices", str(tmp_path / "notices"), "diff", str(notice))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    shown = r"\x1b[31m\x1b]0;owned\x07\u202e\u2066\x9b\u2028"
    lines = out.splitlines()
    assert f"张{shown}三: 新增{shown}通知" in lines[1]                  # from: author and subject
    assert f"删去{shown}控制字符" in lines[2]                          # to: subject
    assert f"停车场白天[-{shown}-]每小时收费3元。" in out               # the text
    assert f"标题: 三亚{shown}市人民政府关于停车收费的通知 → 三亚市人民政府" in out    # a field
    assert [c for c in out if c in "\x1b\x07\x9b\u202e\u2066\u2028"] == []


def test_colour_output_has_only_our_own_escapes():
    hunks = diff.text_diff("收费3元。", f"收费{TRAPS}2元。")
    fields = [diff.FieldChange("title", "标题", "旧", f"新{TRAPS}")]
    lines = diff.terminal_text(hunks, True) + diff.terminal_fields(fields, True)
    text = "\n".join(lines)
    ours = ("\x1b[31m", "\x1b[32m", "\x1b[9m", "\x1b[4m", "\x1b[0m")
    assert "\x1b[31m\x1b[9m" in text                              # colour is still there
    for seq in ours:
        text = text.replace(seq, "")
    assert [c for c in text if c in "\x1b\x07\x9b\u202e\u2066\u2028"] == []
    assert r"\x1b[31m" in text and r"\u202e" in text


def test_terminal_safe_escapes_what_a_terminal_would_act_on():
    assert diff.terminal_safe("a\x1bb\x00c\x7fd\x85e\u202ef\u2069g\u2029h\ti") == \
        r"a\x1bb\x00c\x7fd\x85e\u202ef\u2069g\u2029h" + "\ti"
    assert diff.terminal_safe("三亚市（2020）第1号「」") == "三亚市（2020）第1号「」"


# --- 5. very long paragraphs --------------------------------------------------------


def _long_paragraph(length: int, seed: int) -> str:
    rng = random.Random(seed)
    chars = "三亚市人民政府关于进一步加强停车收费管理工作的通知各区育才生态区管委会市政府直属各单位为规范"
    out, size = [], 0
    while size < length:
        sentence = "".join(rng.choice(chars) for _ in range(rng.randint(8, 60)))
        sentence += rng.choice("。。。，；！？")
        out.append(sentence)
        size += len(sentence)
    return "".join(out)[:length]


def _apply(hunks) -> tuple[str, str]:
    old = "".join(text for hunk in hunks for op, text in hunk if op in "=-")
    new = "".join(text for hunk in hunks for op, text in hunk if op in "=+")
    return old, new


def test_a_300000_character_paragraph_with_three_edits_diffs_exactly(monkeypatch):
    old = _long_paragraph(300_000, seed=1)
    a, b, c = 60_000, 150_000, 240_000
    new = old[:a] + "二〇二五年" + old[a + 3:b] + "本条自发布之日起施行。" + old[b:c] + old[c + 12:]
    compared = []
    matcher = diff.SequenceMatcher

    def recording(junk, x, y, autojunk):
        if isinstance(x, str):
            compared.append(len(x) * len(y))
        return matcher(junk, x, y, autojunk=autojunk)

    monkeypatch.setattr(diff, "SequenceMatcher", recording)
    hunks = diff.text_diff(old, new)
    assert len(hunks) == 1
    assert _apply(hunks) == (old, new)
    # Only the edits are marked: 3 characters replaced by 5, 11 inserted, 12 deleted.
    assert sum(len(t) for op, t in hunks[0] if op == "-") == 3 + 12
    assert sum(len(t) for op, t in hunks[0] if op == "+") == 5 + 11
    # Characters were compared only inside the few sentences that changed.
    assert compared and max(compared) < 200 * 200


def test_two_changed_sentences_too_long_to_compare_are_replaced_whole():
    x = _long_paragraph(6000, seed=2).replace("。", "，").replace("！", "，").replace("？", "，").replace("；", "，")
    y = _long_paragraph(6000, seed=3).replace("。", "，").replace("！", "，").replace("？", "，").replace("；", "，")
    hunks = diff.text_diff(f"开头。{x}。结尾。", f"开头。{y}。结尾。")
    assert hunks == [[("=", "开头。"), ("-", f"{x}。"), ("+", f"{y}。"), ("=", "结尾。")]]


def test_sentences_keep_their_delimiters_and_give_the_text_back():
    text = "第一条　总则。第二条！“引用。”问？a; b!\n末尾没有句号"
    parts = diff.sentences(text)
    assert parts == ["第一条　总则。", "第二条！", "“引用。”", "问？", "a;", " b!\n", "末尾没有句号"]
    assert "".join(parts) == text


@pytest.mark.parametrize("seed", range(30))
def test_diffs_of_random_edits_give_both_texts_back(seed):
    rng = random.Random(seed)
    old = _long_paragraph(rng.choice([50, 3000, 20_000]), seed)
    new = list(old)
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(new))
        if rng.random() < 0.5:
            del new[at:at + rng.randint(1, 30)]
        else:
            new[at:at] = rng.choice(["。", "新增内容。", "改", "；补充", _long_paragraph(6000, seed)])
    new = "".join(new)
    if new == old:
        new += "补"
    hunks = diff.text_diff(old, new)
    assert len(hunks) == 1
    assert _apply(hunks) == (old, new)
