"""search-core.js on its own: the pure functions, in Chromium, with no index and no page.

The rules come from gazette/tokens.py exactly as rules.js carries them, so a
failure here is the core's own, not the index's or the page's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette import search, tokens

CORE = Path(__file__).resolve().parent.parent / "docs" / "assets" / "javascripts" / "search-core.js"


@pytest.fixture(scope="module")
def core(browser):
    context = browser.new_context()
    pg = context.new_page()
    pg.set_content("<!doctype html><title>core</title>")
    pg.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    pg.evaluate("rules => __gzCore.useRules(rules)", tokens.rules())
    yield pg
    context.close()


def js(core, expression: str, *args):
    return core.evaluate(f"args => __gzCore.{expression}", list(args))


def test_it_exports_only_pure_functions(core):
    names = core.evaluate("() => Object.keys(__gzCore).sort()")
    assert "search" not in names and "load" not in names
    assert {"fold", "runs", "queryTerms", "parseNumber", "dateTerms", "shardOf", "decodeNumbers",
            "intersect", "covering", "alternatives", "dropFillers"} <= set(names)


@pytest.mark.parametrize("text", ["三亚市人民政府", "ＫＴＶ 4S店", "周 俊", "6.10元", "组  长：吴海峰", "“十四五”规划"])
def test_fold_runs_and_terms(core, text):
    assert js(core, "fold(args[0])", text) == tokens.fold(text)
    assert js(core, "runs(args[0])", text) == [list(r) for r in tokens.runs(text)]
    required, boost = search.query_terms(text)
    assert js(core, "queryTerms(args[0])", text) == {"required": required, "boost": boost}


def test_traditional_folding_needs_the_table_first(core):
    assert js(core, "needsT2S(args[0])", "自來水") is True
    core.evaluate("values => __gzCore.setT2S(values)", tokens.t2s_values())
    assert js(core, "fold(args[0])", "自來水價格") == "自来水价格"
    assert js(core, "needsT2S(args[0])", "自來水") is False


@pytest.mark.parametrize("text,number", [
    ("三府〔2020〕124号", "三府〔2020〕124号"), ("三府[2020]124号", "三府〔2020〕124号"),
    ("\ufeff三府（２０２０）第124号", "三府〔2020〕124号"), ("三府 2020 124", "三府〔2020〕124号"),
    ("三府2020年124号", "三府〔2020〕124号"), ("〔2020〕124号", None), ("自来水", None),
])
def test_document_numbers(core, text, number):
    assert js(core, "parseNumber(args[0])", text) == number


def test_dates_become_month_and_day_terms(core):
    assert js(core, "dateTerms(args[0])", "2020年7月6日至2020年13月") == ["d:2020-07", "d:2020-07-06", "d:07-06"]
    # as readers write dates: numerals of signatures, ISO, slashes, dots, 号, no year
    for text, term in [("二〇二〇年七月四日", "d:2020-07-04"), ("二〇二〇年十二月三十一日", "d:2020-12-31"),
                       ("2020-07-06", "d:2020-07-06"), ("2020/7/30", "d:2020-07-30"), ("2020.7.14", "d:2020-07-14"),
                       ("2020年7月17号", "d:2020-07-17"), ("7月6日", "d:07-06"), ("2020年3月", "d:2020-03")]:
        assert js(core, "queryDateTerms(args[0])", text) == [term], text
    assert js(core, "queryDateTerms(args[0])", "7月") == [] and js(core, "queryDateTerms(args[0])", "6.10元") == []
    assert js(core, "withoutDates(args[0])", "2020年7月6日的通知") == " 的通知"


def test_shards_and_postings_decode_as_python_encodes(core):
    for term in ["自来", "n:三府〔2020〕124号", "w:人民政府", "4s"]:
        assert js(core, "shardOf(args[0], args[1])", term, 97) == search.shard_of(term, 97)
    numbers = [0, 1, 44, 45, 2024, 90000, 7]
    core.evaluate("a => __gzCore.setAlphabet(a)", search._ALPHABET)
    assert js(core, "decodeNumbers(args[0])", search.encode_numbers(numbers)) == numbers


def test_list_operations(core):
    assert js(core, "intersect(args[0], args[1])", [1, 3, 5, 9], [2, 3, 9, 10]) == [3, 9]
    assert js(core, "union(args[0], args[1])", [1, 5], [2, 5, 7]) == [1, 2, 5, 7]
    lists = [{"ids": [1, 2, 3]}, {"ids": [2, 3]}, {"ids": [3, 4]}]
    # 3 is in every list; 2 misses only the common third term; 1 and 4 miss a rare one
    assert js(core, "covering(args[0], args[1], args[2])", lists, [2, 2, 0.5], 0.8) == [2, 3]
    assert js(core, "covering(args[0], args[1], args[2])", lists, [1, 1, 1], 1) == [3]
    assert js(core, "weightsFor(args[0], args[1])", [1, 3, 4], {"ids": [3, 4, 8], "w": [5, 6, 7]}) == [0, 5, 6]


def test_synonyms_and_question_words(core):
    assert js(core, "alternatives(args[0])", "水费标准") == ["水价标准", "自来水价格标准"]
    assert js(core, "alternatives(args[0])", "自来水价格") == []
    assert js(core, "dropFillers(args[0])", "我想查一下非法集资领导小组组长是谁") == "非法集资领导小组组长"
    assert js(core, "dropFillers(args[0])", "自来水") == "自来水"
