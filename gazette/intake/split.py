"""A gazette holds many documents one after another: one part per document.

Each document of a gazette (公报) has its number on a line of its own, with
its title just above it (三亚市人民政府 / 关于…的通知 / 三府〔2020〕124号) or, in
the 红头 layout, the issuing body's mark and the number above the title.  A
document starts where its title starts; it ends where the next one starts,
so its signature, its disclosure note and its attachments stay with it.
Lines before the first document (a gazette's own cover or contents) are
returned apart, for import to name, never silently dropped.
"""

from __future__ import annotations

import re

from . import patterns as p
from .blocks import Block, Line

# How the title of a document ends: …的通知, …方案 (GB/T 9704 文种).
KINDS = ("通知", "通报", "决定", "意见", "办法", "规定", "方案", "报告", "请示", "批复", "函", "公告", "通告",
         "命令", "令", "决议", "议案", "纪要", "公报", "细则", "规则", "规划", "计划", "要点", "总结", "名单",
         "说明", "制度", "标准", "指南", "目录", "清单", "表")


def titled(text: str) -> bool:
    """Whether a line reads as (the end of) a document's title."""
    text = p.strip(text)
    return text.endswith(KINDS) and not any(c in text for c in "。；;！!？?")


def _text(block: Block) -> str | None:
    return p.strip(block.text) if isinstance(block, Line) and not block.blank else None


def _ends_document(text: str) -> bool:
    """A line that closes a document or belongs to its body, never to the next title."""
    return bool(p.ends_sentence(text) or p.disclosure_note(text) or p.date_line(text) or p.number_line(text)
                or p.contact_line(text) or p.printed_line(text) or p.marker(text)
                or p.attachment_list(text) is not None)


def _head_start(blocks: list[Block], anchor: int, floor: int) -> int:
    """Where the document whose number is on line `anchor` begins."""
    near = []                           # non-blank lines above the number, nearest first
    i = anchor - 1
    while i >= floor and len(near) < 4:
        text = _text(blocks[i])
        if not isinstance(blocks[i], Line):
            break
        if text is not None:
            if _ends_document(text):
                break
            near.append(i)
        i -= 1
    if near and p.red_head(_text(blocks[near[0]])):
        return near[0]
    for k, i in enumerate(near):
        text = _text(blocks[i])
        if "关于" in text:
            if text.startswith("关于") and k + 1 < len(near) and p.issuer_line(_text(blocks[near[k + 1]])):
                return near[k + 1]
            return i
    if near and titled(_text(blocks[near[0]])):
        return near[0]
    return anchor                       # the title follows the number (红头 layout)


def split(blocks: list[Block]) -> tuple[list[Block], list[list[Block]]]:
    """(lines before the first document, the documents)."""
    anchors = [i for i, b in enumerate(blocks) if _text(b) and p.number_line(_text(b))]
    if len(anchors) <= 1:
        return [], [blocks]
    starts, floor = [], 0
    for a in anchors:
        start = _head_start(blocks, a, floor)
        starts.append(start)
        floor = a + 1
    parts = [blocks[s:e] for s, e in zip(starts, starts[1:] + [len(blocks)])]
    return blocks[:starts[0]], parts


def preamble_text(blocks: list[Block]) -> str:
    return re.sub(r"\s+", " ", " ".join(_text(b) or "" for b in blocks)).strip()
