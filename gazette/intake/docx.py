"""A Word file (.docx) → lines and tables, with Word's automatic numbering written out.

docx2python reads the text (runs, fields, hyperlinks, merged table cells,
footnotes); it does not know Word's Chinese list formats and numbers every
such paragraph "--", which is exactly how the bundled 三扶发〔2020〕4号 plan lost
its 一、（一）1. when it was extracted.  So the numbers are computed here from
word/numbering.xml, the way Word does: a counter per list and level, lower
levels restarting under a higher one, the level's own format (chineseCounting
一, decimal 1, ideographTraditional 甲 …) put into its text (%1、 （%2） %3.),
numbering given by a paragraph style as well as directly.

Each Word paragraph is a `hard` line: its end is certain, nothing is joined.
Images and other objects cannot be text: each is named in a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import patterns as p
from .blocks import Block, Line, Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class DocxError(ValueError):
    """The file is not a Word document we can read."""


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False        # isLgl: every level shown as decimal


@dataclass
class _Numbering:
    """Word's list definitions and the counters of one pass through a document."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)   # numId -> (abstractId, start overrides)
    styles: dict[str, tuple[str | None, int | None, str | None]] = field(default_factory=dict)  # style -> (numId, ilvl, basedOn)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    overridden: set = field(default_factory=set)
    unknown: set = field(default_factory=set)

    @classmethod
    def read(cls, numbering: bytes | None, styles: bytes | None) -> _Numbering:
        out = cls()
        if numbering:
            root = etree.fromstring(numbering)
            for a in root.iter(f"{W}abstractNum"):
                levels = {}
                for lvl in a.iter(f"{W}lvl"):
                    levels[int(lvl.get(f"{W}ilvl", "0"))] = _Level(
                        fmt=_val(lvl, "numFmt") or "decimal",
                        text=_val(lvl, "lvlText") if _val(lvl, "lvlText") is not None else "",
                        start=int(_val(lvl, "start") or 1),
                        legal=lvl.find(f"{W}isLgl") is not None,
                    )
                out.abstract[a.get(f"{W}abstractNumId")] = levels
            for n in root.iter(f"{W}num"):
                ref = n.find(f"{W}abstractNumId")
                if ref is None:
                    continue
                starts = {}
                for o in n.iter(f"{W}lvlOverride"):
                    s = o.find(f"{W}startOverride")
                    if s is not None:
                        starts[int(o.get(f"{W}ilvl", "0"))] = int(s.get(f"{W}val"))
                out.nums[n.get(f"{W}numId")] = (ref.get(f"{W}val"), starts)
        if styles:
            root = etree.fromstring(styles)
            for s in root.iter(f"{W}style"):
                num = s.find(f"{W}pPr/{W}numPr")
                based = s.find(f"{W}basedOn")
                num_id = _val(num, "numId") if num is not None else None
                ilvl = _val(num, "ilvl") if num is not None else None
                out.styles[s.get(f"{W}styleId")] = (num_id, int(ilvl) if ilvl else None,
                                                    based.get(f"{W}val") if based is not None else None)
        return out

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            num_id, ilvl, based = self.styles.get(style, (None, None, None))
            if num_id is not None:
                return num_id, ilvl or 0
            style = based
        return None, None

    def label(self, paragraph) -> tuple[str, bool]:
        """(the number Word shows before this paragraph, or '', whether it is set directly)."""
        ppr = paragraph.find(f"{W}pPr")
        num = ppr.find(f"{W}numPr") if ppr is not None else None
        direct = num is not None
        num_id = _val(num, "numId") if num is not None else None
        ilvl = _val(num, "ilvl") if num is not None else None
        style = _val(ppr, "pStyle") if ppr is not None else None
        if num_id is None:
            style_num, style_ilvl = self._style_numbering(style)
            num_id = style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id in (None, "0") or num_id not in self.nums:
            return "", direct
        level = int(ilvl or 0)
        abstract_id, starts = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        counter = self.counters.setdefault(abstract_id, {})
        if num_id not in self.overridden and starts:
            self.overridden.add(num_id)
            for lv, value in starts.items():
                counter[lv] = value - 1
        lvl = levels.get(level, _Level())
        counter[level] = counter.get(level, lvl.start - 1) + 1
        for deeper in [k for k in counter if k > level]:
            del counter[deeper]
        if lvl.fmt == "none":
            return "", direct
        if lvl.fmt == "bullet":
            return "• ", direct

        def figure(m: re.Match) -> str:
            k = int(m[1]) - 1
            at = levels.get(k, _Level())
            value = counter.get(k, at.start)
            return _format("decimal" if lvl.legal and k != level else at.fmt, value, self.unknown)

        return re.sub(r"%([1-9])", figure, lvl.text), direct


def _val(element, name: str) -> str | None:
    if element is None:
        return None
    child = element.find(f"{W}{name}")
    return child.get(f"{W}val") if child is not None else None


