"""Python and the browser read text identically: thousands of random strings through both.

The rules live once, in gazette/tokens.py, and reach search.js as data in
rules.js; this test is what keeps the two implementations from drifting.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazette import search, tokens

# What readers and clerks type, and what breaks parsers: Han (simplified and
# traditional), digits of every width and script, brackets of every width,
# spaces of every kind, BOM, zero-width, letters with case, decimals, dates.
ALPHABET = st.sampled_from(list(
    "三府办〔〕[]［］()（）【】｛｛〖〗年第号月日0123456789０１２３４５６７８９٣۴߃"
    "自來水价價格脫貧攻堅历歷史建築周俊组長 \t\n\u3000\u00a0\ufeff\u200b\u2028"
    "abcABCｄｅｆΣσ.%．％,，。-—_·İ﹝﹞/〇零一二三四十七日“”《》"
))
TEXT = st.lists(ALPHABET | st.sampled_from(["三府〔2020〕124号", "2020年7月6日", "6.10", "8.2%", "周 俊",
                                               "二〇二〇年十二月三十一日", "7月6号", "2020-07-06", "2020.7.6", "“十四五”规划"]), max_size=24).map("".join)
BATCH = 400


def python_side(text: str) -> dict:
    required, boost = search.query_terms(text)
    number = tokens.parse_number(text)
    return {
        "fold": tokens.fold(text),
        "terms": {"required": required, "boost": boost},
        "number": f"{number[0]}〔{number[1]}〕{number[2]}号" if number else None,
        "dates": tokens.date_terms(text),
        "without": tokens.without_dates(text),
    }


JS_SIDE = """texts => texts.map(t => ({fold: __gz.fold(t), terms: __gz.tokenize(t),
                                   number: __gz.parseNumber(t), dates: __gz.dateTerms(t),
                                   without: __gz.withoutDates(t)}))"""


@pytest.mark.parametrize("seed", range(5))
def test_thousands_of_random_strings_read_the_same_on_both_sides(engine, seed):
    batch = []

    @settings(max_examples=BATCH, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.randoms(use_true_random=False), TEXT)
    def collect(_, text):
        batch.append(text)

    collect()
    batch = [t + ("" if seed == 0 else str(seed)) for t in batch]
    theirs = engine.evaluate(JS_SIDE, batch)
    mismatches = [(t, python_side(t), j) for t, j in zip(batch, theirs) if python_side(t) != j]
    assert mismatches == [], json.dumps(mismatches[:3], ensure_ascii=False, indent=1)


def test_traditional_characters_fold_to_simplified_on_both_sides(engine):
    for text in ["自來水價格", "脫貧攻堅", "歷史建築"]:
        assert tokens.fold(text) == engine.evaluate("t => __gz.fold(t)", text)
    assert tokens.fold("自來水價格") == "自来水价格"


def test_alignment_spaces_are_joined_and_decimals_are_one_run():
    assert tokens.fold("组  长：周 俊") == "组长:周俊"
    assert tokens.runs("特种用水6.10元，增长8.2%") == [("h", "特种用水"), ("a", "6.10"), ("h", "元"), ("h", "增长"), ("a", "8.2%")]
    assert tokens.parse_number("\ufeff三府［２０２０］第124号") == ("三府", 2020, 124)
    assert tokens.parse_number("三府〔٢٠٢٠〕124号") is None or tokens.parse_number("三府〔٢٠٢٠〕124号") == ("三府", 2020, 124)
