"""The bundled gazette content, built as citizens will see it."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, read_page

from gazette.corpus import load_corpus
from gazette.public import publish
from gazette.indexes import Site
from gazette.fields import cn_date

CORPUS = publish(load_corpus(ROOT / "notices", root=ROOT), None)
SITE = Site.of(CORPUS)


def test_every_notice_of_the_source_texts_is_bundled():
    numbers = sorted(str(n.doc_number) for n in CORPUS.notices)
    assert numbers == sorted([
        "三府〔2020〕124号", "三府办〔2020〕118号", "三府办〔2020〕127号", "三府办〔2020〕136号",
        "三府办〔2020〕137号", "三府办〔2020〕140号", "三府办〔2020〕141号", "三人社发〔2020〕162号",
        "三民字〔2020〕92号", "三民字〔2020〕115号", "三扶发〔2020〕4号",
    ])


@pytest.mark.parametrize("notice", CORPUS.notices, ids=lambda n: n.slug)
def test_each_notice_page_has_a_correct_metadata_table(bundled_site, notice):
    page = read_page(bundled_site / notice.url)
    assert page.h1 == notice.title
    assert page.meta["标题"] == notice.title
    assert page.meta["发文字号"] == str(notice.doc_number)
    assert page.meta["发文机关"] == "、".join(notice.issuers)
    assert page.meta["成文日期"] == cn_date(notice.date)
    assert page.meta["发布日期"] == cn_date(notice.published_on)
    assert page.meta["主题分类"] == "、".join(notice.topics)
    assert page.meta["有效性"] == "有效"
    assert page.meta["公开方式"] == "主动公开"


def test_co_issuers_are_all_kept():
    by_number = {str(n.doc_number): n for n in CORPUS.notices}
    assert list(by_number["三人社发〔2020〕162号"].issuers) == ["三亚市人力资源和社会保障局", "三亚市财政局", "三亚市扶贫工作室"]
    assert len(by_number["三民字〔2020〕92号"].issuers) == 11
    assert by_number["三府〔2020〕124号"].supersedes[0].serial == 280


def test_every_issuer_has_a_page_listing_its_notices(bundled_site):
    issuers = {i for n in CORPUS.notices for i in n.issuers}
    assert len(issuers) == 14
    for issuer in issuers:
        src = SITE.page_of("issuers", issuer)
        page = read_page(bundled_site / src.replace(".md", ".html"))
        assert page.h1 == issuer
        expected = {f"../{n.url}" for n in CORPUS.notices if issuer in n.issuers}
        assert expected <= set(page.links), issuer


def test_2020_has_a_year_page_with_all_eleven(bundled_site):
    page = read_page(bundled_site / "years/2020.html")
    assert page.h1 == "2020年"
    assert len([link for link in page.links if link.startswith("../notices/2020/")]) == 11


def test_the_water_price_table_reads_category_price_scope(bundled_site):
    html = (bundled_site / "notices/2020/sanfu-2020-124.html").read_text(encoding="utf-8")
    table = re.search(r"<table>(.*?)</table>", html, re.S)[1]
    rows = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    assert rows[0] == ["用水类别", "价格（元/m³）", "用水对应范围"]
    prices = {row[0]: row[1] for row in rows[1:]}
    assert prices == {
        "居民生活用水：第一阶梯（每户每月28立方米及以下）": "1.65",
        "居民生活用水：第二阶梯（每户每月28立方米以上-36立方米）": "2.48",
        "居民生活用水：第三阶梯（每户每月36立方米以上）": "4.95",
        "居民生活用水：合表居民用户和执行居民生活水价的非居民用户用水": "1.67",
        "非居民生活用水": "3.20",
        "特种用水": "6.10",
    }
    assert rows[-1][2].startswith("各类KTV、歌舞厅")


def test_attachments_are_inline_or_marked_omitted(bundled_site):
    html = (bundled_site / "notices/2020/sanfuban-2020-118.html").read_text(encoding="utf-8")
    assert "附件：三亚市第一批历史建筑（21处）名录（略）" in html
    plan = (bundled_site / "notices/2020/sanfufa-2020-4.html").read_text(encoding="utf-8")
    assert "附件：三亚市2020年脱贫攻坚工作实施方案" in plan
    assert "三亚市扶贫开发领导小组办公室" in plan and "2020年3月24日印发" in plan
    assert "（联系人：林晓，联系电话：88275370）" in plan
    members = (bundled_site / "notices/2020/sanminzi-2020-92.html").read_text(encoding="utf-8")
    assert "<td>蔡克勤</td>" in members
