"""What every reader produces: lines of text and tables, in document order.

A text file gives lines (a table is a run of tab-separated lines); a Word
file gives paragraphs, which are lines whose end is certain (`hard`), and
real tables.  Everything after this step works on these blocks and never
knows which kind of file they came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from .patterns import SPACE_CHARS, strip


@dataclass
class Line:
    text: str
    hard: bool = False      # the source ends a paragraph here (a Word paragraph)
    where: int = 0          # line number in the source, for what import prints

    @property
    def blank(self) -> bool:
        return not strip(self.text)


@dataclass
class Table:
    rows: list[list[str]]
    where: int = 0


Block = Line | Table


def _cells(line: str) -> list[str]:
    cells = [strip(c) for c in line.strip(SPACE_CHARS.replace("\t", "") + "\r\n").split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _row(line: str) -> bool:
    return "\t" in line.strip(SPACE_CHARS.replace("\t", "")) and any(_cells(line))


def from_lines(lines: list[str], first: int = 1) -> list[Block]:
    """Blocks of a text file's lines: tab-separated lines make a table.

    A table may have blank lines between its rows (text extraction adds
    them); it needs two rows at least, one with two filled cells.  A single
    line with tabs (issuers set side by side) stays a line.
    """
    out: list[Block] = []
    i = 0
    while i < len(lines):
        if not _row(lines[i]):
            out.append(Line(lines[i].replace("\t", " "), where=first + i))
            i += 1
            continue
        rows, j, last = [], i, i
        while j < len(lines):
            if _row(lines[j]):
                rows.append(_cells(lines[j]))
                last = j
                j += 1
            elif not strip(lines[j]) and j + 1 < len(lines) and _row(lines[j + 1]):
                j += 1
            else:
                break
        if len(rows) >= 2 and any(sum(1 for c in r if c) >= 2 for r in rows):
            width = max(len(r) for r in rows)
            out.append(Table([r + [""] * (width - len(r)) for r in rows], where=first + i))
            i = last + 1
        else:
            out.append(Line(lines[i].replace("\t", " "), where=first + i))
            i += 1
    return out
