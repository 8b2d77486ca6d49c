"""Outputs beyond the pages: feeds, sitemap, open data, site.zip, QR codes (all from the public view)."""

from __future__ import annotations

import csv
import re
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import feedparser
import jsonschema
import pytest

from conftest import ROOT, ROOTS, copy_project, read_page

from gazette.opendata import schema

SITE_URL = "https://wenjian.example.org/ku/"


@pytest.fixture(scope="module")
def addressed_site(tmp_path_factory) -> Path:
    """The sample corpus built with a site_url set in mkdocs.yml (the one place it lives)."""
    project = copy_project(tmp_path_factory.mktemp("addressed") / "project", ROOTS / "basic" / "notices")
    config = project / "mkdocs.yml"
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([sys.executable, str(project / "build.py"), "build"], cwd=project,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_the_site_feed_lists_public_notices_newest_first(basic_site):
    feed = feedparser.parse((basic_site / "feeds/all.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == [
        "三亚市民政局关于内部核查安排的通知（三民字〔2020〕5号）",
        "三亚市人民政府 三亚市财政局关于停车收费标准的通知（三府〔2020〕10号）",
        "三亚市人民政府关于公交线路调整的通知（三府〔2019〕10号）",
        "三亚市人民政府关于旧版停车收费标准的通知（三府〔2019〕9号）",
    ]
    newest = feed.entries[1]
    assert newest.link == "../notices/2020/sanfu-2020-10.html"
    assert newest.published.startswith("2020-02-15")
    assert "停车场按附件所列标准收费" in newest.summary
    # 依申请公开: metadata only, never its text.
    assert "依申请公开" in feed.entries[0].summary
    assert [a.name for a in newest.authors] == ["三亚市人民政府", "三亚市财政局"]


def test_each_issuer_has_its_own_feed_advertised_on_its_page(basic_site):
    feed = feedparser.parse((basic_site / "feeds/issuers/sanyashicaizhengju.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["三亚市人民政府 三亚市财政局关于停车收费标准的通知（三府〔2020〕10号）"]
    html = (basic_site / "issuers/sanyashicaizhengju.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="订阅" href="../feeds/issuers/sanyashicaizhengju.xml">' in html
    assert 'href="../feeds/issuers/sanyashicaizhengju.xml">订阅' in html
    home = (basic_site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml" title="订阅" href="feeds/all.xml"' in home


def test_feeds_with_a_site_address_use_full_addresses(addressed_site):
    feed = feedparser.parse((addressed_site / "feeds/all.xml").read_bytes())
    assert feed.entries[1].link == SITE_URL + "notices/2020/sanfu-2020-10.html"
    assert feed.feed.links[0].href == SITE_URL + "feeds/all.xml"


def test_open_data_validates_and_holds_only_what_may_be_published(basic_site):
    data = json.loads((basic_site / "data/notices.json").read_text(encoding="utf-8"))
    published = json.loads((basic_site / "data/notice.schema.json").read_text(encoding="utf-8"))
    for record in data["notices"]:
        jsonschema.validate(record, published, format_checker=jsonschema.FormatChecker())
        one = json.loads((basic_site / record["address"].replace("notices/", "data/notices/", 1).replace(".html", ".json")).read_text(encoding="utf-8"))
        assert one == record
    by_number = {r["doc_number"]: r for r in data["notices"]}
    assert "三民字〔2020〕6号" not in by_number               # 不予公开: absent
    on_request = by_number["三民字〔2020〕5号"]
    assert on_request["body"] is None and on_request["attachments"] == [] and not on_request["full_text"]
    full = by_number["三府〔2020〕10号"]
    assert full["date"] == "2020-02-15" and full["issuers"] == ["三亚市人民政府", "三亚市财政局"]
    assert full["attachments"][1]["file"] == "files/2020/sanfu-2020-10/sign.pdf"
    assert "停车场按附件所列标准收费" in full["body"]


def test_the_committed_schema_is_the_one_the_code_makes():
    committed = json.loads((ROOT / "schemas/notice.schema.json").read_text(encoding="utf-8"))
    assert committed == schema(), "run: python -m gazette.opendata (or make golden)"


def test_the_csv_opens_in_excel_as_chinese(basic_site):
    raw = (basic_site / "data/notices.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["doc_number"] for r in rows} == {"三民字〔2020〕5号", "三府〔2020〕10号", "三府〔2019〕10号", "三府〔2019〕9号"}
    assert next(r for r in rows if r["doc_number"] == "三府〔2020〕10号")["issuers"] == "三亚市人民政府、三亚市财政局"


def test_a_sitemap_only_with_a_site_address_listing_public_pages(basic_site, addressed_site):
    assert not (basic_site / "sitemap.xml").exists()
    text = (addressed_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<url><loc>{SITE_URL}notices/2020/sanfu-2020-10.html</loc><lastmod>" in text
    assert "sanminzi-2020-6" not in text                     # 不予公开
    assert f"<loc>{SITE_URL}about.html</loc>" in text
    assert "search-index" not in text and "files/" not in text
    page = (addressed_site / "notices/2020/sanfu-2020-10.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}notices/2020/sanfu-2020-10.html">' in page


def test_a_printed_notice_carries_a_qr_code_of_its_address(basic_site, addressed_site):
    page = (addressed_site / "notices/2020/sanfu-2020-10.html").read_text(encoding="utf-8")
    assert '<figure class="notice-qr"' in page and "<svg" in page and "扫一扫在手机打开" in page
    assert "notice-qr" not in (basic_site / "notices/2020/sanfu-2020-10.html").read_text(encoding="utf-8")


def test_the_zip_holds_the_whole_site_and_searches_from_disk(basic_site, tmp_path, page):
    with zipfile.ZipFile(basic_site / "site.zip") as z:
        names = z.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in z.infolist()} == {z.infolist()[0].date_time}
        z.extractall(tmp_path)
    unpacked = tmp_path / "gazette-site"
    site_files = {p.relative_to(basic_site).as_posix() for p in basic_site.rglob("*") if p.is_file()}
    assert {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()} == site_files - {"site.zip", "manifest.json"}
    assert "site.zip" in json.loads((basic_site / "manifest.json").read_text(encoding="utf-8"))["files"]
    page.goto((unpacked / "search.html").as_uri() + "?q=停车收费")
    first = page.locator(".gz-result__title").first
    first.wait_for(timeout=10_000)
    assert "停车收费" in first.inner_text()
    assert page.remote_requests == [] and page.errors == []
    home = read_page(unpacked / "index.html")
    assert "site.zip" in home.links


def test_index_numbers_are_generated_from_the_organisation_code_and_stay_put(tmp_path):
    from gazette.catalogue import index_numbers
    from gazette.corpus import load_corpus
    from gazette.public import publish

    publication = publish(load_corpus(ROOTS / "basic" / "notices"), None, index_code="00817373-1")
    numbers = {n.source: n.index_no for n in publication.notices}
    assert numbers.pop("notices/2019/sanfu-2019-10.md") == "00812345-0-2019-00010"     # written by the clerk: kept
    assert all(re.fullmatch(r"00817373-1/\d{4}-\d{5}", v) for v in numbers.values()), numbers
    assert numbers["notices/2020/sanfu-2020-10.md"].startswith("00817373-1/2020-")
    # Worked out over the whole corpus, so withholding or publishing a notice moves
    # nobody's number (sanminzi-2020-6, 不予公开, has its own written by hand).
    everything = index_numbers(load_corpus(ROOTS / "basic" / "notices").notices, "00817373-1")
    assert numbers.items() <= everything.items() and "CANARYSECRETINDEX" not in everything.values()
    fewer = index_numbers([n for n in load_corpus(ROOTS / "basic" / "notices").notices
                           if n.rel != "notices/2019/sanfu-2019-9.md"], "00817373-1")
    assert {k: v for k, v in fewer.items() if k in numbers}.items() <= numbers.items()
    assert len(set(numbers.values())) == len(numbers)
    # Without a code nothing is made up.
    assert {n.index_no for n in publish(load_corpus(ROOTS / "basic" / "notices"), None).notices} == {None, "00812345-0-2019-00010"}


def test_a_correction_moves_the_entrys_updated_date_not_its_published_one():
    import dataclasses
    import datetime as dt

    from gazette.corpus import load_corpus
    from gazette.feeds import atom
    from gazette.public import PublicRevision, publish

    notice = next(n for n in publish(load_corpus(ROOTS / "basic" / "notices"), None).notices if n.doc_number.serial == 10 and n.year == 2020)
    when = dt.datetime(2020, 3, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    corrected = dataclasses.replace(notice, revisions=(
        PublicRevision("b" * 40, "b" * 10, when, "书记员", "更正收费标准", "更正"),
        PublicRevision("a" * 40, "a" * 10, when - dt.timedelta(days=20), "书记员", "新增", "收录"),
    ))
    entry = feedparser.parse(atom("测试", "feeds/all.xml", [corrected], None, "测试")).entries[0]
    assert entry.published.startswith("2020-02-15") and entry.updated.startswith("2020-03-05T09:30:00+08:00")


def test_the_file_of_all_notices_is_the_whole_dumped_even_when_made_from_the_last_one():
    """data/notices.json is made from each notice's own text (opendata._all), and a
    rebuild takes a kept notice's from the last file of all (opendata.Earlier):
    either way it must be the very bytes json.dumps makes of the whole,
    whatever the text holds."""
    import dataclasses

    from gazette import opendata, paths
    from gazette.corpus import load_corpus
    from gazette.public import Publication, publish

    publication = publish(load_corpus(ROOTS / "basic" / "notices"), None)
    hostile = '第一行\n"引号"\\ 反斜杠 \u2028 \0notices\0 "\\u0000notices\\u0000"\n  {\n'
    first = dataclasses.replace(publication.notices[0], body=hostile, title=hostile)
    publication = dataclasses.replace(publication, notices=(first, *publication.notices[1:]))
    assert isinstance(publication, Publication)

    def whole(pub):
        records = [opendata.record(n, SITE_URL) for n in pub.notices]
        return opendata._json({"$schema": "notice.schema.json", "version": opendata.VERSION,
                               "commit": pub.commit, "notices": records})

    made = opendata.files(publication, SITE_URL)
    assert made[paths.DATA_ALL] == whole(publication)
    assert json.loads(made[paths.DATA_ALL])["notices"][0]["body"] == hostile
    kept = {paths.notice_data(n.year, n.slug) for n in publication.notices[::2]}
    earlier = opendata.Earlier(made[paths.DATA_ALL], made[paths.DATA_CSV])
    assert set(earlier.records) == set(earlier.rows) == {n.url for n in publication.notices}   # the hostile one too
    again = opendata.files(publication, SITE_URL, kept, earlier)
    assert again[paths.DATA_ALL] == made[paths.DATA_ALL] and again[paths.DATA_CSV] == made[paths.DATA_CSV]
    assert not kept & set(again)
    # A kept notice's record and row are taken from the earlier files; a
    # notice not kept is made again, whatever the earlier files say of it.
    for n, mark in ((publication.notices[0], "留用"), (publication.notices[1], "不得留用")):
        earlier.records[n.url] = b'  {"mark": "%s"}' % mark.encode()
        earlier.rows[n.url] = [n.url, mark] + [""] * (len(opendata.CSV_COLUMNS) - 2)
    marked = opendata.files(publication, SITE_URL, kept, earlier)
    assert "留用" in marked[paths.DATA_ALL].decode() and "不得留用" not in marked[paths.DATA_ALL].decode()
    assert "留用" in marked[paths.DATA_CSV].decode() and "不得留用" not in marked[paths.DATA_CSV].decode()
    foreign = opendata.Earlier(b'{"notices": [\n  {\n   "title": "x"\n  }\n ]\n}', b"address\r\nx\r\n")
    assert foreign.records == {} and foreign.rows == {}
    assert opendata.files(publication, SITE_URL, kept, foreign)[paths.DATA_ALL] == made[paths.DATA_ALL]
    empty = dataclasses.replace(publication, notices=())
    assert opendata.files(empty, None)[paths.DATA_ALL] == whole(empty)
