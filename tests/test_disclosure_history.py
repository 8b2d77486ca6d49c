"""Canaries over git history: what was never public never reaches any output.

Each scenario makes a git repository with dated commits, builds the site from
it, and then reads EVERY byte of EVERY output file (conftest.readable_text:
\\uXXXX escapes, HTML entities and gzip decoded) for canaries: unique strings
placed in non-public titles, bodies, attachment texts, commit subjects, author
names, commit ids and dates.  Canaries are written with characters no public
text uses (龘 靐 齉 爩), so that a search index holding single characters or
pairs of characters of a secret text is caught too.

The builds of all scenarios run once, two at a time, in a module fixture; each
scenario is still its own test.
"""

from __future__ import annotations

import hashlib
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from conftest import read_page, readable_text, run_build

RARE = "龘靐齉爩"
TEXT_SUFFIXES = {".html", ".js", ".json", ".xml", ".css", ".txt", ".gz", ".map", ".md", ""}
PUBLIC_AUTHOR = "公开书记员"


# --- making repositories ---------------------------------------------------------

def git(repo: Path, *args: str, date: str = "2020-01-02T10:00:00+08:00", author: str = PUBLIC_AUTHOR) -> str:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin",
           "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["git", "-c", f"user.name={author}", "-c", "user.email=clerk@example.org",
                             "-C", str(repo), *args], check=True, capture_output=True, env=env, text=True)
    return result.stdout


