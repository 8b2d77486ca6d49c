"""The shapes of an official document's lines (GB/T 9704-2012), written once.

Splitting a gazette, recognizing fields and laying out a body all ask the
same questions of a line: is it a document number, a date under a signature,
an issuing body's name, a section heading (一、 （一） 1.), the disclosure
note?  The answers live here.  Document numbers themselves are parsed by
gazette.docnumber and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import re

from .. import docnumber
from ..fields import DISCLOSURES

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Spaces of every width that text from a PDF, Word or a web page carries.
SPACES = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"             # for a regular expression's [...]
SPACE_CHARS = " \t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"   # for str.strip
# Punctuation that ends a sentence or introduces what follows.
TERMINAL = "。！？；：…!?;:"
# Closing marks that may follow the final punctuation: 。” 。） 。》
CLOSERS = "”’）)】》」』\"'〕"
# Any punctuation inside a line (a heading or a name has none of these).
INNER = "，,。；;：:！!？?"

_CN_DIGIT = "〇○零Ｏ一二三四五六七八九"
_CN_NUMBER = "一二三四五六七八九十百零〇"


def strip(text: str) -> str:
    return text.strip(SPACE_CHARS + "\r\n")


def squeeze(text: str) -> str:
    """Spaces as a Chinese document has them.

    A PDF or a web page puts spaces between Han text and figures (2020 年 7 月)
    and around Chinese punctuation; those go.  Spaces between two Han
    characters stay (names padded for alignment, 周 俊; issuers side by side),
    as do spaces between Latin words; runs of spaces become one.
    """
    text = re.sub(f"[{SPACES}]+", " ", strip(text))
    cjk = f"{HAN}，。、；：！？“”‘’（）《》〈〉【】〔〕「」『』…—"
    text = re.sub(f"(?<=[{cjk}]) (?=[0-9A-Za-z０-９Ａ-Ｚａ-ｚ%.])", "", text)
    text = re.sub(f"(?<=[0-9A-Za-z０-９Ａ-Ｚａ-ｚ%]) (?=[{cjk}])", "", text)
    punct = "，。、；：！？“”‘’（）《》〈〉【】〔〕「」『』"
    text = re.sub(f" (?=[{punct}])|(?<=[{punct}]) ", "", text)
    return text


def join_title(text: str, issuers: list[str] = ()) -> str:
    """A title as one line: the spaces a line break left are dropped, except
    those separating joint issuers at its start (中共三亚市委 三亚市人民政府关于…)."""
    text = re.sub(f"[{SPACES}]+", " ", strip(text))
    lead = []
    rest = text
    while True:
        m = re.match(r"([^ ]+) (?=\S)", rest)
        if not m or not (m[1] in issuers or is_issuer(m[1])):
            break
        nxt = rest[m.end():]
        head = re.match(r"[^ ]+", nxt)[0]
        if not (any(head.startswith(i) for i in issuers) or is_issuer(re.split("关于", head)[0] or "x")):
            break
        lead.append(m[1])
        rest = nxt
    body = re.sub(" (?![A-Za-z0-9])|(?<![A-Za-z0-9]) ", "", rest)
    return " ".join(lead + [body]) if lead else body


# --- document numbers, dates, the disclosure note ----------------------------------


def number_line(text: str) -> tuple[docnumber.DocNumber, str] | None:
    """(number, what else the line held) when a line is a document number.

    签发人 on the same line (upward documents) is returned as the rest.
    """
    text = strip(text)
    rest = ""
    m = re.search(f"[{SPACES}]*签发人", text)
    if m:
        text, rest = text[:m.start()], strip(text[m.start():])
    if len(text) > 30 or not re.search("[0-9０-９]{4}", text):
        return None
    number = docnumber.try_parse(text)
    return (number, rest) if number else None


_YEAR = f"([0-9０-９]{{4}}|[{_CN_DIGIT}]{{4}})"
_MD = f"([0-9０-９]{{1,2}}|[{_CN_NUMBER}]{{1,3}})"
_S = f"[{SPACES}]*"
DATE = f"{_YEAR}{_S}年{_S}{_MD}{_S}月{_S}{_MD}{_S}日"
_DATE_LINE = re.compile(f"^{_S}{DATE}{_S}$")
_DATE_ANYWHERE = re.compile(DATE)


def _figure(text: str) -> int | None:
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    text = text.replace("○", "〇").replace("零", "〇").replace("O", "〇")
    if len(text) == 4 and all(c in "〇一二三四五六七八九" for c in text):     # a year, figure by figure
        return int("".join(str("〇一二三四五六七八九".index(c)) for c in text))
    import cn2an

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _date(m: re.Match) -> dt.date | None:
    parts = [_figure(g) for g in m.groups()[:3]]
    if None in parts:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def date_line(text: str) -> dt.date | None:
    """The date when a line is only a date: 2020年7月6日, 2020 年 7 月 6 日, 二〇二〇年七月六日."""
    m = _DATE_LINE.match(text)
    return _date(m) if m else None


_SIGNED = re.compile(f"^{_S}(?P<names>.+?)[{SPACES}]+(?P<date>{DATE}){_S}$")


def signed_line(text: str) -> tuple[list[str], dt.date] | None:
    """(issuers, date) of a signature and its date on one line: 三亚市人民政府　2020年7月6日."""
    m = _SIGNED.match(text)
    if not m:
        return None
    names, day = issuer_line(m["names"]), _date(_DATE_ANYWHERE.match(m["date"]))
    return (names, day) if names and day else None


def find_date(text: str) -> tuple[dt.date, str] | None:
    """The first date written anywhere in text, and how it was written."""
    for m in _DATE_ANYWHERE.finditer(text):
        day = _date(m)
        if day:
            return day, m[0]
    return None


def iso_or_cn_date(text: str) -> dt.date | None:
    """A date in a metadata block: 2020-05-12, 2020/5/12, 2020.05.12 or 2020年5月12日."""
    text = strip(text)
    m = re.fullmatch(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = re.fullmatch(DATE, text)
    return _date(m) if m else None


# 此件公开发布 is GB/T 9704's own wording for a document published in full.
_NOTE_WORDING = {word: word for word in DISCLOSURES} | {"公开发布": DISCLOSURES[0]}
_NOTE = re.compile(f"^[（(]{_S}此件{_S}([^（）()]+?){_S}[）)]$")


def disclosure_note(text: str) -> str | None:
    """The disclosure a note such as （此件主动公开） states, or None."""
    m = _NOTE.match(strip(text))
    if not m:
        return None
    return _NOTE_WORDING.get(re.sub(f"[{SPACES}]", "", m[1]))


# （联系人：林晓，联系电话：88275370）
_CONTACT = re.compile(
    f"^[（(]?{_S}联系人{_S}[:：]{_S}(?P<name>[^，,；;:：（）()]+?){_S}[，,；;、{SPACES}]{_S}"
    f"(?:联系)?电话{_S}[:：]{_S}(?P<phone>[0-9０-９][0-9０-９\\-－—–()（）、，, /]*[0-9０-９]){_S}[）)]?[。.]?$"
)


def contact_line(text: str) -> tuple[str, str] | None:
    m = _CONTACT.match(strip(text))
    if not m:
        return None
    import unicodedata

    return squeeze(m["name"]), unicodedata.normalize("NFKC", m["phone"]).replace(" ", "")


# 三亚市扶贫开发领导小组办公室            2020年3月24日印发
_PRINTED = re.compile(f"^{_S}(?P<by>.+?){_S}(?P<date>{DATE}){_S}印发{_S}$")


def printed_line(text: str) -> tuple[str, dt.date] | None:
    m = _PRINTED.match(text)
    if not m:
        return None
    day = _date(_DATE_ANYWHERE.match(m["date"]))
    return (squeeze(m["by"]), day) if day else None


_CC = re.compile(f"^{_S}抄{_S}送{_S}[:：]{_S}(.+?)[。.]?{_S}$")


def cc_line(text: str) -> str | None:
    m = _CC.match(text)
    return squeeze(m[1]) if m else None


# --- attachments -------------------------------------------------------------------

_ATTACHMENT_LIST = re.compile(f"^{_S}附{_S}件{_S}[0-9０-９]*{_S}[:：]{_S}(.*)$")
_ATTACHMENT_MARK = re.compile(f"^{_S}附{_S}件{_S}([0-9０-９]+|[{_CN_NUMBER}]+)?{_S}[:：]?{_S}$")
_OMITTED = re.compile(f"^(.+?){_S}[（(]{_S}略{_S}[）)]$")
_ITEM = re.compile(f"^{_S}([0-9０-９]+){_S}[.．、]{_S}(.+)$")


def attachment_list(text: str) -> str | None:
    """What follows 附件： on the line that lists attachments, or None."""
    m = _ATTACHMENT_LIST.match(text)
    return strip(m[1]) if m else None


def attachment_mark(text: str) -> bool:
    """Whether a line only announces an attachment: 附件, 附件1, 附件：."""
    return bool(_ATTACHMENT_MARK.match(text))


def attachment_item(text: str) -> tuple[str, bool]:
    """(title, omitted) of one item of the list: 三亚市…名录（略） → (三亚市…名录, True)."""
    text = strip(text)
    m = _ITEM.match(text)
    if m:
        text = m[2]
    m = _OMITTED.match(text)
    return (m[1], True) if m else (text, False)


def numbered_item(text: str) -> bool:
    return bool(_ITEM.match(text))


# --- bodies that issue documents -------------------------------------------------

# How the name of an issuing body ends: 政府, 办公室, 局, 委员会, 领导小组 …
ORG_END = ("政府", "办公室", "办公厅", "局", "委员会", "委", "厅", "部", "院", "署", "会", "室", "组",
            "中心", "办", "处", "站", "所", "队", "团", "社", "联", "行", "司", "馆", "校", "学", "市委", "县委",
            "区委", "党组", "指挥部", "管委会", "管理局")


def is_issuer(text: str) -> bool:
    """Whether a piece of text reads as the name of one issuing body."""
    text = strip(text)
    return (2 <= len(text) <= 30 and not any(c in text for c in INNER + "（）()《》“”、 ")
            and bool(re.match(f"^[{HAN}A-Za-z0-9]+$", text)) and text.endswith(ORG_END))


def issuer_line(text: str) -> list[str] | None:
    """The issuing bodies on a signature line (one, or several side by side), or None."""
    parts = re.split(f"[{SPACES}]+", strip(text))
    if parts and all(is_issuer(p) for p in parts):
        return parts
    return None


def red_head(text: str) -> str | None:
    """The issuing body of a 红头 line such as 三亚市扶贫开发领导小组文件, or None."""
    text = re.sub(f"[{SPACES}]", "", text)
    if text.endswith("文件") and is_issuer(text[:-2]):
        return text[:-2]
    return None


# --- sections -----------------------------------------------------------------------

# Heading numbers of official documents, from the top of the hierarchy down.
MARKERS = (
    ("chapter", re.compile(f"^第[{_CN_NUMBER}0-9]+章")),
    ("section", re.compile(f"^第[{_CN_NUMBER}0-9]+节")),
    ("一、", re.compile(f"^([{_CN_NUMBER}]+)、")),
    ("（一）", re.compile(f"^[（(]{_S}([{_CN_NUMBER}]+){_S}[）)]")),
    ("1.", re.compile("^([0-9０-９]{1,3})[.．、](?![0-9０-９])")),
    ("（1）", re.compile(f"^[（(]{_S}([0-9０-９]{{1,3}}){_S}[）)]")),
    ("①", re.compile("^([\u2460-\u2473])")),
)
KINDS = [kind for kind, _ in MARKERS]


def marker(text: str) -> tuple[str, int | None] | None:
    """(kind, number) of the section number a line starts with, or None."""
    for kind, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            if kind in ("chapter", "section"):
                return kind, None
            return kind, _ordinal(m[1])
    return None


def _ordinal(text: str) -> int | None:
    if "\u2460" <= text <= "\u2473":
        return ord(text) - 0x2460 + 1
    return _figure(text)


def ends_sentence(text: str) -> bool:
    text = text.rstrip(CLOSERS + SPACE_CHARS)
    return bool(text) and text[-1] in TERMINAL


def depth(text: str) -> int:
    """How many brackets a text leaves open: （…  or 《…."""
    return (text.count("（") + text.count("(") - text.count("）") - text.count(")")
            + text.count("《") - text.count("》"))


def heading_line(text: str) -> tuple[str, int | None] | None:
    """(kind, number) when a line is a section heading: a number, a few words, no sentence."""
    found = marker(text)
    if not found or len(text) > 40:
        return None
    inner = text[:-1]
    if any(c in inner for c in "。；;！!？?：:"):
        return None
    return found


# A member list: 组 长：周 俊（市政府副市长）, 孙 亮 市财政局副局长
_NAME = f"(?:[{HAN}]{{2,4}}|[{HAN}] [{HAN}])"
_LABEL = f"(?:[{HAN} ]{{1,6}}[:：] ?)"
_TITLE_END = ("长", "主任", "主席", "书记", "员", "政委", "委员", "秘书", "参事", "顾问", "专家", "代表")
_ROSTER_PAREN = re.compile(f"^{_LABEL}?{_NAME}（[^（）]*）$")
_ROSTER_OPEN = re.compile(f"^{_LABEL}?{_NAME}（[^（）]*$")
_ROSTER_SPACED = re.compile(f"^{_LABEL}?{_NAME} ([{HAN}（）()]+)$")
LABEL_START = re.compile(f"^{_LABEL}")


def roster(text: str) -> str | None:
    """'complete' or 'open' for a line of a member list, None for any other line.

    A member line is complete when its post is (孙 亮 市财政局副局长); it is
    open when the extraction broke it (郭 颖 市发展和改革委员会 / 党组成员).
    """
    if _ROSTER_PAREN.match(text):
        return "complete"
    if _ROSTER_OPEN.match(text):
        return "open"
    m = _ROSTER_SPACED.match(text)
    if m:
        return "complete" if m[1].endswith(_TITLE_END) else "open"
    return None