_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _format(fmt: str, n: int, unknown: set) -> str:
    """A counter in one of Word's number formats."""
    import cn2an

    if fmt in ("decimal", "decimalHalfWidth"):
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "koreanCounting", "taiwaneseCountingThousand", "japaneseLegal"):
        return cn2an.an2cn(n)
    if fmt in ("chineseLegalSimplified", "taiwaneseLegal"):
        return cn2an.an2cn(n, "up")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and n <= 10:
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and n <= 12:
        return _BRANCHES[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle") and n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) - 0x30 + 0xFF10) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        while n:
            n, r = divmod(n - 1, 26)
            s = chr(97 + r) + s
        return s if fmt == "lowerLetter" else s.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    unknown.add(fmt)
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


# docx2python's own placeholders: its bullet for a numbered paragraph, images, notes.
_BULLET = re.compile(r"^\t*(--|[0-9A-Za-z]+\))\t$")
_IMAGE = re.compile(r"----(?:media/)?([^-]+?)----|----Image alt text---->(.*?)<")
_NOTE = re.compile(r"----(footnote|endnote)(\d+)----")
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


def read(path: Path) -> tuple[list[Block], list[str]]:
    """The blocks of a Word file, and notes of what could not become text."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # "chineseCounting not implemented": we number those ourselves
        try:
            return _read(path)
        except DocxError:
            raise
        except Exception as e:      # a broken zip, a .doc renamed .docx: whatever the library meets
            raise DocxError(f"cannot be read as a Word (.docx) file ({type(e).__name__}); "
                            "open it in Word or WPS and save it as .docx again") from None


def _read(path: Path) -> tuple[list[Block], list[str]]:
    from docx2python import docx2python

    notes: list[str] = []
    doc = docx2python(str(path), duplicate_merged_cells=False)
    with doc:
        zipf = doc.docx_reader.zipf

        def part(name: str) -> bytes | None:
            try:
                return zipf.read(name)
            except KeyError:
                return None

        numbering = _Numbering.read(part("word/numbering.xml"), part("word/styles.xml"))
        images: list[str] = []
        blocks: list[Block] = []
        for table in doc.body_pars:
            in_table = any(par.lineage[1] == "tbl" for row in table for cell in row for par in cell)
            if not in_table:
                for par in (par for row in table for cell in row for par in cell):
                    blocks.append(Line(_text(par, numbering, images), hard=True))
                continue
            rows = []
            for row in table:
                rows.append([" ".join(t for t in (_text(par, numbering, images) for par in cell) if p.strip(t))
                             for cell in row])
            width = max((len(r) for r in rows), default=0)
            rows = [r + [""] * (width - len(r)) for r in rows if any(p.strip(c) for c in r)]
            if len(rows) == 1:
                blocks.append(Line("  ".join(rows[0]), hard=True))
            elif rows:
                blocks.append(Table(rows))
        notes_text = _footnotes(doc)
    if notes_text:
        blocks += [Line("", hard=True)] + [Line(t, hard=True) for t in notes_text]
    if images:
        notes.append(f"{len(images)} image(s) cannot be text and were left out ({', '.join(images[:3])}); "
                     "publish them as attachments if they matter")
    if numbering.unknown:
        notes.append("Word numbering format(s) " + ", ".join(sorted(numbering.unknown)) + " written as 1, 2, 3")
    for i, b in enumerate(blocks, 1):
        b.where = i
    return blocks, notes


def _text(par, numbering: _Numbering, images: list[str]) -> str:
    runs = list(par.run_strings)
    label, direct = numbering.label(par.elem)
    if direct and runs and _BULLET.match(runs[0]):
        runs = runs[1:]                 # docx2python's "--" or "1)" for the number computed above
    text = "".join(runs)
    for m in _IMAGE.finditer(text):
        images.append(m[1] or m[2] or "image")
    text = _IMAGE.sub("", text)
    text = _NOTE.sub(lambda m: f"[注{m[2]}]" if m[1] == "footnote" else f"[尾注{m[2]}]", text)
    text = _LINK.sub(lambda m: m[2] if m[1] in m[2] or not m[1] else f"{m[2]}（{m[1]}）", text)
    text = text.replace("\t", " ").replace("\n", " ")
    if not label:
        return text
    return label + (" " if re.search(f"[{p.HAN}A-Za-z0-9]$", label) else "") + text


def _footnotes(doc) -> list[str]:
    """Footnotes and endnotes as lines 注1：… at the end of the text."""
    out = []
    for kind, pars in (("注", doc.footnotes_pars), ("尾注", doc.endnotes_pars)):
        for par in (par for table in pars for row in table for cell in row for par in cell):
            text = "".join(par.run_strings)
            m = re.match(r"^(?:footnote|endnote)(\d+)\)\t(.*)$", text, re.S)
            if m and p.strip(m[2]):
                out.append(f"[{kind}{m[1]}] {p.strip(m[2])}")
    return out
