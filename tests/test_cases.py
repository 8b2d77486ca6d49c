"""The bad-input corpus in tests/cases/: one folder per case, one test per case.

tests/cases/<category>/<case>/ holds expected.txt and, for a stored case, a
notices/ folder.  A case whose bytes cannot be kept in git reliably (control
characters, other encodings, symbolic links, line endings) is made by the
function of the same name in GENERATED below, into a copy of its notices/.

Each case runs `build.py --notices notices check` with the copy's parent as
the working directory, so paths read notices/2020/x.md.  expected.txt is the
exact stderr for a failing case (exit 1, ending in "N problems found.") or the
exact stderr then stdout for a case that must pass (exit 0): its warnings, then the success line.  Run

    .venv/bin/python tests/test_cases.py --update [CASE ...]

to rewrite expected.txt from what check prints now (every case, or those whose
folder names contain one of the words given), then READ each changed file:
expected.txt records what a clerk should see, not whatever the code says.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"

GOOD = """---
title: 三亚市人民政府关于测试的通知
doc_number: 三府〔2020〕1号
issuers: [三亚市人民政府]
date: 2020-01-08
disclosure: 主动公开
---

正文第一段。
"""

SECRET = """---
title: 三亚市人民政府关于内部事项的通知
doc_number: 三府〔2020〕2号
issuers: [三亚市人民政府]
date: 2020-01-09
disclosure: 不予公开
attachments:
  - title: 内部名单
    file: secret.md
---

内部正文。
"""


def _notice(notices: Path, text: str | bytes, rel: str = "2020/sanfu-2020-1.md") -> Path:
    path = notices / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _with_attachment(notices: Path, file: str, title: str = "附件1") -> Path:
    text = GOOD.replace("---\n\n", f"attachments:\n  - title: {title}\n    file: {file}\n---\n\n", 1)
    return _notice(notices, text)


def _secret(notices: Path) -> None:
    _notice(notices, SECRET, "2020/sanfu-2020-2.md")
    _notice(notices, "内部名单：张三、李四。\n", "2020/sanfu-2020-2/secret.md")


def _title(title: str) -> str:
    return GOOD.replace("title: 三亚市人民政府关于测试的通知", f"title: {title}")


# --- cases made by code: (category, name) -> what to write into notices/ --------

def _symlink(link: Path, target: str) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)


GENERATED = {
    # control characters and encodings
    ("front-matter", "nul-byte-in-title"): lambda n: _notice(n, _title("三亚市人民政府关于\x00测试的通知")),
    ("front-matter", "nul-byte-in-body"): lambda n: _notice(n, GOOD + "第二段\x00。\n"),
    ("front-matter", "bell-in-body"): lambda n: _notice(n, GOOD + "第二段\x07。\n"),
    ("front-matter", "escape-in-title"): lambda n: _notice(n, _title("三亚市人民政府关于\x1b[31m测试的通知")),
    ("front-matter", "c1-next-line-in-title"): lambda n: _notice(n, _title("三亚市人民政府关于\x85测试的通知")),
    ("front-matter", "bidi-override-in-title"): lambda n: _notice(n, _title("三亚市人民政府关于\u202e知通的试测\u202c")),
    ("front-matter", "bidi-isolate-in-body"): lambda n: _notice(n, GOOD + "金额\u2067100\u2069元。\n"),
    ("front-matter", "line-separator-in-title"): lambda n: _notice(n, _title("三亚市人民政府\u2028关于测试的通知")),
    ("front-matter", "zero-width-space-as-title"): lambda n: _notice(n, _title("\u200b")),
    ("front-matter", "invalid-utf8-in-front-matter"): lambda n: _notice(
        n, _title("三亚市人民政府关于测试的通知").encode().replace("测试".encode(), b"\xb2\xe2\xca\xd4")),
    ("front-matter", "invalid-utf8-in-body"): lambda n: _notice(n, GOOD.encode() + b"\xff\xfe\xb2\xe2\n"),
    ("front-matter", "gb18030-file"): lambda n: _notice(n, GOOD.encode("gb18030")),
    ("front-matter", "utf16-with-bom"): lambda n: _notice(n, GOOD.encode("utf-16")),
    ("front-matter", "utf8-bom-accepted"): lambda n: _notice(n, b"\xef\xbb\xbf" + GOOD.encode()),
    ("front-matter", "crlf-accepted"): lambda n: _notice(n, GOOD.replace("\n", "\r\n")),
    ("front-matter", "cr-only-accepted"): lambda n: _notice(n, GOOD.replace("\n", "\r")),
    ("front-matter", "crlf-with-error-keeps-line-numbers"): lambda n: _notice(
        n, GOOD.replace("date: 2020-01-08", "date: 2020-02-30").replace("\n", "\r\n")),
    ("front-matter", "disclosure-fullwidth-space-is-not-published"): lambda n: _notice(
        n, GOOD.replace("disclosure: 主动公开", "disclosure: 不予公开\u3000")),
    ("front-matter", "disclosure-quoted-space-is-not-published"): lambda n: _notice(
        n, GOOD.replace("disclosure: 主动公开", 'disclosure: "不予公开 "')),
    ("front-matter", "disclosure-fullwidth-letters-on-request"): lambda n: _notice(
        n, GOOD.replace("disclosure: 主动公开", "disclosure: \u3000依申请公开\u3000")),
    # symbolic links
    ("files", "dangling-symlink"): lambda n: (
        _notice(n, GOOD), _symlink(n / "2020/sanfu-2020-3.md", "sanfu-2020-3-draft.md")),
    ("files", "symlink-to-another-notice"): lambda n: (
        _notice(n, GOOD), _symlink(n / "2020/sanfu-2020-3.md", "sanfu-2020-1.md")),
    ("files", "symlinked-notice-folder"): lambda n: (
        _with_attachment(n, "secret.md"), _secret(n), _symlink(n / "2020/sanfu-2020-1", "sanfu-2020-2")),
    ("files", "symlinked-year-folder"): lambda n: (
        _notice(n, GOOD), _symlink(n / "2021", "2020")),
    ("files", "symlink-out-of-the-repository"): lambda n: (
        _notice(n, GOOD), _symlink(n / "2020/sanfu-2020-3.md", "/etc/passwd")),
    ("attachments", "through-a-symlink"): lambda n: (
        _with_attachment(n, "附件1.md"), _secret(n),
        _symlink(n / "2020/sanfu-2020-1/附件1.md", "../sanfu-2020-2/secret.md")),
    ("attachments", "through-a-symlinked-subfolder"): lambda n: (
        _with_attachment(n, "tables/secret.md"), _secret(n),
        _symlink(n / "2020/sanfu-2020-1/tables", "../sanfu-2020-2")),
    ("attachments", "symlink-to-etc-passwd"): lambda n: (
        _with_attachment(n, "附件1.pdf"), _symlink(n / "2020/sanfu-2020-1/附件1.pdf", "/etc/passwd")),
    # .md attachments with bad bytes
    ("attachments", "md-invalid-utf8"): lambda n: (
        _with_attachment(n, "附件1.md"), _notice(n, "附件正文".encode("gb18030") + b"\n", "2020/sanfu-2020-1/附件1.md")),
    ("attachments", "md-control-character"): lambda n: (
        _with_attachment(n, "附件1.md"), _notice(n, "第一行。\n第二行\x1b[2J。\n", "2020/sanfu-2020-1/附件1.md")),
    ("attachments", "md-nul-byte"): lambda n: (
        _with_attachment(n, "附件1.md"), _notice(n, "第一行。\x00\n", "2020/sanfu-2020-1/附件1.md")),
    ("attachments", "md-utf16"): lambda n: (
        _with_attachment(n, "附件1.md"), _notice(n, "附件正文。\n".encode("utf-16"), "2020/sanfu-2020-1/附件1.md")),
    ("attachments", "md-bidi-override"): lambda n: (
        _with_attachment(n, "附件1.md"), _notice(n, "金额\u202e001\u202c元。\n", "2020/sanfu-2020-1/附件1.md")),
    ("attachments", "md-crlf-accepted"): lambda n: (
        _with_attachment(n, "附件1.md"), _notice(n, "第一行。\r\n第二行。\r\n", "2020/sanfu-2020-1/附件1.md")),
}


def all_cases() -> list[Path]:
    found = {p.parent for p in CASES.glob("*/*/expected.txt")} | {p.parent for p in CASES.glob("*/*/notices")}
    return sorted(found | {CASES / c / n for c, n in GENERATED})


def prepare(case: Path, work: Path) -> Path:
    """Copy (or make) the case's notices/ under work; return work."""
    notices = work / "notices"
    if (case / "notices").is_dir():
        shutil.copytree(case / "notices", notices, symlinks=True)
    else:
        notices.mkdir(parents=True)
    make = GENERATED.get((case.parent.name, case.name))
    if make:
        make(notices)
    return work


