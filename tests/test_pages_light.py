"""Pages stay light on a phone: a long index list continues on further pages."""

from __future__ import annotations

from conftest import build_into, read_page


def test_a_long_index_is_split_into_pages_of_a_hundred(tmp_path):
    root = tmp_path / "notices" / "2020"
    root.mkdir(parents=True)
    for i in range(1, 231):
        (root / f"sanfu-2020-{i}.md").write_text(
            f"---\ntitle: 关于第{i}项工作的通知\ndoc_number: 三府〔2020〕{i}号\nissuers: [三亚市人民政府]\n"
            f"date: 2020-{1 + i % 12:02d}-{1 + i % 28:02d}\ndisclosure: 主动公开\n---\n\n正文。\n", encoding="utf-8")
    site = build_into(tmp_path / "notices", tmp_path / "site")
    pages = [site / "years/2020.html", site / "years/2020.p2.html", site / "years/2020.p3.html"]
    assert all(p.is_file() for p in pages) and not (site / "years/2020.p4.html").exists()
    listed = [len([x for x in read_page(p).links if x.startswith("../notices/2020/")]) for p in pages]
    assert listed == [100, 100, 30]
    first = pages[0].read_text(encoding="utf-8")
    assert "共230件" in first and 'href="2020.p2.html" rel="next">下一页' in first
    assert 'href="2020.html" rel="prev">上一页' in pages[1].read_text(encoding="utf-8")
    assert max(p.stat().st_size for p in pages) < 100_000
