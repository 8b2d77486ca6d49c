"""Notices that know each other and their time: citations, validity both ways, in force on a day, statistics."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_into, read_page, run_build

from gazette.addresses import unnumbered_slug
from gazette.corpus import load_corpus
from gazette.public import publish
from gazette.statistics import counted, table


def notice(number: str, title: str, date: str, body: str, extra: str = "", disclosure: str = "主动公开",
           issuer: str = "三亚市人民政府") -> str:
    return (f"---\ntitle: {title}\ndoc_number: {number}\nissuers: [{issuer}]\ndate: {date}\n"
            f"disclosure: {disclosure}\n{extra}---\n\n{body}\n")


def write(root: Path, year: int, slug: str, text: str) -> None:
    (root / str(year)).mkdir(parents=True, exist_ok=True)
    (root / str(year) / f"{slug}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A, cited and replaced by B, repealed by C (recorded on A); D cites a number outside the corpus;
    E is 不予公开 and cited by D; F is not yet in force; dates spread over 2019-2021."""
    root = tmp_path_factory.mktemp("relations") / "notices"
    write(root, 2019, "sanfu-2019-1", notice(
        "三府〔2019〕1号", "关于停车收费的通知", "2019-02-01", "本通知（三府〔2019〕1号）自2019年3月1日起施行。",
        "effective: 2019-03-01\nrepealed_by: 三府〔2021〕2号\ncategory: 规范性文件\n"))
    write(root, 2020, "sanfu-2020-5", notice(
        "三府〔2020〕5号", "关于调整停车收费的通知", "2020-06-01",
        "根据《关于停车收费的通知》（三府[2019]1号），经三府〔2019〕1号确定的标准调整如下。",
        "effective: 2020-07-01\nsupersedes: [三府〔2019〕1号]\ncategory: 规范性文件\n"))
    write(root, 2021, "sanfu-2021-2", notice(
        "三府〔2021〕2号", "关于废止部分文件的决定", "2021-02-01", "决定废止《关于停车收费的通知》（三府〔2019〕1号）。",
        "category: 规章\n"))
    write(root, 2021, "sanfu-2021-3", notice(
        "三府〔2021〕3号", "关于公交的通知", "2021-03-01",
        "参照《旧办法》（三府〔2018〕99号）和《内部办法》（三府〔2021〕9号）执行。"))
    write(root, 2021, "sanfu-2021-9", notice(
        "三府〔2021〕9号", "龘靐内部办法", "2021-01-10", "龘靐内部正文。", disclosure="不予公开"))
    # G: no number of its own, cites A (it is listed under A's 被引用 by its title)
    g = unnumbered_slug("三亚市人民政府", dt.date(2021, 6, 1), "停车收费执行情况报告")
    write(root, 2021, g, notice("", "停车收费执行情况报告", "2021-06-01", "执行三府〔2019〕1号的情况如下。")
          .replace("doc_number: \n", ""))
    write(root, 2021, "sanfu-2021-4", notice(
        "三府〔2021〕4号", "关于明年施行的办法", "2021-05-01", "自2022年1月1日起施行。", "effective: 2022-01-01\n"))
    return root


@pytest.fixture(scope="module")
def site(corpus, tmp_path_factory) -> Path:
    return build_into(corpus, tmp_path_factory.mktemp("relations-site") / "site")


A, B, C, D = ("notices/2019/sanfu-2019-1.html", "notices/2020/sanfu-2020-5.html",
              "notices/2021/sanfu-2021-2.html", "notices/2021/sanfu-2021-3.html")


def body_links(site: Path, page: str) -> list[tuple[str, str]]:
    html = (site / page).read_text(encoding="utf-8")
    body = html[html.index('<div class="notice-body">'):html.index("</div>", html.index('<div class="notice-body">'))]
    return re.findall(r'<a class="citation" href="([^"]+)">([^<]+)</a>', body)


def test_cited_numbers_in_the_text_link_to_the_cited_notice(site):
    assert body_links(site, B) == [("../2019/sanfu-2019-1.html", "三府[2019]1号"), ("../2019/sanfu-2019-1.html", "三府〔2019〕1号")]
    assert body_links(site, C) == [("../2019/sanfu-2019-1.html", "三府〔2019〕1号")]
    assert body_links(site, A) == []                        # its own number is not a link
    d = (site / D).read_text(encoding="utf-8")
    assert body_links(site, D) == [] and "（三府〔2018〕99号）" in d    # outside the corpus: text
    assert "（三府〔2021〕9号）" in d and "sanfu-2021-9" not in d          # 不予公开: text, no hint


