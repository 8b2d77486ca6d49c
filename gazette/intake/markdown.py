"""Body lines → the Markdown a notice holds: one paragraph per line, sections as headings.

Text extracted from a PDF or a web page breaks paragraphs where the page
ended a line.  A paragraph of an official document ends with a sentence
(。：；！？), so a line that does not is joined to the next one, unless it is a
heading (一、主要职责), a complete line of a member list (孙 亮 市财政局副局长),
or a short line on its own (a table's title, a heading whose number was
lost).  Word paragraphs (`hard` lines) are never joined.

Section numbers become headings, the highest kind present as ##; a heading
whose number the extraction lost (工作原则 between （一） and （三）) is placed by
the numbers around it, and each such heading is named in the notes so that
the clerk can check it.  A run of 1. 2. 3. short items is a list.

Imported text is text: `escape` makes every character that Markdown or HTML
would read as syntax (`<script>`, `*`, `[link](…)`, `{ onclick=… }`, a `#` at
the start of a line) show as itself.  The one construct kept is an address
written <https://…>, which the site shows as a link anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import patterns as p
from .blocks import Block, Table


@dataclass
class Para:
    text: str
    hard: bool = False
    bullet: bool = False         # the source marked it as a list item (- , •)
    lines: list[str] = field(default_factory=list)
    where: int = 0


Item = Para | Table

_BULLET = re.compile(r"^[-•●·▪◆■]\s+")


def paragraphs(blocks: list[Block]) -> list[Item]:
    """Lines joined into paragraphs where the extraction broke them."""
    out: list[Item] = []
    current: Para | None = None
    for block in blocks:
        if isinstance(block, Table):
            current = None
            out.append(block)
            continue
        if block.blank:
            continue
        text = p.squeeze(block.text)
        bullet = bool(_BULLET.match(text))
        text = _BULLET.sub("", text) if bullet else text
        if current is not None and _continues(current, text, bullet):
            glue = " " if re.search("[A-Za-z0-9]$", current.text) and re.match("[A-Za-z0-9]", text) else ""
            current.text += glue + text
            current.lines.append(text)
            current.hard = block.hard
            continue
        current = Para(text, hard=block.hard, bullet=bullet, lines=[text], where=block.where)
        out.append(current)
    return out


def _standalone(text: str) -> bool:
    """A short line with no punctuation: a heading or a table's title, never half a sentence."""
    return len(text) <= 25 and not any(c in text for c in p.INNER)


def _closing_remark(text: str) -> bool:
    """Whether a paragraph ends with a remark in brackets after its last sentence:
    …完成。（牵头单位：市教育局） or a paragraph that is only such a remark."""
    if not text.endswith(("）", ")")):
        return False
    level = 0
    for i in range(len(text) - 1, -1, -1):
        level += text[i] in "）)"
        level -= text[i] in "（("
        if level == 0:
            return i == 0 or p.ends_sentence(text[:i])
    return False


def _continues(current: Para, text: str, bullet: bool) -> bool:
    acc = current.text
    if current.hard or current.bullet or bullet:
        return False
    if p.heading_line(text) or p.attachment_mark(text) or p.attachment_list(text) is not None:
        return False
    if len(current.lines) == 1 and p.heading_line(acc):
        return False
    shape = p.roster(acc)
    if shape == "complete":
        return False
    if p.depth(acc) > 0:
        return True
    if p.LABEL_START.match(text) or p.roster(text) == "complete" or p.marker(text):
        return False
    if p.ends_sentence(acc) or _closing_remark(acc):
        return False
    if shape == "open":
        return True
    return not _standalone(acc)


# --- escaping -------------------------------------------------------------------------

