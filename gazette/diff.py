"""What changed between two versions of a notice, as a person reads it.

Front-matter is compared field by field (发布日期: 2020-07-06 → 2020-07-10).
The body is compared paragraph by paragraph, then character by character
inside changed paragraphs: Chinese has no spaces, so a word or line diff
would mark whole paragraphs.  Deletions and insertions are shown so that
they are visible without colour: <del>/<ins> (struck through, underlined) on
the site, [-…-]/{+…+} or strike-through/underline escapes in a terminal.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

import yaml

from .fields import LABELS
from .notice import _Loader, _split

CONTEXT = 1          # unchanged paragraphs shown around a change


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    old: str | None      # None: the field was absent
    new: str | None


@dataclass(frozen=True)
class Version:
    fields: dict
    body: str
    readable: bool = True

    @property
    def disclosure(self) -> str | None:
        value = self.fields.get("disclosure")
        return value if isinstance(value, str) else None


# A body diff: hunks of segments (op, text), op one of "=", "-", "+", and
# "…" for paragraphs left out; each hunk is one paragraph as shown.
Segments = list[tuple[str, str]]


def parse_version(text: str | None) -> Version:
    """Fields and body of one version; never raises (old versions may be broken)."""
    if text is None:
        return Version({}, "")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    parts = _split(text)
    if parts is None:
        return Version({}, text.strip("\n"), readable=False)
    block, body, _ = parts
    try:
        fields = yaml.load(block, Loader=_Loader) or {}
    except yaml.YAMLError:
        return Version({}, body.strip("\n"), readable=False)
    if not isinstance(fields, dict):
        fields = {}
    return Version(fields, body.strip("\n"))


def value_text(value) -> str:
    if isinstance(value, list):
        return "、".join(value_text(v) for v in value)
    if isinstance(value, dict):
        if "title" in value:
            return str(value["title"]) + ("（略）" if value.get("omitted") else "")
        return "，".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if value is None:
        return ""
    return str(value)


def field_changes(old: Version, new: Version) -> list[FieldChange]:
    keys = list(LABELS) + sorted(k for k in {*old.fields, *new.fields} if k not in LABELS)
    changes = []
    for key in keys:
        a = value_text(old.fields[key]) if key in old.fields else None
        b = value_text(new.fields[key]) if key in new.fields else None
        if a != b:
            changes.append(FieldChange(key, LABELS.get(key, str(key)), a, b))
    return changes


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def as_read(markdown: str) -> str:
    """A Markdown body as a reader sees it, line for line, for diffs shown on the site.

    A table row becomes its cells side by side (a changed cell shows as that
    cell), the rule under a table's head goes, and heading marks, emphasis
    and link syntax give way to their text.  Never Markdown syntax.
    """
    out: list[str] = []
    lines = markdown.split("\n")
    head: list[str] | None = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        is_row = stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1
        if not is_row:
            head = None
        if _TABLE_RULE.match(line):
            continue
        if is_row:
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
                head = cells            # the head is named in every row below it
                continue
            if head and len(head) == len(cells):
                line = "；".join(f"{h}：{c}" for h, c in zip(head, cells))
            else:
                line = "　".join(cells)
        line = re.sub(r"^#{1,6}\s+", "", line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"\*\*|__|`", "", line)
        out.append(line)
    return "\n".join(out)


def text_diff(old: str, new: str) -> list[Segments]:
    """Changed paragraphs with character-level changes, and some context."""
    a, b = old.split("\n"), new.split("\n")
    hunks: list[Segments] = []
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            paras = [p for p in a[i1:i2] if p.strip()]
            keep_head = CONTEXT if n > 0 else 0
            keep_tail = CONTEXT if n < len(ops) - 1 else 0
            if len(paras) > keep_head + keep_tail:
                hunks += [[("=", p)] for p in paras[:keep_head]]
                hunks.append([("…", str(len(paras) - keep_head - keep_tail))])
                hunks += [[("=", p)] for p in paras[len(paras) - keep_tail:]]
            else:
                hunks += [[("=", p)] for p in paras]
        elif op == "replace":
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                x = olds[k] if k < len(olds) else None
                y = news[k] if k < len(news) else None
                if x is None:
                    hunks.append([("+", y)])
                elif y is None:
                    hunks.append([("-", x)])
                else:
                    hunks.append(_paragraph(x, y))
        elif op == "delete":
            hunks += [[("-", p)] for p in a[i1:i2]]
        elif op == "insert":
            hunks += [[("+", p)] for p in b[j1:j2]]
    return [h for h in hunks if h != [("=", "")]]


# A paragraph can be a whole law in one line.  Comparing two such paragraphs
# character by character costs time growing with the product of their
# lengths (a minute for 300,000 characters), so changed paragraphs are
# compared sentence by sentence first, then character by character only
# inside the sentences that changed.  Changed stretches too long to compare
# (the product of their lengths over LONG², e.g. both over LONG characters)
# are shown as one deletion and one insertion.
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;\n]+[”’」』）)》\"']*|$)")
LONG = 5000


def sentences(text: str) -> list[str]:
    """The text cut after 。！？；!?; and newlines, each piece keeping its delimiter
    (and a closing quote or bracket after it); "".join() gives the text back."""
    return [s for s in _SENTENCE.findall(text) if s]


def _paragraph(x: str, y: str) -> Segments:
    if x == y:
        return [("=", x)]
    a, b = sentences(x), sentences(y)
    segments: Segments = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("=", "".join(a[i1:i2])))
        elif op == "delete":
            segments.append(("-", "".join(a[i1:i2])))
        elif op == "insert":
            segments.append(("+", "".join(b[j1:j2])))
        else:
            segments += _changed_sentences(a[i1:i2], b[j1:j2])
    return _tidy(segments)


def _changed_sentences(olds: list[str], news: list[str]) -> Segments:
    x, y = "".join(olds), "".join(news)
    if len(x) * len(y) <= LONG * LONG:
        return _chars(x, y)
    if len(olds) > 1 and len(olds) == len(news):
        # As many sentences on each side: most likely each one edited.
        out: Segments = []
        for s, t in zip(olds, news):
            out += _changed_sentences([s], [t])
        return out
    return [("-", x), ("+", y)]


def _chars(x: str, y: str) -> Segments:
    # What both share at the start and the end needs no comparing (and
    # repetitive text, a row of dashes, is slow to compare).
    head = len(os.path.commonprefix([x, y]))
    tail = len(os.path.commonprefix([x[head:][::-1], y[head:][::-1]]))
    segments: Segments = [("=", x[:head])]
    mid_x, mid_y = x[head:len(x) - tail], y[head:len(y) - tail]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, mid_x, mid_y, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("=", mid_x[i1:i2]))
        if op in ("delete", "replace"):
            segments.append(("-", mid_x[i1:i2]))
        if op in ("insert", "replace"):
            segments.append(("+", mid_y[j1:j2]))
    segments.append(("=", x[len(x) - tail:]))
    return segments


def _tidy(segments: Segments) -> Segments:
    """Join neighbouring pieces: one "=" per unchanged stretch, and one "-" then
    one "+" per changed stretch, as a single character comparison gives."""
    out: Segments = []
    gone: list[str] = []
    come: list[str] = []

    def flush() -> None:
        if gone:
            out.append(("-", "".join(gone)))
        if come:
            out.append(("+", "".join(come)))
        gone.clear()
        come.clear()

    for op, text in segments:
        if not text:
            continue
        if op == "=":
            flush()
            if out and out[-1][0] == "=":
                out[-1] = ("=", out[-1][1] + text)
            else:
                out.append(("=", text))
        else:
            (gone if op == "-" else come).append(text)
    flush()
    return out


def changed(hunks: list[Segments]) -> bool:
    return any(op in "-+" for h in hunks for op, _ in h)


# --- renderers -----------------------------------------------------------------
# One walk over the changes; a style says how a deletion, an insertion and a
# run of unchanged paragraphs look: HTML, a colour terminal, or plain text.


@dataclass(frozen=True)
class _Style:
    escape: Callable[[str], str]
    deleted: Callable[[str], str]
    inserted: Callable[[str], str]
    skipped: Callable[[str], str]
    mark_fields: bool = True       # mark old and new field values too
    empty_is_absent: bool = False  # show an empty field value as （无）/（删除）


_RED, _GREEN, _STRIKE, _UNDER, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[9m", "\x1b[4m", "\x1b[0m"

# What a terminal would act on rather than show: C0 controls but the tab,
# DEL and C1 controls (ESC starts colour, cursor and title sequences, and a
# notice or a commit message could carry them), line and paragraph
# separators, and the bidirectional controls that make text read in an
# order other than the one it is stored in.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Text that is safe to write to a terminal: every control character is
    shown escaped, ESC as \\x1b, U+202E as \\u202e.  Every terminal output
    goes through this; only the colour escapes we add ourselves are raw."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


HTML = _Style(html.escape, lambda t: f"<del>{t}</del>", lambda t: f"<ins>{t}</ins>",
              lambda n: f'<p class="diff-skip">（省略未改动的{n}段）</p>', empty_is_absent=True)
COLOR = _Style(terminal_safe, lambda t: f"{_RED}{_STRIKE}{t}{_RESET}", lambda t: f"{_GREEN}{_UNDER}{t}{_RESET}",
               lambda n: f"  （省略未改动的{n}段）")
PLAIN = _Style(terminal_safe, lambda t: f"[-{t}-]", lambda t: f"{{+{t}+}}", lambda n: f"  （省略未改动的{n}段）",
               mark_fields=False)


def _field_lines(changes: list[FieldChange], style: _Style, label: Callable[[str], str]) -> list[str]:
    def shown(value: str | None) -> bool:
        return bool(value) if style.empty_is_absent else value is not None

    def mark(value: str, how: Callable[[str], str]) -> str:
        return how(style.escape(value)) if style.mark_fields else style.escape(value)

    lines = []
    for c in changes:
        old = mark(c.old, style.deleted) if shown(c.old) else "（无）"
        new = mark(c.new, style.inserted) if shown(c.new) else "（删除）"
        lines.append(f"{label(style.escape(c.label))}{old} → {new}")
    return lines


def _text_lines(hunks: list[Segments], style: _Style) -> list[str]:
    lines = []
    for hunk in hunks:
        if hunk[0][0] == "…":
            lines.append(style.skipped(hunk[0][1]))
            continue
        marks = {"=": str, "-": style.deleted, "+": style.inserted}
        lines.append("".join(marks[op](style.escape(text)) for op, text in hunk))
    return lines


def html_fields(changes: list[FieldChange]) -> str:
    rows = _field_lines(changes, HTML, lambda label: f"<li><strong>{label}</strong>：")
    return '<ul class="diff-fields">' + "".join(row + "</li>" for row in rows) + "</ul>" if rows else ""


def html_text(hunks: list[Segments]) -> str:
    lines = _text_lines(hunks, HTML)
    # Text is escaped, so only a skip note can start with a tag of its own.
    return '<div class="diff-text">' + "".join(
        line if line.startswith("<p class=") else f"<p>{line}</p>" for line in lines
    ) + "</div>"


def terminal_fields(changes: list[FieldChange], color: bool) -> list[str]:
    return _field_lines(changes, COLOR if color else PLAIN, lambda label: f"{label}: ")


def terminal_text(hunks: list[Segments], color: bool) -> list[str]:
    return _text_lines(hunks, COLOR if color else PLAIN)
