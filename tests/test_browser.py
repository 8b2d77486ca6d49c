"""A citizen's path through the built site, in a real headless Chromium, from file://."""

from __future__ import annotations


def test_home_to_issuer_to_notice_from_disk(bundled_site, page):
    page.goto((bundled_site / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "政府文件"
    page.get_by_role("link", name="按发文机关").click()
    assert page.locator("h1").inner_text() == "发文机关"
    page.locator("article").get_by_role("link", name="三亚市财政局").click()
    assert page.locator("h1").inner_text() == "三亚市财政局"
    page.get_by_role("link", name="三亚市人力资源和社会保障局 三亚市财政局 三亚市扶贫工作室关于表彰2020年度三亚市“创业脱贫致富之星”“转移就业脱贫之星”的通知").click()
    assert page.url.endswith("/notices/2020/sanrenshefa-2020-162.html")
    table = page.locator("table.notice-meta")
    assert table.is_visible()
    assert "三人社发〔2020〕162号" in table.inner_text()
    assert "三亚市人力资源和社会保障局、三亚市财政局、三亚市扶贫工作室" in table.inner_text()
    assert page.remote_requests == []
    assert page.errors == []


def test_year_index_and_back_home(bundled_site, page):
    page.goto((bundled_site / "years" / "index.html").as_uri())
    page.locator("article").get_by_role("link", name="2020年").click()
    assert page.locator("h1").inner_text() == "2020年"
    assert page.locator("article li").count() == 11
    page.locator("article").get_by_role("link", name="三亚市人民政府关于调整自来水价格分类范畴的通知").click()
    assert "1.65" in page.locator("article table").nth(1).inner_text()
    assert page.remote_requests == []