def commit(repo: Path, subject: str, day: str, author: str = PUBLIC_AUTHOR) -> str:
    """Commit everything on 2020-01-<day>; return the commit id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", subject, date=f"2020-01-{day}T10:00:00+08:00", author=author)
    return git(repo, "rev-parse", "HEAD").strip()


def notice(title: str, disclosure: str, body: str, number: str = "三府〔2020〕1号", extra: str = "",
           issuer: str = "三亚市人民政府", date: str = "2020-01-02") -> str:
    return (f"---\ntitle: {title}\ndoc_number: {number}\nissuers: [{issuer}]\n"
            f"date: {date}\ndisclosure: {disclosure}\n{extra}---\n\n{body}\n")


def write(repo: Path, rel: str, text: str | bytes) -> Path:
    path = repo / "notices" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def secret_commit(sha: str, day: str) -> list[str]:
    """What a non-public commit leaves behind if it leaks: its ids and its date."""
    return [sha, sha[:7], f"2020年1月{int(day)}日", f"2020-01-{day}"]


PUBLIC = "三亚市人民政府关于公开事项的通知"
PAGE = "notices/2020/sanfu-2020-1.html"


@dataclass
class Scenario:
    canaries: list[str]
    check: Callable[[Path], None] = lambda site: None
    fails_check: bool = False           # the corpus must be refused: no site at all


def _revisions(site: Path, page: str = PAGE) -> list[tuple[str, str, str]]:
    """(date, kind, subject) of each revision shown on a notice page, newest first."""
    import re

    html = (site / page).read_text(encoding="utf-8")
    html = html[html.index('id="history"'):]
    return re.findall(r'<span class="history-date">(.*?)</span> <span class="history-kind">(.*?)</span>'
                      r'.*?<span class="history-subject">(.*?)</span>', html, re.S)


def _changes(site: Path) -> list[tuple[str, str]]:
    """(date, kind) of each row of 最近更新."""
    import re

    html = (site / "changes.html").read_text(encoding="utf-8")
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", html)


# --- the scenarios ----------------------------------------------------------------

def secret_then_public(repo: Path, spelling: str) -> Scenario:
    """不予公开, corrected while still 不予公开, then 主动公开 with a new title."""
    write(repo, "2020/sanfu-2020-1.md", notice("龘靐保密标题甲", spelling, "龘靐保密正文甲。"))
    a = commit(repo, "龘靐说明甲", "05", "龘作者甲")
    write(repo, "2020/sanfu-2020-1.md", notice("龘靐保密标题乙", spelling, "龘靐保密正文乙。"))
    b = commit(repo, "龘靐说明乙", "06", "靐作者乙")
    write(repo, "2020/sanfu-2020-1.md", notice(PUBLIC, "主动公开", "公开正文。"))
    commit(repo, "公开发布通知", "20")

    def check(site):
        assert _revisions(site) == [("2020年1月20日", "收录", "收录到本站")]
        assert _changes(site) == [("2020年1月20日", "新增")]
        assert read_page(site / PAGE).h1 == PUBLIC

    return Scenario(["龘靐说明甲", "龘靐说明乙", "龘作者甲", "靐作者乙", "龘靐保密标题", "龘靐保密正文",
                     *secret_commit(a, "05"), *secret_commit(b, "06")], check)


def secret_renamed_into_public(repo: Path) -> Scenario:
    """A 不予公开 notice deleted and a public one added in one commit: git sees a rename."""
    shared = "\n\n".join(f"第{i}条 停车场管理的一般规定，适用于本市行政区域内的公共停车场。" for i in range(1, 13))
    write(repo, "2020/sanfu-2020-8.md", notice("龘靐改名前标题", "不予公开", shared + "\n\n龘靐改名前正文。",
                                               number="三府〔2020〕8号"))
    a = commit(repo, "龘靐改名前说明", "05", "龘作者丙")
    (repo / "notices/2020/sanfu-2020-8.md").unlink()
    write(repo, "2020/sanfu-2020-1.md", notice(PUBLIC, "主动公开", shared))
    commit(repo, "公开发布通知", "20")
    status = git(repo, "show", "--name-status", "-M", "--format=", "HEAD")
    assert status.startswith("R"), status            # the premise: git follows it as a rename

    def check(site):
        assert _revisions(site) == [("2020年1月20日", "收录", "收录到本站")]
        assert _changes(site) == [("2020年1月20日", "新增")]

    return Scenario(["龘靐改名前说明", "龘作者丙", "龘靐改名前标题", "龘靐改名前正文", "sanfu-2020-8",
                     "三府〔2020〕8号", *secret_commit(a, "05")], check)


def on_request(repo: Path) -> Scenario:
    """依申请公开: the metadata table only; body, attachments, cc, contact, errata never."""
    extra = ("cc: 龘靐抄送机关\nprinted_by: 龘靐印发机关\nprinted_on: 2020-01-03\n"
             "contact: {name: 龘靐联系人, phone: '0898-龘靐'}\n"
             "errata:\n  - {date: 2020-01-04, note: 龘靐勘误说明}\n"
             "attachments:\n  - title: 龘靐附件标题一\n    file: fujian.md\n"
             "  - title: 龘靐附件标题二\n    file: fujian.pdf\n  - title: 龘靐附件标题三\n    omitted: true\n")
    title = "三亚市民政局关于依申请公开事项的通知"
    write(repo, "2020/sanfu-2020-1.md", notice(title, "依申请公开", "龘靐依申请正文一。", extra=extra))
    write(repo, "2020/sanfu-2020-1/fujian.md", "龘靐附件正文一。\n")
    pdf = write(repo, "2020/sanfu-2020-1/fujian.pdf", "%PDF-1.4\n龘靐附件文件\n")
    commit(repo, "新增依申请公开文件", "05")
    old = [p.read_bytes() for p in (repo / "notices/2020/sanfu-2020-1.md", repo / "notices/2020/sanfu-2020-1/fujian.md")]
    write(repo, "2020/sanfu-2020-1.md", notice(title, "依申请公开", "龘靐依申请正文二。", extra=extra.replace("抄送机关", "抄送机关二")))
    write(repo, "2020/sanfu-2020-1/fujian.md", "龘靐附件正文二。\n")
    commit(repo, "更正依申请公开文件", "06")
    sources = old + [p.read_bytes() for p in (repo / "notices/2020/sanfu-2020-1.md",
                                              repo / "notices/2020/sanfu-2020-1/fujian.md", pdf)]
    hashes = [h for data in sources for h in (hashlib.sha256(data).hexdigest(),
              hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest())]

    def check(site):
        assert read_page(site / PAGE).h1 == title
        assert [k for _, k, _ in _revisions(site)] == ["修订", "收录"]
        assert not (site / "files").exists() or not any((site / "files").rglob("*"))
        assert "diff-text" not in (site / PAGE).read_text(encoding="utf-8")

    return Scenario(["龘靐依申请正文", "龘靐附件正文", "龘靐附件文件", "龘靐附件标题", "龘靐抄送", "龘靐印发",
                     "龘靐联系人", "龘靐勘误", "fujian", *hashes], check)


def attachment_in_secret_folder(repo: Path, file: str) -> Scenario:
    """A public notice names, as its attachment, a file of a 不予公开 notice: refused by check."""
    write(repo, "2020/sanfu-2020-9.md", notice("龘靐保密通知", "不予公开", "龘靐保密正文。", number="三府〔2020〕9号",
                                               extra="attachments:\n  - title: 名单\n    file: secret.md\n"))
    write(repo, "2020/sanfu-2020-9/secret.md", "龘靐保密附件。\n")
    write(repo, "2020/sanfu-2020-1.md", notice(PUBLIC, "主动公开", "公开正文。",
                                               extra=f"attachments:\n  - title: 附件\n    file: {file}\n"))
    commit(repo, "新增", "05")
    return Scenario(["龘靐"], fails_check=True)


def public_secret_public(repo: Path) -> Scenario:
    """主动公开, then 不予公开 for two commits, then 主动公开 again."""
    write(repo, "2020/sanfu-2020-1.md", notice(PUBLIC, "主动公开", "公开正文。"))
    commit(repo, "首次公开", "03")
    write(repo, "2020/sanfu-2020-1.md", notice("龘靐撤回期间标题", "不予公开", "公开正文。\n\n龘靐撤回期间正文甲。"))
    a = commit(repo, "龘靐撤回说明甲", "05", "龘作者甲")
    write(repo, "2020/sanfu-2020-1.md", notice("龘靐撤回期间标题", "不予公开", "公开正文。\n\n龘靐撤回期间正文乙。"))
    b = commit(repo, "龘靐撤回说明乙", "06", "靐作者乙")
    write(repo, "2020/sanfu-2020-1.md", notice(PUBLIC, "主动公开", "公开正文。\n\n重新公开后补充。"))
    commit(repo, "重新公开", "20")

    def check(site):
        assert _revisions(site) == [("2020年1月20日", "修订", "重新公开"), ("2020年1月3日", "收录", "收录到本站")]
        assert _changes(site) == [("2020年1月20日", "修订"), ("2020年1月3日", "新增")]
        assert "<ins>重新公开后补充。</ins>" in (site / PAGE).read_text(encoding="utf-8")

    return Scenario(["龘靐撤回说明", "龘作者甲", "靐作者乙", "龘靐撤回期间",
                     *secret_commit(a, "05"), *secret_commit(b, "06")], check)


def unreadable_past_revision(repo: Path, breakage: tuple[str, str]) -> Scenario:
    """A past revision whose fields cannot be read counts as 不予公开."""
    good = notice(PUBLIC, "主动公开", "公开正文。")
    write(repo, "2020/sanfu-2020-1.md", good)
    commit(repo, "首次公开", "03")
    broken = notice("龘靐损坏期间标题", "主动公开", "公开正文。\n\n龘靐损坏期间正文。").replace(*breakage)
    assert broken != notice("龘靐损坏期间标题", "主动公开", "公开正文。\n\n龘靐损坏期间正文。")
    write(repo, "2020/sanfu-2020-1.md", broken)
    a = commit(repo, "龘靐损坏说明", "05", "龘作者丙")
    write(repo, "2020/sanfu-2020-1.md", good.replace("公开正文。", "公开正文（修订）。"))
    commit(repo, "修复格式", "20")

    def check(site):
        assert _revisions(site) == [("2020年1月20日", "修订", "修复格式"), ("2020年1月3日", "收录", "收录到本站")]

    return Scenario(["龘靐损坏", "龘作者丙", *secret_commit(a, "05")], check)


def secret_replaces_public(repo: Path, how: str) -> Scenario:
    """A 不予公开 notice that supersedes, or repeals, a public one."""
    secret = "三府〔2020〕9号"
    extra = f"validity: 废止\nrepealed_by: {secret}\nrepealed_on: 2020-01-10\n" if how == "repealed_by" else ""
    write(repo, "2020/sanfu-2020-1.md", notice(PUBLIC, "主动公开", "公开正文。", extra=extra))
    write(repo, "2020/sanfu-2020-9.md", notice("龘靐替代文件标题", "不予公开", "龘靐替代文件正文。", number=secret,
                                               extra=f"supersedes: [三府〔2020〕1号]\n" if how == "supersedes" else ""))
    commit(repo, "新增两件文件", "05")

    def check(site):
        page = read_page(site / PAGE)
        assert "被替代" not in page.meta
        assert not any("sanfu-2020-9" in link for link in page.links)
        assert "全部或部分替代" not in (site / PAGE).read_text(encoding="utf-8")

    return Scenario(["龘靐替代文件", secret, "三府[2020]9号", "sanfu-2020-9", "2020〕9"], check)


def secret_now(repo: Path, spelling: str) -> Scenario:
    """不予公开 in the working tree, spelt with a trailing space: accepted, and nothing of it built.

    Not its page, its issuer, topic, series or year index, nor a count.
    """
    write(repo, "2018/longfu-2018-1.md", notice(
        "龘靐现行保密标题", spelling, "龘靐现行保密正文。", number="龘府〔2018〕1号", issuer="龘靐保密机关",
        date="2018-05-05", extra="topics: [龘靐保密主题]\n"))
    write(repo, "2020/sanfu-2020-2.md", notice(PUBLIC, "主动公开", "公开正文。", number="三府〔2020〕2号"))
    commit(repo, "新增两件文件", "05")

    def check(site):
        result = run_build("--notices", "notices", "check", cwd=site.parent / "repo")
        assert (result.returncode, result.stdout) == (0, "2 notices checked, no problems (1 will be published).\n")
        assert sorted(p.relative_to(site).as_posix() for p in (site / "notices").rglob("*.html")) == [
            "notices/2020/sanfu-2020-2.html"]
        assert not (site / "years/2018.html").exists()
        assert "2018" not in readable_text(site / "years/index.html") + readable_text(site / "index.html")
        assert "共收录文件 <strong>1</strong> 件，发文机关 <strong>1</strong> 个" in readable_text(site / "index.html")
        assert _changes(site) == [("2020年1月5日", "新增")]

    return Scenario(["龘靐", "longfu", "2018-1"], check)


def attachment_moved_from_secret_notice(repo: Path) -> Scenario:
    """An attachment file that belonged to a 不予公开 notice is moved to a public one.

    Its history before the move is the secret notice's history: the public
    notice must not show the commits that changed it there, nor its text then.
    """
    shared = "\n".join(f"{i}. 公共停车场收费标准第{i}项，按小时计费。" for i in range(1, 13))
    write(repo, "2020/sanfu-2020-1.md", notice(PUBLIC, "主动公开", "公开正文。"))
    write(repo, "2020/sanfu-2020-9.md", notice("龘靐保密通知", "不予公开", "龘靐保密正文。", number="三府〔2020〕9号",
                                               extra="attachments:\n  - title: 龘靐附件\n    file: biao.md\n"))
    write(repo, "2020/sanfu-2020-9/biao.md", shared + "\n龘靐保密附件一。\n")
    commit(repo, "新增停车收费通知", "03")
    write(repo, "2020/sanfu-2020-9/biao.md", shared + "\n龘靐保密附件二。\n")
    a = commit(repo, "龘靐修改保密附件", "05", "龘作者戊")
    (repo / "notices/2020/sanfu-2020-9/biao.md").unlink()
    (repo / "notices/2020/sanfu-2020-9.md").write_text(
        notice("龘靐保密通知", "不予公开", "龘靐保密正文。", number="三府〔2020〕9号"), encoding="utf-8")
    write(repo, "2020/sanfu-2020-1/biao.md", shared + "\n")
    write(repo, "2020/sanfu-2020-1.md", notice(PUBLIC, "主动公开", "公开正文。",
                                               extra="attachments:\n  - title: 收费标准表\n    file: biao.md\n"))
    commit(repo, "增加收费标准表", "20")
    status = git(repo, "show", "--name-status", "-M", "--format=", "HEAD")
    assert "R" in status and "sanfu-2020-1/biao.md" in status, status      # the premise: a rename

    def check(site):
        assert _revisions(site) == [("2020年1月20日", "修订", "增加收费标准表"), ("2020年1月3日", "收录", "收录到本站")]

    return Scenario(["龘靐", "龘作者戊", *secret_commit(a, "05")], check)


SCENARIOS: dict[str, Callable[[Path], Scenario]] = {
    "secret-now-fullwidth-space": lambda r: secret_now(r, "不予公开\u3000"),
    "secret-now-quoted-space": lambda r: secret_now(r, '"不予公开 "'),
    "secret-then-public": lambda r: secret_then_public(r, "不予公开"),
    "secret-fullwidth-space-then-public": lambda r: secret_then_public(r, "不予公开\u3000"),
    "secret-quoted-space-then-public": lambda r: secret_then_public(r, '"不予公开 "'),
    "secret-deleted-public-added-rename": secret_renamed_into_public,
    "on-request-body-and-attachments": on_request,
    "attachment-into-secret-folder-dotdot": lambda r: attachment_in_secret_folder(r, "../sanfu-2020-9/secret.md"),
    "attachment-into-secret-folder-by-own-prefix": lambda r: attachment_in_secret_folder(
        r, "sanfu-2020-1/../sanfu-2020-9/secret.md"),
    "attachment-is-secret-notice-file": lambda r: attachment_in_secret_folder(r, "../sanfu-2020-9.md"),
    "public-secret-secret-public": public_secret_public,
    "unreadable-past-revision-broken-yaml": lambda r: unreadable_past_revision(
        r, ("issuers: [三亚市人民政府]", "issuers [三亚市人民政府")),
    "unreadable-past-revision-bad-disclosure": lambda r: unreadable_past_revision(
        r, ("disclosure: 主动公开", "disclosure: [主动公开")),
    "unreadable-past-revision-unknown-disclosure": lambda r: unreadable_past_revision(
        r, ("disclosure: 主动公开", "disclosure: 主动公开公开")),
    "moved-attachment-from-secret-notice": attachment_moved_from_secret_notice,
    "secret-supersedes-public": lambda r: secret_replaces_public(r, "supersedes"),
    "secret-repeals-public": lambda r: secret_replaces_public(r, "repealed_by"),
}


@dataclass
class Built:
    scenario: Scenario
    repo: Path
    site: Path
    build: subprocess.CompletedProcess
    check: subprocess.CompletedProcess | None = None


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Built]:
    """Every scenario's repository, built two at a time (there are two cores)."""
    jobs = {}
    for name, make in SCENARIOS.items():
        repo = tmp_path_factory.mktemp(name) / "repo"
        (repo / "notices").mkdir(parents=True)
        git(repo, "init", "-q", "-b", "main")
        jobs[name] = (make(repo), repo)

    def run(name: str) -> Built:
        scenario, repo = jobs[name]
        site = repo.parent / "site"
        # From the repository, so that problems name notices/2020/x.md as a clerk sees them.
        result = run_build("--notices", "notices", "build", "--site-dir", str(site), cwd=repo)
        check = run_build("--notices", "notices", "check", cwd=repo) if scenario.fails_check else None
        return Built(scenario, repo, site, result, check)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(jobs, pool.map(run, jobs)))


