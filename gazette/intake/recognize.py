"""One document's text → its fields, its body and its attachments.

The parts of an official document (GB/T 9704-2012) come in a fixed order:
the head (the issuing body's mark, the number, the title, the recipients
ending in ：), the body, the list of attachments (附件：…), the signature
(one line per issuing body, the date under it), the notes after it (contact,
the disclosure note （此件主动公开）), then the attachments' own text and the
版记 (抄送, 印发).  Each part is found by the shape of its lines
(gazette.intake.patterns); each field found keeps the text it came from, so
that import can show the clerk where every value was read.  What is not
found is left out and named; nothing is filled in by guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import docnumber
from . import patterns as p
from .blocks import Block, Line, Table
from .split import titled


@dataclass
class Found:
    value: object
    evidence: str               # the text it was read from, as the clerk will recognize it


@dataclass
class AttachmentDraft:
    title: str
    omitted: bool = False
    blocks: list[Block] | None = None      # None: listed, but its text is not in the file


@dataclass
class Draft:
    found: dict[str, Found] = field(default_factory=dict)
    body: list[Block] = field(default_factory=list)
    attachments: list[AttachmentDraft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_line: int = 0
    last_line: int = 0

    def value(self, key: str):
        return self.found[key].value if key in self.found else None


def _show(text: str, limit: int = 40) -> str:
    text = re.sub(f"[{p.SPACES}]+", " ", p.strip(text))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _recipients(text: str) -> bool:
    """Whether a head line is the recipients line: bodies separated by ，、, ending in ：."""
    if not text.endswith(("：", ":")) or any(c in text for c in "。；;！!？?") or "如下" in text:
        return False
    last = re.split("[，,、]", text[:-1])[-1]
    return last.endswith(p.ORG_END + ("单位", "部门", "机构", "人员")) or last.startswith("各")


def _body_like(text: str) -> bool:
    return bool(p.ends_sentence(text) or "。" in text or p.heading_line(text) or p.date_line(text)
                or p.disclosure_note(text) or p.attachment_list(text) is not None or len(text) > 120)


def recognize(blocks: list[Block]) -> Draft:
    draft = Draft()
    wheres = [b.where for b in blocks if b.where]
    draft.first_line, draft.last_line = (min(wheres), max(wheres)) if wheres else (0, 0)
    head_end, title_lines = _head(blocks, draft)
    rest = blocks[head_end:]

    sig = next((i for i, b in enumerate(rest)
                if isinstance(b, Line) and (p.date_line(b.text) or p.signed_line(b.text))), None)
    main, closing = (rest[:sig], rest[sig:]) if sig is not None else (rest, [])
    issuers, main = _signature(main)
    if sig is not None:
        signed = p.signed_line(closing[0].text)
        if signed:
            issuers = list(dict.fromkeys(issuers + signed[0]))
        day = signed[1] if signed else p.date_line(closing[0].text)
        draft.found["date"] = Found(day, _show(closing[0].text))
    if issuers:
        draft.found["issuers"] = Found(issuers, " / ".join(issuers))
    listed, main = _attachment_list(main)
    main = _notes(main, draft)
    body_end, tail = _closing(closing[1:], draft)
    draft.body = main + body_end
    _title(title_lines, draft)
    _attachments(listed, tail, draft)
    _in_text(draft)
    return draft


def _head(blocks: list[Block], draft: Draft) -> tuple[int, list[str]]:
    """Read the head; return where the body begins and the title's lines."""
    title: list[str] = []
    for i, b in enumerate(blocks):
        if isinstance(b, Table):
            return i, title
        if b.blank:
            continue
        text = p.strip(b.text)
        mark = p.red_head(text)
        if mark and not title and "doc_number" not in draft.found:
            draft.notes.append(f"the head {text} (the issuing body's mark) is not part of the notice")
            draft.found.setdefault("_mark", Found(mark, text))
            continue
        number = p.number_line(text)
        if number and "doc_number" not in draft.found:
            draft.found["doc_number"] = Found(number[0], _show(text))
            if number[1]:
                draft.notes.append(f"not imported: {number[1]} (not a field of a notice)")
            continue
        if title and _recipients(text):
            draft.found["recipients"] = Found(p.squeeze(text[:-1]), _show(text))
            return i + 1, title
        if _body_like(text) or len(title) >= 4:
            return i, title
        title.append(text)
    return len(blocks), title


