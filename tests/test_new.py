"""`build.py new`: a notice at its address from flags or answers, never over another."""

from __future__ import annotations

import builtins
import sys

import pytest
from test_intake import ROOT, run

from gazette.notice import read_fields

FLAGS = ["--title", "三亚市民政局关于开展测试工作的通知", "--number", "三民字[2021]3号", "--issuers", "三亚市民政局",
         "--date", "2021年3月5日", "--disclosure", "主动公开"]


def test_every_flag_given_and_no_terminal(tmp_path):
    notices = tmp_path / "notices"
    code, out, err = run("--notices", str(notices), "new", *FLAGS)
    assert (code, err) == (0, "")
    path = notices / "2021" / "sanminzi-2021-3.md"
    assert out == f"{path}\n"
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        "title: 三亚市民政局关于开展测试工作的通知\n"
        "doc_number: 三民字〔2021〕3号\n"
        "issuers: [三亚市民政局]\n"
        "date: 2021-03-05\n"
        "disclosure: 主动公开\n"
        "---\n"
        "\n"
    )
    assert run("--notices", str(notices), "check")[0] == 0


def test_new_never_overwrites(tmp_path):
    notices = tmp_path / "notices"
    assert run("--notices", str(notices), "new", *FLAGS)[0] == 0
    path = notices / "2021" / "sanminzi-2021-3.md"
    path.write_text(path.read_text(encoding="utf-8") + "正文已写好。\n", encoding="utf-8")
    code, out, err = run("--notices", str(notices), "new", *FLAGS)
    assert code == 1
    assert err == f"file: {path} already exists; use --force to replace it\nNothing was written.\n" or \
        "already exists" in err
    assert path.read_text(encoding="utf-8").endswith("正文已写好。\n")


def test_a_number_used_by_another_file_is_refused(tmp_path):
    notices = tmp_path / "notices"
    assert run("--notices", str(notices), "new", *FLAGS)[0] == 0
    (notices / "2021" / "sanminzi-2021-3.md").rename(notices / "2021" / "moved.md")
    code, out, err = run("--notices", str(notices), "new", *FLAGS)
    assert code == 1
    assert "doc_number: 三民字〔2021〕3号 is already used by" in err and "moved.md" in err
    assert not (notices / "2021" / "sanminzi-2021-3.md").exists()


def test_without_a_terminal_each_missing_field_is_named(tmp_path):
    code, out, err = run("--notices", str(tmp_path / "notices"), "new", "--title", "测试", "--date", "2021-02-30")
    assert code == 1
    assert err == "--date: date: expected a real date as YYYY-MM-DD, got 2021-02-30\n"
    code, out, err = run("--notices", str(tmp_path / "notices"), "new", "--title", "测试")
    assert code == 1
    assert err == ("issuers: is required; give it with --issuers\n"
                   "date: is required; give it with --date\n"
                   "disclosure: is required; give it with --disclosure\n"
                   "Nothing was written.\n")
    assert not (tmp_path / "notices").exists()


def test_a_notice_without_a_number_gets_its_address_from_issuer_date_and_title(tmp_path):
    notices = tmp_path / "notices"
    code, out, err = run("--notices", str(notices), "new", "--title", "三亚市民政局2020年工作总结",
                         "--issuers", "三亚市民政局", "--date", "2020-12-31", "--disclosure", "主动公开")
    assert code == 0, err
    assert out.strip().endswith("2020/sanyashiminzhengju-20201231-2020niangongzuozongjie.md")


def test_interactively_it_asks_again_until_an_answer_is_valid(tmp_path, monkeypatch, capsys):
    answers = iter(["三亚市民政厅关于开展测试工作的通知", "三民字〔2021〕4号", "三亚市民政厅",
                    "2021-13-01", "2021年3月6日", "公开", "1"])
    asked = []

    def answer(question):
        asked.append(question)
        return next(answers)

    monkeypatch.setattr(builtins, "input", answer)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    notices = tmp_path / "notices"
    # The bundled corpus beside it, so that the clerk's checks have names to compare.
    import shutil

    shutil.copytree(ROOT / "notices", notices)
    code, out, err = run("--notices", str(notices), "new")
    assert code == 0, err
    assert [q.split(" ")[0] for q in asked] == ["标题", "发文字号", "发文机关", "成文日期", "成文日期", "公开方式", "公开方式"]
    assert "date: expected a real date as YYYY-MM-DD, got 2021-13-01" in out
    assert "disclosure: expected one of 主动公开、依申请公开、不予公开, got 公开" in out
    parsed = read_fields((notices / "2021" / "sanminzi-2021-4.md").read_text(encoding="utf-8"), "x")
    assert parsed.values["disclosure"] == "主动公开" and str(parsed.values["date"]) == "2021-03-06"
    # The clerk hears at once that this issuer is spelt as no other notice spells it.
    assert "issuers: warning: 三亚市民政厅 is used by no other notice; did you mean 三亚市民政局 (used by 2)? [W103]" in err


def _help() -> str:
    import contextlib
    import io

    from test_intake import BUILD

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        BUILD.main(["new", "--help"])
    return out.getvalue()


@pytest.mark.parametrize("flag", ["--doc-number", "--number"])
def test_the_flags_come_from_the_field_table(flag):
    out = _help()
    for label in ("标题", "发文字号", "发文机关", "成文日期", "公开方式", "主题分类", "施行日期"):
        assert label in out
    assert flag in out