def test_each_page_lists_what_it_cites_and_what_cites_it(site):
    a = (site / A).read_text(encoding="utf-8")
    b = (site / B).read_text(encoding="utf-8")
    g = unnumbered_slug("三亚市人民政府", dt.date(2021, 6, 1), "停车收费执行情况报告")
    assert ('被引用：</strong><a href="../2021/' + g + '.html">停车收费执行情况报告</a>、'
            '<a href="../2021/sanfu-2021-2.html">三府〔2021〕2号</a>、<a href="../2020/sanfu-2020-5.html">三府〔2020〕5号</a>') in a
    assert "None" not in a
    assert '本文引用：</strong><a href="../2019/sanfu-2019-1.html">三府〔2019〕1号</a>' in b
    assert "本文引用" not in (site / D).read_text(encoding="utf-8")


def test_validity_shows_both_ways_whichever_notice_recorded_it(site):
    a = read_page(site / A)
    html = (site / A).read_text(encoding="utf-8")
    assert "本文件已废止" in html and 'href="../2021/sanfu-2021-2.html">三府〔2021〕2号' in html        # C, recorded on A
    assert "本文件已被" in html and 'href="../2020/sanfu-2020-5.html">三府〔2020〕5号' in html      # B, recorded on B
    assert a.meta["被替代"] == "三府〔2020〕5号" and a.meta["废止文件"] == "三府〔2021〕2号"
    assert read_page(site / C).meta["本文件废止"] == "三府〔2019〕1号"
    assert read_page(site / B).meta["替代文件"] == "三府〔2019〕1号"


def test_status_over_time_comes_from_the_notices_not_from_commits(corpus):
    notices = {str(n.doc_number): n for n in publish(load_corpus(corpus), None).notices}
    a = notices["三府〔2019〕1号"]
    # B replaces A "in whole or in part": A stays in force until C repeals it.
    assert (a.in_force_from, a.in_force_until) == (dt.date(2019, 3, 1), dt.date(2021, 2, 1))
    assert a.status_on(dt.date(2019, 2, 15)) == "尚未施行"
    assert a.status_on(dt.date(2020, 7, 1)) == "现行有效"
    assert a.status_on(dt.date(2021, 2, 1)) == "已废止（自2021年2月1日起）"
    assert notices["三府〔2021〕4号"].status_on(dt.date(2021, 12, 31)) == "尚未施行"


def test_check_warns_of_missing_numbers_and_refuses_a_cycle(tmp_path):
    root = tmp_path / "notices"
    write(root, 2020, "sanfu-2020-1", notice("三府〔2020〕1号", "甲", "2020-01-01", "甲。", "supersedes: [三府〔2020〕2号]\n"))
    write(root, 2020, "sanfu-2020-3", notice("三府〔2020〕3号", "丙", "2020-01-03", "丙。", "supersedes: [三府〔2019〕77号]\n"))
    result = run_build("--notices", str(root), "check", cwd=tmp_path)
    assert result.returncode == 0
    assert "notices/2020/sanfu-2020-1.md:7: supersedes: warning: 三府〔2020〕2号 is not in the corpus, so it cannot be linked" in result.stderr
    write(root, 2020, "sanfu-2020-2", notice("三府〔2020〕2号", "乙", "2020-01-02", "乙。", "supersedes: [三府〔2020〕1号]\n"))
    result = run_build("--notices", str(root), "check", cwd=tmp_path)
    assert result.returncode == 1
    cycle = "notices replace or repeal each other in a circle: 三府〔2020〕1号 → 三府〔2020〕2号 → 三府〔2020〕1号"
    assert f"notices/2020/sanfu-2020-1.md:7: supersedes: {cycle}" in result.stderr
    assert f"notices/2020/sanfu-2020-2.md:7: supersedes: {cycle}" in result.stderr
    assert "sanfu-2020-3.md:7: supersedes: warning: 三府〔2019〕77号" in result.stderr


def test_the_statistics_match_counts_made_by_hand(corpus, site):
    notices = publish(load_corpus(corpus), None).notices
    rows = {r.issuer: r for r in table(counted(notices), 2020)}
    # 2020: B made (规范性文件); nothing repealed (B replaces A only in part); in force on 31 Dec: A and B.
    assert rows["合计"].counts["规范性文件"] == (1, 0, 2)
    assert rows["合计"].counts["规章"] == (0, 0, 0)
    rows = {r.issuer: r for r in table(counted(notices), 2021)}
    # 2021: C (规章), D, F and G (其他文件) made; A repealed by C; E is 不予公开 and not counted; F not yet in force.
    assert rows["合计"].counts["规范性文件"] == (0, 1, 1)
    assert rows["合计"].counts["规章"] == (1, 0, 1)
    assert rows["合计"].counts["其他文件"] == (3, 0, 2)
    assert rows["合计"].disclosure == {"主动公开": 4, "依申请公开": 0}
    page = (site / "statistics/2021.html").read_text(encoding="utf-8")
    assert '<tr class="statistics-total"><th scope="row">合计</th><td>1</td><td>0</td><td>1</td>' in page
    assert "本站不公布不予公开文件的件数" in page and "龘" not in page


