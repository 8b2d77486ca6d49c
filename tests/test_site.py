"""The built site, end to end, on the sample corpus in tests/roots/basic."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOTS, copy_project, digests, read_page, readable_text, run_build

NOTICES = ROOTS / "basic" / "notices"


def test_every_public_and_on_request_notice_has_its_page(basic_site):
    pages = sorted(p.relative_to(basic_site).as_posix() for p in (basic_site / "notices").rglob("*.html"))
    assert pages == [
        "notices/2019/sanfu-2019-10.html",
        "notices/2019/sanfu-2019-9.html",
        "notices/2020/sanfu-2020-10.html",
        "notices/2020/sanminzi-2020-5.html",
    ]


def test_notice_page_has_the_metadata_table(basic_site):
    page = read_page(basic_site / "notices/2020/sanfu-2020-10.html")
    assert page.h1 == "三亚市人民政府 三亚市财政局关于停车收费标准的通知"
    # Status as of the build date (the commit's date); the browser restates it as of today.
    assert re.fullmatch(r"现行有效（截至\d{4}年\d{1,2}月\d{1,2}日）", page.meta.pop("效力状态"))
    assert page.meta == {
        "索引号": "—",
        "主题分类": "交通、财政",
        "发文机关": "三亚市人民政府、三亚市财政局",
        "成文日期": "2020年2月15日",
        "标题": "三亚市人民政府 三亚市财政局关于停车收费标准的通知",
        "发文字号": "三府〔2020〕10号",
        "发布日期": "2020年2月15日",
        "有效性": "有效",
        "公开方式": "主动公开",
        "主送机关": "各区人民政府，市政府直属各单位",
        "施行日期": "2020年3月1日",
        "替代文件": "三府〔2019〕9号",
        "本文件废止": "三府〔2019〕9号",       # recorded on 三府〔2019〕9号 as repealed_by
    }


def test_notice_page_renders_signature_attachments_and_imprint_from_metadata(basic_site):
    html = (basic_site / "notices/2020/sanfu-2020-10.html").read_text(encoding="utf-8")
    signature = re.search(r'<div class="notice-signature">(.*?)</div>', html, re.S)[1]
    assert re.findall(r"<p[^>]*>(.*?)</p>", signature) == ["三亚市人民政府", "三亚市财政局", "2020年2月15日"]
    assert "（联系人：王五，联系电话：88880000）" in html
    assert "（此件主动公开）" in html
    assert "停车场名录（略）" in html
    assert 'href="../../files/2020/sanfu-2020-10/sign.pdf" download' in html
    assert (basic_site / "files/2020/sanfu-2020-10/sign.pdf").read_bytes().startswith(b"%PDF")
    assert "附件1：停车收费标准表" in html and "<td>白天</td>" in html
    assert "抄送：市委办公室" in html and "2020年2月16日印发" in html
    assert "2020年2月20日：附件1第二行价格更正为每小时3元。" in html
    # Links in the table lead to pages that exist.
    page = read_page(basic_site / "notices/2020/sanfu-2020-10.html")
    for target in ("../../issuers/sanyashicaizhengju.html", "../../topics/caizheng.html", "../2019/sanfu-2019-9.html"):
        assert target in page.links
        assert (basic_site / "notices/2020" / target).resolve().is_file()


def test_repealed_notice_carries_a_banner(basic_site):
    html = (basic_site / "notices/2019/sanfu-2019-9.html").read_text(encoding="utf-8")
    assert "本文件已废止（废止日期：2020年3月1日；废止文件：" in html
    assert 'role="alert"' in html
    assert read_page(basic_site / "notices/2019/sanfu-2019-9.html").meta["有效性"] == "废止"


def test_a_superseded_notice_links_to_the_notice_that_replaces_it(basic_site):
    page = read_page(basic_site / "notices/2019/sanfu-2019-9.html")
    assert page.meta["被替代"] == "三府〔2020〕10号"
    assert "../2020/sanfu-2020-10.html" in page.links
    html = (basic_site / "notices/2019/sanfu-2019-9.html").read_text(encoding="utf-8")
    assert "本文件已被" in html and "全部或部分替代" in html
    # A notice nobody replaces says nothing of the kind.
    assert "被替代" not in read_page(basic_site / "notices/2019/sanfu-2019-10.html").meta


def test_joint_notice_is_listed_on_every_issuers_page_with_one_address(basic_site):
    for issuer in ("sanyashirenminzhengfu", "sanyashicaizhengju"):
        page = read_page(basic_site / f"issuers/{issuer}.html")
        assert "../notices/2020/sanfu-2020-10.html" in page.links
    assert read_page(basic_site / "issuers/sanyashicaizhengju.html").h1 == "三亚市财政局"


def _listed(page_path: Path) -> list[str]:
    html = page_path.read_text(encoding="utf-8")
    return re.findall(r'href="[./]*notices/(\d{4}/[a-z0-9-]+)\.html"', html)


def test_index_pages_list_newest_first_and_serials_as_numbers(basic_site):
    # Both 2019 notices share a date: 10号 sorts above 9号 (newest first), as
    # numbers; as text "9" > "10" would put 9号 first.
    assert _listed(basic_site / "series/sanfu.html") == ["2020/sanfu-2020-10", "2019/sanfu-2019-10", "2019/sanfu-2019-9"]
    assert _listed(basic_site / "years/2019.html") == ["2019/sanfu-2019-10", "2019/sanfu-2019-9"]
    text = (basic_site / "series/sanfu.html").read_text(encoding="utf-8")
    assert "三府〔2019〕10号 · 2019年5月1日" in text


def test_each_index_page_h1_is_its_subject(basic_site):
    assert read_page(basic_site / "years/2019.html").h1 == "2019年"
    assert read_page(basic_site / "topics/jiaotong.html").h1 == "交通"
    assert read_page(basic_site / "issuers/sanyashirenminzhengfu.html").h1 == "三亚市人民政府"
    assert read_page(basic_site / "series/sanminzi.html").h1 == "三民字〔年份〕号"
    assert read_page(basic_site / "issuers/index.html").h1 == "发文机关"
    assert read_page(basic_site / "years/index.html").h1 == "年份"


def test_overviews_and_home_lead_to_every_index(basic_site):
    overview = read_page(basic_site / "issuers/index.html")
    for issuer in ("sanyashirenminzhengfu.html", "sanyashicaizhengju.html", "sanyashiminzhengju.html"):
        assert issuer in overview.links
    home = read_page(basic_site / "index.html")
    for target in ("issuers/index.html", "years/index.html", "topics/index.html", "series/index.html"):
        assert target in home.links
    text = (basic_site / "index.html").read_text(encoding="utf-8")
    assert "共收录文件 <strong>4</strong> 件" in text


def test_navigation_lists_index_pages_not_every_notice(basic_site):
    """A nav of every notice would put every link on every page (1 MB a page at 3,000)."""
    page = read_page(basic_site / "notices/2019/sanfu-2019-10.html")
    assert "../../issuers/index.html" in page.links
    assert [link for link in page.links if "notices/" in link or link.startswith("sanfu-")] == []


# --- disclosure --------------------------------------------------------------

CANARIES = ["CANARYONREQUEST", "CANARYSECRET", "金丝雀"]


def test_non_public_text_never_reaches_any_output(basic_site):
    """Search every file for the canaries, after decoding \\uXXXX escapes."""
    files = [p for p in basic_site.rglob("*") if p.is_file()]
    names = {p.relative_to(basic_site).as_posix() for p in files}
    assert {"search-index/meta.js", "search-index/rules.js", "search-index/shards/0.js"} <= names
    leaks = [
        (p.relative_to(basic_site).as_posix(), c)
        for p in files for c in CANARIES if c in readable_text(p)
    ]
    assert leaks == []


def test_on_request_notice_shows_metadata_and_how_to_apply(basic_site):
    page = read_page(basic_site / "notices/2020/sanminzi-2020-5.html")
    assert page.h1 == "三亚市民政局关于内部核查安排的通知"
    assert page.meta["公开方式"] == "依申请公开"
    assert "../../apply.html" in page.links
    assert not (basic_site / "notices/2020/sanminzi-2020-5").exists()


def test_undisclosed_notice_leaves_no_page_issuer_topic_or_link(basic_site):
    assert not list(basic_site.rglob("*sanminzi-2020-6*"))
    assert not any("baomi" in p.name for p in basic_site.rglob("*"))
    # Not even its number: it says it supersedes 三民字〔2020〕5号, whose page
    # must not point back to it.
    mentions = [p.name for p in basic_site.rglob("*") if p.is_file() and "三保密" in readable_text(p)]
    assert mentions == []
    assert "被替代" not in read_page(basic_site / "notices/2020/sanminzi-2020-5.html").meta


# --- offline -----------------------------------------------------------------


def test_no_page_loads_anything_from_the_network(basic_site):
    remote = []
    for page_path in basic_site.rglob("*.html"):
        for url in read_page(page_path).resources:
            if re.match(r"(https?:)?//", url):
                remote.append((page_path.name, url))
    assert remote == []
    scripts = read_page(basic_site / "notices/2019/sanfu-2019-9.html").resources
    assert all((basic_site / "notices/2019" / src).resolve().is_file() for src in scripts)


def test_the_site_ships_no_unused_theme_files(basic_site):
    """Material's own search and the source maps are never loaded: left out."""
    assets = sorted(p.relative_to(basic_site).as_posix() for p in (basic_site / "assets").rglob("*") if p.is_file())
    assert not [a for a in assets if "lunr" in a or "workers" in a or a.endswith(".map")]
    assert "assets/javascripts/search.js" in assets