def _title(lines: list[str], draft: Draft) -> None:
    if not lines:
        return
    issuers = draft.value("issuers") or []
    title = p.join_title(" ".join(lines), issuers)
    said = title if len(lines) == 1 and p.squeeze(lines[0]) == title else " / ".join(_show(t, 30) for t in lines)
    draft.found["title"] = Found(title, said)
    if not issuers:
        lead = re.split(" |关于", title)[0]
        mark = draft.value("_mark")
        if mark:
            draft.found["issuers"] = Found([mark], f"{mark}文件 (the head; no signature found)")
        elif "关于" in title and p.is_issuer(lead):
            draft.found["issuers"] = Found([lead], f"the title (no signature found): {_show(title, 30)}")


def _signature(main: list[Block]) -> tuple[list[str], list[Block]]:
    """The issuing bodies signed just above the date, and the body without them."""
    names: list[str] = []
    cut = len(main)
    for i in range(len(main) - 1, -1, -1):
        b = main[i]
        if isinstance(b, Table):
            break
        if b.blank:
            continue
        found = p.issuer_line(b.text)
        if not found:
            break
        names[:0] = found
        cut = i
    return list(dict.fromkeys(names)), main[:cut]


def _attachment_list(main: list[Block]) -> tuple[list[tuple[str, bool]], list[Block]]:
    """The list 附件：1.… 2.… between the body and the signature, and the body without it."""
    lines = [i for i, b in enumerate(main) if isinstance(b, Line) and not b.blank]
    for back, i in enumerate(reversed(lines)):
        if back > 10 or isinstance(main[i], Table):
            break
        first = p.attachment_list(main[i].text)
        if first is None:
            continue
        items: list[str] = [first] if first else []
        for k in lines[len(lines) - back:]:
            text = p.strip(main[k].text)
            if p.numbered_item(text) or not items:
                items.append(text)
            elif p.ends_sentence(text):
                return [], main          # a sentence after it: 附件： belongs to the body
            else:
                items[-1] += text        # a long title broken over two lines
        listed = [p.attachment_item(t) for t in items if t]
        return [(p.join_title(t), omitted) for t, omitted in listed], main[:i]
    return [], main


def _notes(main: list[Block], draft: Draft) -> list[Block]:
    """Contact, disclosure note, 抄送 and 印发 written before the signature: fields, not body."""
    kept = []
    for b in main:
        if isinstance(b, Line) and not b.blank and _closing_line(b.text, draft):
            continue
        kept.append(b)
    return kept


def _closing_line(text: str, draft: Draft) -> bool:
    text = p.strip(text)
    found = p.disclosure_note(text)
    if found and "disclosure" not in draft.found:
        draft.found["disclosure"] = Found(found, _show(text))
        return True
    contact = p.contact_line(text)
    if contact and "contact" not in draft.found:
        draft.found["contact"] = Found({"name": contact[0], "phone": contact[1]}, _show(text))
        return True
    cc = p.cc_line(text)
    if cc and "cc" not in draft.found:
        draft.found["cc"] = Found(cc, _show(text))
        return True
    printed = p.printed_line(text)
    if printed and "printed_by" not in draft.found:
        draft.found["printed_by"] = Found(printed[0], _show(text))
        draft.found["printed_on"] = Found(printed[1], _show(text))
        return True
    return False


def _closing(after: list[Block], draft: Draft) -> tuple[list[Block], list[Block]]:
    """The notes under the date; return (a note that belongs to the body, the rest: attachments)."""
    to_body: list[Block] = []
    for i, b in enumerate(after):
        if isinstance(b, Table):
            return to_body, after[i:]
        if b.blank:
            continue
        text = p.strip(b.text)
        if _closing_line(text, draft):
            continue
        # (附件详见三亚市人民政府门户网站。): a note to the reader, kept at the end of the body.
        if re.match(r"^[（(].*[）)]$", text) and p.depth(text) == 0 and p.ends_sentence(text):
            to_body += [Line(""), b]
            continue
        return to_body, _without_closing(after[i:], draft)
    return to_body, []


def _without_closing(tail: list[Block], draft: Draft) -> list[Block]:
    """The 版记 (抄送, 印发) may close the file after the attachments: fields, not attachment text."""
    return [b for b in tail if not (isinstance(b, Line) and not b.blank and
                                   (p.cc_line(b.text) or p.printed_line(b.text)) and _closing_line(b.text, draft))]


_COMPLETE = ("方案", "名单", "办法", "细则", "规定", "意见", "表", "目录", "清单", "要点", "计划", "规划", "通知",
             "制度", "标准", "指南", "说明", "规则", "决定", "报告", "图")


