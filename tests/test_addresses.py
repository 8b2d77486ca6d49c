"""Addresses are lower-case ASCII, stable, and never collide."""

from gazette.addresses import ascii_slug, notice_slug, unique_slugs
from gazette.docnumber import parse


def test_notice_file_names_come_from_the_document_number():
    assert notice_slug(parse("三府〔2020〕124号")) == "sanfu-2020-124"
    assert notice_slug(parse("三府办[2020]118号")) == "sanfuban-2020-118"
    assert notice_slug(parse("三人社发〔2020〕162 号")) == "sanrenshefa-2020-162"


def test_names_spelled_alike_get_distinct_stable_addresses():
    # 三府 and 三扶 are both "sanfu" in pinyin.
    first = unique_slugs(["三府", "三扶", "城乡建设"])
    assert first["城乡建设"] == "chengxiangjianshe"
    assert first["三府"] != first["三扶"]
    assert first["三府"].startswith("sanfu-") and first["三扶"].startswith("sanfu-")
    # The same names give the same addresses whatever else is in the corpus.
    again = unique_slugs(["三扶", "民政", "三府"])
    assert again["三府"] == first["三府"] and again["三扶"] == first["三扶"]


def test_slugs_are_ascii_whatever_the_name():
    for name in ["中共三亚市政法委员会", "三亚市KTV管理办公室", "（试行）", "——"]:
        slug = ascii_slug(name)
        assert slug.isascii() and slug == slug.lower() and slug


def test_names_spelled_before_are_not_spelled_again():
    """A build keeps the pinyin it spelled (unique_slugs' spelled): the same
    addresses from it, and only new names are spelled."""
    names = ["三府", "三扶", "三亚市民政局", "市政府"]
    spelled: dict[str, str] = {}
    first = unique_slugs(names, spelled)
    assert first == unique_slugs(names) and spelled == {n: ascii_slug(n) for n in names}
    kept = {**spelled, "三亚市民政局": "kept-spelling"}
    assert unique_slugs(names, kept)["三亚市民政局"] == "kept-spelling"       # taken, not spelled again
    unique_slugs([*names, "海棠区"], kept)
    assert kept["海棠区"] == "haitangqu"