def test_pages_link_to_html_files_not_folders(basic_site):
    """From file:// a link to a folder shows a directory listing."""
    for page_path in [basic_site / "index.html", basic_site / "issuers/index.html"]:
        for link in read_page(page_path).links:
            if link.startswith(("#", "http")):
                continue
            assert link.split("#")[0].endswith((".html", ".xml", ".json", ".csv", ".zip")), link
            assert not link.endswith("/"), link


# --- failing safe ------------------------------------------------------------



def test_an_invalid_corpus_leaves_the_previous_site_as_it_was(basic_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(basic_site, site)
    before = digests(site)
    result = run_build("--notices", str(ROOTS / "errors" / "notices"), "build", "--site-dir", str(site))
    assert result.returncode == 1
    assert "impossible-date.md:5: date: expected a real date" in result.stderr
    assert result.stderr.rstrip().endswith("Nothing was built; fix the problems above and build again.")
    assert "Traceback" not in result.stderr
    assert digests(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_build_that_fails_in_mkdocs_leaves_the_previous_site_too(basic_site, tmp_path):
    """A valid corpus, but a hand-written page has a broken link: MkDocs refuses it in strict mode."""
    project = copy_project(tmp_path / "project", NOTICES)
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n见[附表](missing.md)。\n", encoding="utf-8")
    site = tmp_path / "out" / "site"
    shutil.copytree(basic_site, site)
    before = digests(site)
    result = subprocess.run([sys.executable, str(project / "build.py"), "build", "--site-dir", str(site)],
                            cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    assert "missing.md" in result.stderr
    assert "site/ was left as it was" in result.stderr
    assert "Traceback" not in result.stderr
    assert digests(site) == before
    assert [p.name for p in (tmp_path / "out").iterdir() if not p.name.endswith(".lock")] == ["site"]