def _attachments(listed: list[tuple[str, bool]], tail: list[Block], draft: Draft) -> None:
    wanted = [title for title, omitted in listed if not omitted]
    parts = _tail_parts(tail, numbered=len(wanted) >= 2)
    drafts = []
    for title, omitted in listed:
        if omitted:
            drafts.append(AttachmentDraft(title, omitted=True))
            continue
        if parts:
            own, blocks = parts.pop(0)
            if own and re.sub(r"\s", "", own) != re.sub(r"\s", "", title):
                draft.notes.append(f"attachment {title}: its own text is headed {own}; the list's title was used")
            drafts.append(AttachmentDraft(title, blocks=blocks))
        else:
            drafts.append(AttachmentDraft(title))
    for own, blocks in parts:
        if not own:
            draft.notes.append("text after the signature has no title; it was added to the body")
            draft.body += [Line("")] + blocks
            continue
        if not listed:
            draft.notes.append(f"no 附件： line lists attachments; the text after the signature, headed {own}, "
                               "was taken as an attachment")
        drafts.append(AttachmentDraft(own, blocks=blocks))
    if drafts:
        draft.attachments = drafts
        shown = "; ".join(a.title + ("（略）" if a.omitted else "") for a in drafts)
        draft.found["attachments"] = Found([a for a in drafts], _show(shown, 60))


def _tail_parts(tail: list[Block], numbered: bool) -> list[tuple[str, list[Block]]]:
    """(title, text) of each attachment after the signature."""
    lines = [i for i, b in enumerate(tail) if not (isinstance(b, Line) and b.blank)]
    if not lines:
        return []
    cuts = [lines[0]]
    if numbered:
        cuts += [i for i in lines[1:] if isinstance(tail[i], Line) and p.attachment_mark(tail[i].text)
                 and re.search("[0-9０-９一二三四五六七八九十]", tail[i].text)]
    out = []
    for start, end in zip(cuts, cuts[1:] + [len(tail)]):
        part = tail[start:end]
        out.append(_titled_part(part))
    return out


def _titled_part(part: list[Block]) -> tuple[str, list[Block]]:
    idx = [i for i, b in enumerate(part) if not (isinstance(b, Line) and b.blank)]
    k = 0
    if k < len(idx) and isinstance(part[idx[k]], Line) and p.attachment_mark(part[idx[k]].text):
        k += 1
    if k >= len(idx) or isinstance(part[idx[k]], Table):
        return "", part[idx[k]:] if k < len(idx) else []
    first = p.strip(part[idx[k]].text)
    if p.ends_sentence(first) or p.heading_line(first) or len(first) > 60:
        return "", part[idx[k]:]
    title = [first]
    k += 1
    if (k < len(idx) and not first.endswith(_COMPLETE) and isinstance(part[idx[k]], Line)
            and titled(part[idx[k]].text) and not p.heading_line(part[idx[k]].text)):
        title.append(p.strip(part[idx[k]].text))
        k += 1
    rest = part[idx[k]:] if k < len(idx) else []
    return p.join_title(" ".join(title)), rest


# --- what the body itself says -------------------------------------------------------

_EFFECTIVE = re.compile(f"自({p.DATE})起(?:施行|执行|实施|生效)")
_REPLACES = re.compile("(?:同时)?废止|不再执行|停止执行|以本(?:文|通知|办法|规定|意见|决定|方案|细则)为准")
_CITED = re.compile("[（(]([^（）()]{4,30}?号)[）)]")


def _in_text(draft: Draft) -> None:
    """施行日期 and 替代文件 as the body states them: 本通知自2020年9月1日起执行; …（三府〔2015〕280号）与本文不一致的以本文为准."""
    text = "".join(p.squeeze(b.text) for b in draft.body if isinstance(b, Line))
    dates = {}
    for m in _EFFECTIVE.finditer(text):
        found = p.find_date(m[1])
        if found:
            dates.setdefault(found[0], m[0])
    if len(dates) == 1:
        (day, said), = dates.items()
        draft.found["effective"] = Found(day, said)
    elif len(dates) > 1:
        draft.notes.append("effective: the text names several dates from which it applies ("
                           + "、".join(dates.values()) + "); fill it in yourself")
    numbers, said = [], []
    own = draft.value("doc_number")
    for sentence in re.split("(?<=[。；])", text):
        if not _REPLACES.search(sentence):
            continue
        for m in _CITED.finditer(sentence):
            number = docnumber.try_parse(m[1])
            if number and number != own and number not in numbers:
                numbers.append(number)
                said.append(_show(sentence, 60))
    if numbers:
        draft.found["supersedes"] = Found(numbers, " / ".join(dict.fromkeys(said)))

