"""The fields of a notice: one table that loading, the metadata table and diffs read.

Each row says what a key is called on the site, what type it has, whether it
is required, and whether a 依申请公开 notice may show it.  notice.py checks
front-matter against this table, public.py projects notices and their past
revisions through it, and the page and diff labels come from it.  Adding a
field means adding a row here (and its attribute on Notice).

Normalizing values lives here too, and is the same for the working tree and
for every past revision read from git: text is trimmed of spaces of every
width (a Chinese input method types U+3000), closed vocabularies are compared
after NFKC, so `不予公开　` and `"不予公开 "` are 不予公开 everywhere.  What a
disclosure value allows is decided in public.py, and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

DISCLOSURES = ("主动公开", "依申请公开", "不予公开")
VALIDITIES = ("有效", "失效", "废止")
CATEGORIES = ("规章", "规范性文件", "其他文件")


@dataclass(frozen=True)
class Field:
    key: str
    label: str                 # how the site names it (NOTICE-FORMAT.md)
    kind: str                  # text, texts, date, number, numbers, choice, attachments, contact, errata
    required: bool = False
    choices: tuple[str, ...] = ()
    default: object = None
    at_least: int = 0          # for lists: the fewest items
    on_request: bool = True    # shown for a 依申请公开 notice (metadata); False: only when 主动公开


FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "text", required=True),
    Field("doc_number", "发文字号", "number"),
    Field("issuers", "发文机关", "texts", required=True, at_least=1),
    Field("date", "成文日期", "date", required=True),
    Field("published", "发布日期", "date"),
    Field("disclosure", "公开方式", "choice", required=True, choices=DISCLOSURES),
    Field("index_no", "索引号", "text"),
    Field("topics", "主题分类", "texts"),
    Field("recipients", "主送机关", "text"),
    Field("cc", "抄送机关", "text", on_request=False),
    Field("validity", "有效性", "choice", choices=VALIDITIES, default="有效"),
    Field("effective", "施行日期", "date"),
    Field("repealed_on", "废止日期", "date"),
    Field("repealed_by", "废止文件", "number"),
    Field("supersedes", "替代文件", "numbers"),
    Field("attachments", "附件", "attachments", on_request=False),
    Field("contact", "联系人", "contact", on_request=False),
    Field("printed_by", "印发机关", "text", on_request=False),
    Field("printed_on", "印发日期", "date", on_request=False),
    Field("errata", "勘误", "errata", on_request=False),
    Field("category", "文件类别", "choice", choices=CATEGORIES, default="其他文件"),
)

BY_KEY = {f.key: f for f in FIELDS}
LABELS = {f.key: f.label for f in FIELDS}

# Keys of the nested mappings: key -> (required, kind).
ATTACHMENT_KEYS = {"title": (True, "text"), "file": (False, "text"), "omitted": (False, "flag")}
CONTACT_KEYS = {"name": (True, "text"), "phone": (False, "text")}
ERRATUM_KEYS = {"date": (True, "date"), "note": (True, "text")}


# --- normalizing ---------------------------------------------------------------

# Spaces of every width a keyboard or an input method types, and the BOM.
_SPACES = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"


def trim(text: str) -> str:
    """Text as written, without spaces of any width around it, in NFC."""
    return unicodedata.normalize("NFC", text).strip(_SPACES + "\r\n")


def closed(text: str) -> str:
    """The form a closed vocabulary is compared in: trimmed, NFKC."""
    return unicodedata.normalize("NFKC", trim(text)).strip()


# Characters that never belong in a notice: C0/C1 controls except tab and
# newline, the line and paragraph separators (YAML reads them as line
# breaks nobody can see), and the bidirectional overrides that make text
# read other than it is stored.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def control_char(text: str) -> str | None:
    """The first forbidden control character in text, as U+XXXX, or None."""
    m = CONTROL.search(text)
    return f"U+{ord(m[0]):04X}" if m else None


# --- showing ---------------------------------------------------------------------


def cn_date(day: dt.date) -> str:
    """2020-07-06 -> 2020年7月6日, as dates are written in official documents."""
    return f"{day.year}年{day.month}月{day.day}日"


def display(key: str, value: object) -> str:
    """A field's value as the site shows it, for tables and diffs."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, (list, tuple)):
        return "、".join(display(key, v) for v in value)
    if isinstance(value, dict):
        if "title" in value:
            return str(value["title"]) + ("（略）" if value.get("omitted") else "")
        if "note" in value:
            return f"{display('date', value.get('date'))}：{value.get('note') or ''}"
        if "name" in value:
            phone = value.get("phone")
            return str(value["name"]) + (f"，联系电话：{phone}" if phone else "")
        return "，".join(f"{k}：{display(k, v)}" for k, v in value.items())
    return str(value)