def test_counting_withheld_notices_is_a_setting(corpus):
    assert publish(load_corpus(corpus), None).withheld is None
    assert publish(load_corpus(corpus), None, count_withheld=True).withheld == {2021: 1}


def test_a_year_page_filters_to_what_was_in_force_on_a_day(site, page):
    page.goto((site / "years/2021.html").as_uri())
    page.goto((site / "issuers/sanyashirenminzhengfu.html").as_uri())
    day = page.locator("#gz-in-force")
    assert page.locator(".in-force-filter").is_visible()

    def shown():
        return sorted(x.strip() for x in page.locator("ul.notice-list li:not([hidden]) .notice-list-meta").all_inner_texts())

    day.fill("2020-06-30")
    day.dispatch_event("change")
    assert [s.split(" · ")[0] for s in shown()] == ["三府〔2019〕1号"]
    day.fill("2021-03-15")
    day.dispatch_event("change")
    assert [s.split(" · ")[0] for s in shown()] == ["三府〔2020〕5号", "三府〔2021〕2号", "三府〔2021〕3号"]
    assert "本页中2021年3月15日现行有效的文件共3件" in page.locator(".in-force-count").inner_text()
    page.locator(".in-force-filter button").click()
    assert len(shown()) == 6          # A, B, C, D, F and G
    # The notice page restates its status as of today, in the reader's browser.
    page.goto((site / A).as_uri())
    assert page.locator(".validity-status").inner_text() == "已废止（自2021年2月1日起）"
    today = dt.date.today()
    assert page.locator(".validity-asof").inner_text() == f"（截至{today.year}年{today.month}月{today.day}日）"


def test_citations_read_every_spelling_the_parser_reads():
    from gazette.citations import find
    from gazette.docnumber import DocNumber

    known = {DocNumber("三府", 2020, 1), DocNumber("琼〇府", 2020, 2)}
    text = "依据三府〖2020〗1号、三府2020年第1号、三府｛2020｝1号和琼〇府（２０２０）２号；2020年1月不是文号。"
    assert [(text[a:b], n) for a, b, n in find(text, known)] == [
        ("三府〖2020〗1号", DocNumber("三府", 2020, 1)), ("三府2020年第1号", DocNumber("三府", 2020, 1)),
        ("三府｛2020｝1号", DocNumber("三府", 2020, 1)), ("琼〇府（２０２０）２号", DocNumber("琼〇府", 2020, 2)),
    ]


# --- cited numbers: the scan that reads the run backwards from the tail -------------

def _numbers_by_the_plain_pattern(text: str):
    """The rule as one regular expression beginning with the run (the pattern the
    scan in citations.py replaced, for speed): its matches are the reference."""
    import unicodedata

    from gazette import tokens

    s = f"[{tokens.SPACE}]*"
    pattern = re.compile(
        f"([{tokens.HAN}]{{1,12}}){s}(?:[{re.escape(tokens.OPEN)}]{s}([0-9０-９]{{4}}){s}[{re.escape(tokens.CLOSE)}]"
        f"{s}第?{s}([0-9０-９]{{1,6}}){s}(?:号|(?=[)）]))"
        f"|([0-9０-９]{{4}}){s}年{s}第?{s}([0-9０-９]{{1,6}}){s}号)")
    for m in pattern.finditer(text):
        year, serial = (m[2], m[3]) if m[2] else (m[4], m[5])
        yield (m.start(1), m.end(), m[1], int(unicodedata.normalize("NFKC", year)),
               int(unicodedata.normalize("NFKC", serial)))


_PIECES = ["三", "府", "办", "号", "年", "第", "经", "〔", "〕", "[", "]", "（", "）", "(", ")", " ", "　", "\ufeff",
           "2020", "２０１９", "1", "12", "136", "7", "x", "。", "三府办", "民发", "十二个汉字组成的一段很长的前缀",
           "三府〔2020〕1号", "〔2019〕12号", "2020年第3号", "〔2021〕7）"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_cited_numbers_are_found_as_the_plain_pattern_finds_them(text):
    from gazette import citations

    assert list(citations._numbers(text)) == list(_numbers_by_the_plain_pattern(text))


def test_cited_numbers_in_running_text():
    from gazette import citations
    from gazette.docnumber import DocNumber

    text = "经三府〔2020〕1号批准，依据（三府办〔2017〕136）和民发2020年第14号，以及2020年1月的通知。"
    assert [str(n) for n in citations.every(text)][:2] == ["经三府〔2020〕1号", "三府〔2020〕1号"]
    known = {DocNumber("三府", 2020, 1), DocNumber("三府办", 2017, 136), DocNumber("民发", 2020, 14)}
    found = citations.find(text, known)
    assert [(text[a:b], str(n)) for a, b, n in found] == [
        ("三府〔2020〕1号", "三府〔2020〕1号"), ("三府办〔2017〕136", "三府办〔2017〕136号"),
        ("民发2020年第14号", "民发〔2020〕14号")]
