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
from dataclasses import dataclass
from difflib import SequenceMatcher

import yaml

from .notice import LABELS, _Loader, _split

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
                    hunks.append(_chars(x, y))
        elif op == "delete":
            hunks += [[("-", p)] for p in a[i1:i2]]
        elif op == "insert":
            hunks += [[("+", p)] for p in b[j1:j2]]
    return [h for h in hunks if h != [("=", "")]]


def _chars(x: str, y: str) -> Segments:
    segments: Segments = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("=", x[i1:i2]))
        if op in ("delete", "replace"):
            segments.append(("-", x[i1:i2]))
        if op in ("insert", "replace"):
            segments.append(("+", y[j1:j2]))
    return segments


def changed(hunks: list[Segments]) -> bool:
    return any(op in "-+" for h in hunks for op, _ in h)


# --- renderers -----------------------------------------------------------------


def html_fields(changes: list[FieldChange]) -> str:
    rows = []
    for c in changes:
        old = f"<del>{html.escape(c.old)}</del>" if c.old else "（无）"
        new = f"<ins>{html.escape(c.new)}</ins>" if c.new else "（删除）"
        rows.append(f"<li><strong>{html.escape(c.label)}</strong>：{old} → {new}</li>")
    return '<ul class="diff-fields">' + "".join(rows) + "</ul>" if rows else ""


def html_text(hunks: list[Segments]) -> str:
    out = ['<div class="diff-text">']
    for hunk in hunks:
        if hunk[0][0] == "…":
            out.append(f'<p class="diff-skip">（省略未改动的{hunk[0][1]}段）</p>')
            continue
        parts = []
        for op, text in hunk:
            t = html.escape(text)
            parts.append(f"<del>{t}</del>" if op == "-" else f"<ins>{t}</ins>" if op == "+" else t)
        out.append(f"<p>{''.join(parts)}</p>")
    out.append("</div>")
    return "".join(out)


_RED, _GREEN, _STRIKE, _UNDER, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[9m", "\x1b[4m", "\x1b[0m"


def terminal_fields(changes: list[FieldChange], color: bool) -> list[str]:
    lines = []
    for c in changes:
        old = c.old if c.old is not None else "（无）"
        new = c.new if c.new is not None else "（删除）"
        if color:
            lines.append(f"{c.label}: {_RED}{_STRIKE}{old}{_RESET} → {_GREEN}{_UNDER}{new}{_RESET}")
        else:
            lines.append(f"{c.label}: {old} → {new}")
    return lines


def terminal_text(hunks: list[Segments], color: bool) -> list[str]:
    lines = []
    for hunk in hunks:
        if hunk[0][0] == "…":
            lines.append(f"  （省略未改动的{hunk[0][1]}段）")
            continue
        parts = []
        for op, text in hunk:
            if op == "=":
                parts.append(text)
            elif color:
                style = _RED + _STRIKE if op == "-" else _GREEN + _UNDER
                parts.append(f"{style}{text}{_RESET}")
            else:
                parts.append(f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
        lines.append("".join(parts))
    return lines