def leaks(site: Path, canaries: list[str]) -> list[str]:
    """Every (file, canary) where a canary can be read in the built site."""
    found = []
    files = [p for p in sorted(site.rglob("*")) if p.is_file()]
    assert any(p.name == "manifest.json" for p in files) and any("search-index" in p.parts for p in files)
    for path in files:
        text = readable_text(path)
        rel = path.relative_to(site).as_posix()
        found += [f"{rel}: {c}" for c in canaries if c in text]
        if path.suffix in TEXT_SUFFIXES:
            found += [f"{rel}: the character {ch}" for ch in RARE if ch in text]
    return found


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_no_canary_reaches_any_output(built, name):
    b = built[name]
    if b.scenario.fails_check:
        assert b.build.returncode == 1 and not b.site.exists(), b.build.stdout
        return
    assert b.build.returncode == 0, b.build.stderr
    assert leaks(b.site, b.scenario.canaries) == []
    b.scenario.check(b.site)


@pytest.mark.parametrize("name", [n for n in SCENARIOS if n.startswith("attachment")])
def test_an_attachment_of_a_secret_notice_is_refused_with_file_and_line(built, name):
    b = built[name]
    assert b.check.returncode == 1 and b.build.returncode == 1
    assert "Traceback" not in b.check.stderr + b.build.stderr
    file = (b.repo / "notices/2020/sanfu-2020-1.md").read_text(encoding="utf-8").split("file: ")[1].split("\n")[0]
    line = (f"notices/2020/sanfu-2020-1.md:8: attachments[1]: expected a file inside this notice's own folder "
            f"sanfu-2020-1/ (such as sanfu-2020-1/attachment-1.md), got {file}")
    assert b.check.stderr == f"{line}\n1 problem found.\n"
    assert b.build.stderr.startswith(f"{line}\n1 problem found.\n")
    assert "龘" not in b.check.stderr + b.build.stderr          # the message quotes no secret text