@functools.cache
def _load_cli():
    spec = importlib.util.spec_from_file_location("_gazette_build_cli", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(work: Path) -> tuple[int, str, str]:
    """`build.py --notices notices check` in work: (exit status, stdout, stderr).

    In this process by default (the corpus has ~150 cases; a fresh Python for
    each would take most of a minute); CASES_SUBPROCESS=1 runs build.py as a
    separate program instead, exactly as staff do.
    """
    if os.environ.get("CASES_SUBPROCESS"):
        r = subprocess.run([sys.executable, str(ROOT / "build.py"), "--notices", "notices", "check"],
                           cwd=work, capture_output=True, text=True, timeout=120)
        return r.returncode, r.stdout, r.stderr
    cli = _load_cli()
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(work)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["--notices", "notices", "check"])
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def _id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


@pytest.mark.parametrize("case", all_cases(), ids=_id)
def test_case(case: Path, tmp_path: Path):
    assert (case / "expected.txt").is_file(), "no expected.txt: run tests/test_cases.py --update (see tests/cases/README.md)"
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    code, out, err = check(prepare(case, tmp_path))
    assert "Traceback" not in err + out
    if expected.rstrip("\n").endswith("found."):
        assert (code, err) == (1, expected)
        assert out == ""
    else:                       # a case that passes: its warnings (if any), then the success line
        assert (code, err + out) == (0, expected)
        assert all(": warning: " in line for line in err.splitlines())


def _update(words: list[str]) -> None:
    import tempfile

    for case in all_cases():
        if words and not any(w in _id(case) for w in words):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["CASES_SUBPROCESS"] = "1"
            code, out, err = check(prepare(case, Path(tmp)))
        text = err if code else err + out
        old = (case / "expected.txt").read_text(encoding="utf-8") if (case / "expected.txt").exists() else None
        if text != old:
            (case / "expected.txt").write_text(text, encoding="utf-8")
            print(f"{_id(case)}: expected.txt {'written' if old is None else 'CHANGED'} (exit {code})")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--update"]:
        # A new case needs only its folder: notices/, or a line in GENERATED.
        for c, n in GENERATED:
            (CASES / c / n).mkdir(parents=True, exist_ok=True)
        for folder in [CASES / c / n for c, n in GENERATED] + [p.parent for p in CASES.glob("*/*/notices")]:
            (folder / "expected.txt").touch()
        _update(sys.argv[2:])
    else:
        sys.exit(__doc__)
