"""How text is read for search and document numbers: the one source of the rules.

Python (gazette/search.py, gazette/docnumber.py) and the browser
(docs/assets/javascripts/search.js) must split text identically, so every
rule is written here once, as data that both sides compile: the Han ranges,
the characters counted as space, the brackets of a document number, its
forms, the date form, and the traditional-to-simplified table.  search.py
ships rules() in search-index/rules.js; search.js builds its regular
expressions from it.  A hypothesis test feeds thousands of random strings to
both sides and requires identical terms and number parses.

Regular expressions here use only syntax that means the same in Python's re
and JavaScript's RegExp with the u flag: explicit classes ([0-9], never \\d
or \\s, which are Unicode-wide in Python and not in JavaScript).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Characters that separate words, of every width, and the BOM and zero-width
# space that copy-paste leaves in text.
SPACE = " \t\n\r\f\v\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
OPEN = "〔[［(（【｛{〖"
CLOSE = "〕]］)）】｝}〗"
# A run of letters and digits; a decimal (6.10) or a percentage (8.2%) is one run.
ALNUM = "[a-z0-9]+(?:\\.[0-9]+)*%?"
# Quotation marks between Han characters do not split a phrase: a reader types
# 十四五规划 for “十四五”规划.
QUOTES = "\"'“”‘’《》〈〉「」『』"
UNQUOTE = f"(?<=[{HAN}])[{QUOTES}]+(?=[{HAN}])"
# In text, spaces between Han characters do not split a phrase either (周  俊,
# a table cell's padding): a query run is in a text if it is in its phrase_runs.
BETWEEN = f"(?<=[{HAN}])[{SPACE}{QUOTES}]+(?=[{HAN}])"
RUN = f"([{HAN}]+)|({ALNUM})"

_S = f"[{SPACE}]*"
_PREFIX = "([^0-9〔〕]+?)"
# Document numbers, after folding brackets to 〔〕: tried in order.
NUMBER_FORMS = [
    f"^{_S}{_PREFIX}{_S}〔{_S}([0-9]{{4}}){_S}〕{_S}第?{_S}([0-9]{{1,6}}){_S}号?{_S}$",
    f"^{_S}{_PREFIX}{_S}([0-9]{{4}}){_S}年{_S}第?{_S}([0-9]{{1,6}}){_S}号?{_S}$",
    f"^{_S}{_PREFIX}[{SPACE}]+([0-9]{{4}})[{SPACE}]+([0-9]{{1,6}}){_S}号?{_S}$",
]
# A date as pages and readers write it: 2020年7月6日 (also 6号), a month
# 2020年7月, a day without its year 7月6日, 2020-07-06, 2020/7/6, 2020.7.6.
# Groups: year, month, day of the first form; year, month, day of the second.
DATE = ("(?:([0-9]{4})年)?([0-9]{1,2})月(?:([0-9]{1,2})[日号])?"
        "|(?<![0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])")
# The same in Chinese numerals, as signatures write it: 二〇二〇年七月六日.
CN_DATE = ("([〇零一二三四五六七八九]{4})年(十[一二]?|[一二三四五六七八九])月"
           "(?:([一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])[日号])?")
CN_DIGITS = "〇一二三四五六七八九"

_RUN = re.compile(RUN)
_UNQUOTE = re.compile(UNQUOTE)
_BETWEEN = re.compile(BETWEEN)
_FORMS = [re.compile(f) for f in NUMBER_FORMS]
_DATE = re.compile(DATE)
_CN_DATE = re.compile(CN_DATE)
_SEGMENT = re.compile(f"([{HAN}]+)|([{SPACE}]+)|(.)", re.S)
_BRACKETS = str.maketrans({**{c: "〔" for c in OPEN}, **{c: "〕" for c in CLOSE}})
_PREFIX_SPACE = re.compile(f"[{SPACE}]+")


@functools.lru_cache(maxsize=1)
def traditional() -> dict[str, str]:
    """Traditional → simplified, one character each (OpenCC's t2s, made at build time)."""
    import opencc

    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
    chars = "".join(chr(i) for a, b in ranges for i in range(a, b + 1))
    han = re.compile(f"^[{HAN}]$")
    out = opencc.OpenCC("t2s").convert(chars)
    return {a: b for a, b in zip(chars, out) if a != b and han.match(b)}


@functools.lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    return str.maketrans(traditional())


def join_spaced(text: str) -> str:
    """Drop spaces set between single Han characters for alignment (周 俊 → 周俊, 组 长 → 组长)."""
    segments = [(m.lastindex, m[0]) for m in _SEGMENT.finditer(text)]
    out = []
    for i, (kind, seg) in enumerate(segments):
        if kind == 2 and 0 < i < len(segments) - 1:
            (lk, left), (rk, right) = segments[i - 1], segments[i + 1]
            if lk == 1 and rk == 1 and (len(left) == 1 or len(right) == 1):
                continue
        out.append(seg)
    return "".join(out)


def fold(text: str) -> str:
    """What both sides do first: NFKC (full-width to half-width), lower case,
    traditional to simplified, alignment spaces joined."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_t2s_table())
    return join_spaced(text)


def runs(text: str, folded: bool = False) -> list[tuple[str, str]]:
    """Runs of Han characters ('h') and of letters and digits ('a') of folded text
    (folded=True: text is fold()'s output already)."""
    return [("h", m[1]) if m[1] else ("a", m[2]) for m in _RUN.finditer(text if folded else fold(text))]


def query_runs(text: str) -> list[tuple[str, str]]:
    """The runs of a query: as runs(), with quotation marks between Han characters dropped."""
    return [("h", m[1]) if m[1] else ("a", m[2]) for m in _RUN.finditer(_UNQUOTE.sub("", fold(text)))]


def phrase_runs(text: str, folded: bool = False) -> list[str]:
    """The Han runs of a text with the spaces and quotation marks between Han
    characters dropped: what a query run must lie inside to be in the text."""
    return [m[1] for m in _RUN.finditer(_BETWEEN.sub("", text if folded else fold(text))) if m[1]]


def parse_number(text: str) -> tuple[str, int, int] | None:
    """(prefix, year, serial) of a document number in any common spelling, or None."""
    folded = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    for form in _FORMS:
        m = form.match(folded)
        if m:
            prefix = _PREFIX_SPACE.sub("", m[1])
            return (prefix, int(m[2]), int(m[3])) if prefix else None
    return None


def _cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十四 → 14, 二十 → 20, 三十一 → 31; 二〇二〇 → 2020 digit by digit."""
    if "十" not in text:
        return int("".join(str(CN_DIGITS.index(c) if c != "零" else 0) for c in text))
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)


def _cn_dates(text: str) -> str:
    """Chinese-numeral dates rewritten in digits: 二〇二〇年七月六日 → 2020年7月6日."""
    def digits(m: re.Match) -> str:
        day = f"{_cn_number(m[3])}日" if m[3] else ""
        return f"{_cn_number(m[1])}年{_cn_number(m[2])}月{day}"
    return _CN_DATE.sub(digits, text)


def _date(m: re.Match) -> tuple[int | None, int, int | None] | None:
    year, month, day = (m[1], m[2], m[3]) if m[2] else (m[4], m[5], m[6])
    year, month, day = int(year) if year else None, int(month), int(day) if day else None
    if 1 <= month <= 12 and (day is None or 1 <= day <= 31) and (year or day):
        return year, month, day
    return None


def dates(text: str) -> list[tuple[int | None, int, int | None]]:
    """(year or None, month, day or None) of every date in text."""
    found = (_date(m) for m in _DATE.finditer(_cn_dates(unicodedata.normalize("NFKC", text))))
    return [d for d in found if d]


def date_terms(text: str) -> list[str]:
    """What the index holds for each date of a text: d:2020-07 for its month,
    d:2020-07-06 for the day and d:07-06 for the day in any year."""
    out = []
    for year, month, day in dates(text):
        if year:
            out.append(f"d:{year}-{month:02d}")
        if year and day:
            out.append(f"d:{year}-{month:02d}-{day:02d}")
        if day:
            out.append(f"d:{month:02d}-{day:02d}")
    return list(dict.fromkeys(out))


def query_date_terms(text: str) -> list[str]:
    """What a query's dates require: the most precise term of each."""
    out = []
    for year, month, day in dates(text):
        out.append(f"d:{year}-{month:02d}-{day:02d}" if year and day else f"d:{year}-{month:02d}" if year
                   else f"d:{month:02d}-{day:02d}")
    return list(dict.fromkeys(out))


def without_dates(text: str) -> str:
    """A query with its dates taken out (they are searched as date terms)."""
    return _DATE.sub(lambda m: " " if _date(m) else m[0], _cn_dates(unicodedata.normalize("NFKC", text)))


# Words of a question typed as a sentence (我想查一下非法集资领导小组组长是谁):
# dropped when the sentence as typed finds nothing whole.  Longest first.
FILLERS = ["我想查一下", "我想查询", "我想了解", "请问一下", "有没有", "有哪些", "多少钱", "是什么", "是哪些", "怎么办", "查一下",
           "我想查", "请问", "是谁", "哪些", "什么", "怎么", "如何", "多少", "我想", "一下", "吗", "呢", "吧", "啊"]

SYNONYMS = Path(__file__).resolve().parent.parent / "synonyms.txt"


class SynonymError(ValueError):
    """A line of synonyms.txt that cannot be read: (line, message)."""


def read_synonyms(path: Path = SYNONYMS) -> list[tuple[str, list[str]]]:
    """(word, [words a search for it also finds]) from the staff's table, folded."""
    if not path.is_file():
        return []
    pairs: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if ">" in line:
            left, _, right = line.partition(">")
            sources, targets = left.split(), right.split()
            if len(sources) != 1 or not targets or ">" in right:
                raise SynonymError(number, "expected one word, then >, then the words it also finds (水费 > 水价)")
        else:
            sources = targets = line.split()
            if len(sources) < 2:
                raise SynonymError(number, "expected two or more words that mean the same, separated by spaces")
        for source in sources:
            key = fold(source)
            for target in targets:
                if fold(target) != key and fold(target) not in pairs.setdefault(key, []):
                    pairs[key].append(fold(target))
    return sorted(pairs.items())


def rules() -> dict:
    """Everything search.js needs to read text as Python does (shipped in rules.js)."""
    table = traditional()
    return {
        "han": HAN, "space": SPACE, "open": OPEN, "close": CLOSE, "run": RUN, "unquote": UNQUOTE, "between": BETWEEN,
        "numberForms": NUMBER_FORMS, "date": DATE, "cnDate": CN_DATE, "cnDigits": CN_DIGITS, "t2sKeys": "".join(table),
        "synonyms": read_synonyms(),
        "fillers": FILLERS,
    }


def t2s_values() -> str:
    """The simplified characters, in the order of rules()['t2sKeys'] (search-index/t2s.js)."""
    return "".join(traditional().values())
