"""`build.py check`: every problem, with file, line, field, in plain words."""

from pathlib import Path

from conftest import ROOTS, run_build

from gazette.corpus import load_corpus
from gazette.problems import CorpusError


def test_check_lists_every_mistake_with_file_line_and_field():
    """The exact wording is part of the interface (tests/roots/errors/expected.txt)."""
    result = run_build("--notices", "tests/roots/errors/notices", "check")
    expected = (ROOTS / "errors" / "expected.txt").read_text(encoding="utf-8")
    assert result.returncode == 1
    assert result.stderr == expected
    assert "Traceback" not in result.stderr


def test_each_kind_of_mistake_is_named():
    result = run_build("--notices", "tests/roots/errors/notices", "check")
    lines = result.stderr.splitlines()
    for needle in [
        "typo-key.md:6: dosclosure: unknown field; did you mean disclosure?",
        "impossible-date.md:5: date: expected a real date as YYYY-MM-DD, got 2020-02-30",
        "published-early.md:6: published: expected a date on or after the date 2020-03-10, got 2020-03-01",
        "no-issuer.md:4: issuers: expected at least 1 in the list, got an empty list",
        "bad-disclosure.md:6: disclosure: expected one of 主动公开、依申请公开、不予公开, got 公开",
        "repealed.md:7: validity: 废止 needs repealed_on",
        "duplicate-b.md:3: doc_number: the document number 三府〔2020〕7号 is already used by tests/roots/errors/notices/2020/duplicate-a.md",
        "duplicate-b.md:4: index_no: the index number 00812345-0-2020-00007 is already used by",
        "broken-yaml.md:3: front-matter: the fields cannot be read",
        "wrong-year.md:5: date: the notice is dated 2019 but filed under 2020/",
    ]:
        assert any(needle in line for line in lines), needle
    assert lines[-1] == "18 problems found."


def test_check_passes_on_the_bundled_corpus():
    result = run_build("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "11 notices checked, no problems (11 will be published).\n"


def _write(tmp_path: Path, text: str, name: str = "x.md", year: str = "2020") -> Path:
    folder = tmp_path / "notices" / year
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return tmp_path / "notices"


GOOD = """---
title: 测试通知
doc_number: 三府〔2020〕1号
issuers: [三亚市人民政府]
date: 2020-01-01
disclosure: 主动公开
---

正文。
"""


def _problems(notices: Path) -> list[str]:
    try:
        load_corpus(notices, root=notices.parent)
    except CorpusError as e:
        return [str(p) for p in e.problems]
    return []


def test_a_good_notice_has_no_problems(tmp_path):
    assert _problems(_write(tmp_path, GOOD)) == []


def test_a_field_written_twice_is_not_silently_dropped(tmp_path):
    text = GOOD.replace("date: 2020-01-01\n", "date: 2020-01-01\ndate: 2020-01-02\n")
    assert _problems(_write(tmp_path, text)) == [
        "notices/2020/x.md:6: date: appears twice (first on line 5)",
    ]


def test_unknown_keys_inside_an_attachment_are_errors(tmp_path):
    text = GOOD.replace("---\n\n", "attachments:\n  - title: 附件\n    omited: true\n---\n\n", 1)
    text = text.replace("---\n", "---\n", 1)
    problems = _problems(_write(tmp_path, text))
    assert "notices/2020/x.md:9: attachments.omited: unknown key; expected one of title、file、omitted" in problems


def test_file_names_must_be_stable_ascii_addresses(tmp_path):
    problems = _problems(_write(tmp_path, GOOD, name="自来水通知.md"))
    assert problems == [
        "notices/2020/自来水通知.md:1: file: expected a file name of lower-case letters, digits and hyphens (such as sanfu-2020-124.md), got 自来水通知.md",
    ]


def test_a_file_outside_a_year_folder_is_named(tmp_path):
    notices = _write(tmp_path, GOOD)
    (notices / "stray.md").write_text(GOOD, encoding="utf-8")
    assert _problems(notices) == [
        "notices/stray.md:1: file: expected notices/<year>/<name>.md; move the file into its year's folder",
    ]


def test_text_that_is_not_utf8_is_named(tmp_path):
    notices = _write(tmp_path, GOOD)
    (notices / "2020" / "x.md").write_bytes(GOOD.encode("gb18030"))
    assert _problems(notices) == ["notices/2020/x.md:2: file: expected UTF-8 text; save the file as UTF-8"]


def test_repealed_needs_date_or_number(tmp_path):
    text = GOOD.replace("disclosure: 主动公开\n", "disclosure: 主动公开\nvalidity: 废止\nrepealed_by: 三府〔2021〕3号\n")
    assert _problems(_write(tmp_path, text)) == []


def test_check_never_shows_a_traceback_for_a_missing_folder(tmp_path):
    result = run_build("--notices", str(tmp_path / "nowhere"), "check")
    assert result.returncode == 1
    assert "the folder does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_attachment_lives_in_its_notices_own_folder(tmp_path):
    text = GOOD.replace("---\n\n", "attachments:\n  - title: 附表\n    file: table.md\n---\n\n", 1)
    notices = _write(tmp_path, text)
    (notices / "2020" / "x").mkdir()
    (notices / "2020" / "x" / "table.md").write_text("| 项目 | 金额 |\n|---|---|\n| 甲 | 1 |\n", encoding="utf-8")
    assert _problems(notices) == []
    assert [n.slug for n in load_corpus(notices, root=tmp_path).notices] == ["x"]


def test_an_attachment_saved_beside_its_notice_is_named_not_guessed(tmp_path):
    text = GOOD.replace("---\n\n", "attachments:\n  - title: 附表\n    file: x-table.pdf\n---\n\n", 1)
    notices = _write(tmp_path, text)
    (notices / "2020" / "x-table.pdf").write_bytes(b"%PDF-1.4")
    assert _problems(notices) == [
        "notices/2020/x-table.pdf:1: file: expected only notices (.md) in a year folder; an attachment goes in the folder of its notice, notices/2020/<name>/",
        "notices/2020/x.md:8: attachments[1]: file x-table.pdf does not exist in x/",
    ]


def test_an_unwritable_site_folder_is_an_error_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_build("--notices", "tests/roots/basic/notices", "build", "--site-dir", str(blocker / "site"))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: cannot write the site next to")
    assert "Traceback" not in result.stderr


def test_the_one_pass_cycle_test_agrees_with_looking_from_every_number():
    """corpus._acyclic() decides whether the check looks for circles at all:
    on made-up graphs it must agree with _cycle() tried from every node."""
    import random

    from gazette.corpus import _acyclic, _cycle

    rng = random.Random(7)
    kinds = set()
    for _ in range(2000):
        nodes = range(rng.randrange(1, 9))
        edges = {n: {rng.choice(nodes) for _ in range(rng.randrange(0, 3))} for n in nodes if rng.random() < 0.8}
        slow = not any(_cycle(s, edges, [s], {s}) for s in edges)
        assert _acyclic(edges) == slow, edges
        kinds.add(slow)
    assert kinds == {True, False}
