"""Document numbers: every spelling clerks and citizens use is one number."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazette import docnumber
from gazette.docnumber import DocNumber, DocNumberError


@pytest.mark.parametrize("text", [
    "三府〔2020〕124号",
    "三府[2020]124号",
    "三府［2020］124号",
    "三府(2020)124号",
    "三府（2020）124号",
    "三府〔2020〕124 号",
    "三府 〔 2020 〕 124 号",
    "三府〔２０２０〕１２４号",
    "三府〔2020〕124",
    "三府2020年124号",
    "三府2020年第124号",
    "三府 2020 124",
    "三府〔2020〕0124号",
])
def test_every_listed_spelling_is_one_number(text):
    assert docnumber.parse(text) == DocNumber("三府", 2020, 124)
    assert docnumber.normalize(text) == "三府〔2020〕124号"


def test_prefix_keeps_every_character():
    assert docnumber.parse("三府办〔2020〕118号").prefix == "三府办"
    assert docnumber.parse("琼发改价格〔2019〕1286号") == DocNumber("琼发改价格", 2019, 1286)


@pytest.mark.parametrize("text", ["", "第七号", "三府", "〔2020〕124号", "三府〔20〕124号", "124号"])
def test_non_numbers_are_refused_with_an_example(text):
    with pytest.raises(DocNumberError, match="like 三府〔2020〕124号"):
        docnumber.parse(text)


def test_serial_sorts_as_a_number():
    nine, ten = docnumber.parse("三府〔2020〕9号"), docnumber.parse("三府〔2020〕10号")
    assert nine.sort_key < ten.sort_key
    assert "9" > "10"  # what a text sort would do instead


# Prefixes as clerks write them: Han characters, sometimes with 办/字/发.
prefixes = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=6)
numbers = st.builds(DocNumber, prefixes, st.integers(1949, 2100), st.integers(1, 99999))
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def spellings(draw, number: DocNumber):
    """Any spelling of a number that NOTICE-FORMAT.md lists."""
    year, serial = str(number.year), str(number.serial)
    if draw(st.booleans()):
        year, serial = year.translate(FULL_WIDTH), serial.translate(FULL_WIDTH)
    space = draw(st.sampled_from(["", " ", "\u3000"]))
    form = draw(st.sampled_from(["brackets", "nian", "spaces"]))
    if form == "brackets":
        left, right = draw(st.sampled_from(["〔〕", "[]", "［］", "()", "（）"]))
        text = f"{number.prefix}{space}{left}{year}{right}{space}{serial}"
    elif form == "nian":
        text = f"{number.prefix}{space}{year}年{space}{serial}"
    else:
        text = f"{number.prefix} {year} {serial}"
    return text + draw(st.sampled_from(["号", " 号", ""]))


@given(st.data())
def test_every_variant_normalizes_to_the_same_value(data):
    number = data.draw(numbers)
    text = data.draw(spellings(number))
    assert docnumber.parse(text) == number
    assert docnumber.normalize(text) == str(number)


@given(st.data())
def test_normalization_is_idempotent(data):
    number = data.draw(numbers)
    once = docnumber.normalize(data.draw(spellings(number)))
    assert docnumber.normalize(once) == once
