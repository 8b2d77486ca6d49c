"""A citizen's path through the built site, in a real headless Chromium, from file://."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_home_to_issuer_to_notice_from_disk(bundled_site, page):
    page.goto((bundled_site / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text("政府文件")
    page.get_by_role("link", name="按发文机关").click()
    expect(page.locator("h1")).to_have_text("发文机关")
    page.locator("article").get_by_role("link", name="三亚市财政局").click()
    expect(page.locator("h1")).to_have_text("三亚市财政局")
    page.get_by_role("link", name="三亚市人力资源和社会保障局 三亚市财政局 三亚市扶贫工作室关于表彰2020年度三亚市“创业脱贫致富之星”“转移就业脱贫之星”的通知").click()
    expect(page).to_have_url(re.compile(r"/notices/2020/sanrenshefa-2020-162\.html$"))
    table = page.locator("table.notice-meta")
    expect(table).to_be_visible()          # waits for the page the click opened, as a reader would
    assert "三人社发〔2020〕162号" in table.inner_text()
    assert "三亚市人力资源和社会保障局、三亚市财政局、三亚市扶贫工作室" in table.inner_text()
    assert page.remote_requests == []
    assert page.errors == []


def test_year_index_and_back_home(bundled_site, page):
    page.goto((bundled_site / "years" / "index.html").as_uri())
    page.locator("article").get_by_role("link", name="2020年").click()
    expect(page.locator("h1")).to_have_text("2020年")
    expect(page.locator("article li")).to_have_count(11)
    page.locator("article").get_by_role("link", name="三亚市人民政府关于调整自来水价格分类范畴的通知").click()
    expect(page.locator("article table").nth(1)).to_contain_text("1.65")
    assert page.remote_requests == []