_AUTOLINK = re.compile(r"<(https?://[^\s<>\"'`]+)>")
_INLINE = re.compile(r"([\\`*_\[\]{}|])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def escape(text: str) -> str:
    """Text that Markdown and HTML show as it is written."""
    pieces = []
    last = 0
    for m in _AUTOLINK.finditer(text):
        pieces.append(_escape_plain(text[last:m.start()]))
        pieces.append(m[0])
        last = m.end()
    pieces.append(_escape_plain(text[last:]))
    out = "".join(pieces)
    # What Markdown reads at the start of a line: #, a list marker, a rule.
    out = re.sub(r"^(#+)", lambda m: "\\" + "\\".join(m[1]), out)
    out = re.sub(r"^([-+*])(?=\s|$)", r"\\\1", out)
    out = re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", out)
    out = re.sub(r"^(=+|-+)$", lambda m: "\\" + m[0], out)
    return out


def _escape_plain(text: str) -> str:
    text = _ENTITY.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE.sub(r"\\\1", text)


# --- layout ---------------------------------------------------------------------------


@dataclass
class _Heading:
    index: int                    # position in the items
    kind: str | None              # None: no number (lost in extraction?)
    number: int | None
    how: str = ""                 # for an unnumbered heading: how its level was found


def render(blocks: list[Block]) -> tuple[str, list[str]]:
    """(Markdown, notes) of a body."""
    items = paragraphs(blocks)
    notes: list[str] = []
    lists = _lists(items)
    captions = {i for i, it in enumerate(items)
                if isinstance(it, Para) and i + 1 < len(items) and isinstance(items[i + 1], Table)
                and _standalone(it.text) and not p.heading_line(it.text)}
    merged = set()        # 附件 + its title inside a body: one heading
    for i, it in enumerate(items[:-1]):
        nxt = items[i + 1]
        if isinstance(it, Para) and p.attachment_mark(it.text) and isinstance(nxt, Para) and not p.heading_line(nxt.text):
            merged.add(i)

    headings = []
    for i, it in enumerate(items):
        if not isinstance(it, Para) or i in lists or i in captions or i - 1 in merged or i in merged:
            continue
        found = p.heading_line(it.text)
        if found:
            headings.append(_Heading(i, *found))
        elif (_standalone(it.text) and not p.roster(it.text) and i + 1 < len(items)
              and isinstance(items[i + 1], Para) and not it.bullet):
            headings.append(_Heading(i, None, None))
    if not any(h.kind for h in headings):
        headings = []                      # no section numbers at all: short lines stay paragraphs
    levels = _levels(headings)
    guessed = [h for h in headings if h.kind is None or h.how]
    if guessed:
        notes.append(
            f"{len(guessed)} heading(s) have no number (lost in extraction?); placed by the numbers around them — check: "
            + "; ".join(f"{items[h.index].text} ({h.how})" for h in guessed)
        )

    out: list[str] = []
    for i, it in enumerate(items):
        if i - 1 in merged:
            continue
        if isinstance(it, Table):
            out.append(_table(it))
        elif i in merged:
            title = p.join_title(items[i + 1].text)
            out.append("## " + escape(re.sub(f"[{p.SPACES}:：]", "", it.text) + " " + title))
        elif i in levels:
            out.append("#" * levels[i] + " " + escape(it.text))
        elif i in lists:
            kind, number = lists[i]
            if kind == "-":
                out.append("- " + escape(it.text))
            else:
                rest = p.MARKERS[p.KINDS.index("1.")][1].sub("", it.text, count=1)
                out.append(f"{number}. " + escape(p.strip(rest)))
        elif i in captions:
            out.append("**" + escape(it.text) + "**")
        else:
            out.append(escape(it.text))
    # List items stay together; everything else is a paragraph of its own.
    text = ""
    for i, chunk in enumerate(out):
        if i:
            text += "\n" if _is_item(out[i - 1]) and _is_item(chunk) else "\n\n"
        text += chunk
    return text, notes


def _is_item(chunk: str) -> bool:
    return bool(re.match(r"^(- |\d+\. )", chunk))


def _lists(items: list[Item]) -> dict[int, tuple[str, int]]:
    """Items of lists: runs of short 1. 2. 3. lines starting at 1, and lines the source bulleted.

    A run that does not start at 1 stays as written, so its numbers are
    never renumbered by Markdown.
    """
    out: dict[int, tuple[str, int]] = {}
    i = 0
    while i < len(items):
        run = []
        j = i
        while j < len(items) and isinstance(items[j], Para):
            found = p.heading_line(items[j].text)
            if not found or found[0] != "1." or found[1] != len(run) + 1:
                break
            run.append(j)
            j += 1
        if len(run) >= 2:
            for n, k in enumerate(run, 1):
                out[k] = ("1.", n)
            i = j
            continue
        it = items[i]
        if isinstance(it, Para) and it.bullet and not p.marker(it.text):
            out[i] = ("-", 0)
        i += 1
    return out


def _levels(headings: list[_Heading]) -> dict[int, int]:
    """Markdown level of each heading: the highest kind of number present is ##."""
    present = [k for k in p.KINDS if any(h.kind == k for h in headings)]
    _place_unnumbered(headings, present)
    out = {}
    previous = 2
    for h in headings:
        if h.kind is None:
            h.how = "at the level of the heading before it"
            out[h.index] = previous
            continue
        out[h.index] = previous = min(6, 2 + present.index(h.kind))
    return out


def _place_unnumbered(headings: list[_Heading], present: list[str]) -> None:
    """Give a heading without a number the kind whose numbering it completes.

    工作原则 between （一） and （三） is the lost （二）; 产业扶贫 and 就业扶贫
    before 3.旅游扶贫 are the lost 1. and 2.; 工作要求 followed by a new （一）
    after 二、 is the lost 三、.
    """
    for rank, kind in enumerate(present):
        higher = set(present[:rank])
        last, since = 0, 0                  # last number of this kind, and where its run began
        for pos, h in enumerate(headings):
            if h.kind in higher:
                last, since = 0, pos + 1
                continue
            if h.kind == kind:
                last, since = h.number or last, pos + 1
                continue
            if h.kind is not None:
                continue
            nxt = next((k for k in range(pos + 1, len(headings)) if headings[k].kind in higher | {kind}), None)
            waiting = [k for k in range(since, nxt if nxt is not None else len(headings)) if headings[k].kind is None]
            if nxt is not None and headings[nxt].kind == kind and headings[nxt].number:
                q = headings[nxt].number
                if waiting and waiting[0] == pos and len(waiting) == q - last - 1:
                    for k, n in zip(waiting, range(last + 1, q)):
                        _assign(headings[k], kind, n)
                    last, since = q - 1, waiting[-1] + 1
                    continue
                if q == last + 2:
                    _assign(h, kind, last + 1)
                    last, since = last + 1, pos + 1
                    continue
            follower = headings[pos + 1] if pos + 1 < len(headings) else None
            child = present[rank + 1] if rank + 1 < len(present) else None
            if last and follower is not None and follower.kind == child and follower.number == 1:
                _assign(h, kind, last + 1)
                last, since = last + 1, pos + 1


def _assign(h: _Heading, kind: str, number: int) -> None:
    h.kind, h.number = kind, number
    h.how = f"as the missing {_spell(kind, number)}"


def _spell(kind: str, number: int) -> str:
    import cn2an

    han = cn2an.an2cn(number)
    return {"一、": f"{han}、", "（一）": f"（{han}）", "1.": f"{number}.", "（1）": f"（{number}）",
            "①": chr(0x2460 + number - 1) if number <= 20 else f"{number}"}.get(kind, f"{kind} {number}")


def _table(table: Table) -> str:
    def row(cells):
        return "| " + " | ".join(escape(p.squeeze(c.replace("\n", " "))) for c in cells) + " |"

    head, *rest = table.rows
    lines = [row(head), "|" + "---|" * len(head)]
    lines += [row(r) for r in rest]
    return "\n".join(lines)
