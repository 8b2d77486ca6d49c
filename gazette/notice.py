"""The notice: one Markdown file with YAML front-matter, read and checked.

The fields and their rules are those of NOTICE-FORMAT.md.  Reading never
raises for bad input: every problem is collected with its file, line and
field, so that `build.py check` can list them all at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import docnumber
from .problems import Problem

DISCLOSURES = ("主动公开", "依申请公开", "不予公开")
VALIDITIES = ("有效", "失效", "废止")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# How each field is labelled on the site (NOTICE-FORMAT.md), in display order.
LABELS = {
    "title": "标题", "doc_number": "发文字号", "issuers": "发文机关", "date": "成文日期",
    "published": "发布日期", "disclosure": "公开方式", "index_no": "索引号", "topics": "主题分类",
    "recipients": "主送机关", "cc": "抄送机关", "validity": "有效性", "effective": "施行日期",
    "repealed_on": "废止日期", "repealed_by": "废止文件", "supersedes": "替代文件", "attachments": "附件",
    "contact": "联系人", "printed_by": "印发机关", "printed_on": "印发日期", "errata": "勘误",
}


@dataclass(frozen=True)
class Attachment:
    title: str
    file: str | None = None          # path relative to the notice's folder
    omitted: bool = False            # 附件略: published elsewhere
    text: str | None = None          # Markdown text of a .md attachment
    source: Path | None = None       # absolute path of the attachment file


@dataclass(frozen=True)
class Erratum:
    date: dt.date
    note: str


@dataclass
class Notice:
    path: Path                       # absolute path of the file
    rel: str                         # path as shown to people, e.g. notices/2020/x.md
    slug: str
    title: str
    issuers: list[str]
    date: dt.date
    disclosure: str
    body: str
    doc_number: docnumber.DocNumber | None = None
    doc_number_text: str | None = None   # as written
    published: dt.date | None = None
    index_no: str | None = None
    topics: list[str] = field(default_factory=list)
    recipients: str | None = None
    cc: str | None = None
    validity: str = "有效"
    effective: dt.date | None = None
    repealed_on: dt.date | None = None
    repealed_by: docnumber.DocNumber | None = None
    supersedes: list[docnumber.DocNumber] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    contact: dict[str, str] | None = None
    printed_by: str | None = None
    printed_on: dt.date | None = None
    errata: list[Erratum] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # field -> line in file

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def published_on(self) -> dt.date:
        return self.published or self.date

    @property
    def is_public(self) -> bool:
        """Whether the body and attachments may appear in any output."""
        return self.disclosure == "主动公开"

    @property
    def is_listed(self) -> bool:
        """Whether anything of the notice may appear in any output."""
        return self.disclosure != "不予公开"

    @property
    def url(self) -> str:
        """The notice's one canonical address inside the site."""
        return f"notices/{self.year}/{self.slug}.html"

    @property
    def sort_key(self) -> tuple:
        # Date, then prefix, then serial as a number (9号 before 10号).
        number = self.doc_number.sort_key if self.doc_number else ("", 0, 0)
        return (self.date, number, self.title)


# --- YAML with line numbers --------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so we check them ourselves.

    PyYAML turns 2020-07-06 into a date and raises a bare ValueError for
    2020-02-30; keeping the text lets us say which line and field is wrong.
    """


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Reader:
    """Checks one notice's fields, collecting problems instead of raising."""

    def __init__(self, rel: str, offset: int):
        self.rel = rel
        self.offset = offset  # file line of the YAML block's first line, minus 1
        self.problems: list[Problem] = []

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def problem(self, line: int, name: str, message: str) -> None:
        self.problems.append(Problem(self.rel, line, name, message))

    def value(self, node: yaml.Node) -> Any:
        loader = _Loader("")
        try:
            return loader.construct_object(node, deep=True)
        finally:
            loader.dispose()

    # Each checker takes (name, node) and returns the value or None.

    def text(self, name: str, node: yaml.Node) -> str | None:
        value = self.value(node)
        if isinstance(value, str) and value.strip():
            if "\n" in value.strip():
                self.problem(self.line(node), name, "expected one line of text")
                return None
            return value.strip()
        self.problem(self.line(node), name, f"expected text, got {_show(value)}")
        return None

    def date(self, name: str, node: yaml.Node) -> dt.date | None:
        value = self.value(node)
        text = value if isinstance(value, str) else None
        if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            try:
                return dt.date.fromisoformat(text.strip())
            except ValueError:
                pass
            self.problem(self.line(node), name, f"expected a real date as YYYY-MM-DD, got {text.strip()}")
            return None
        self.problem(self.line(node), name, f"expected a date as YYYY-MM-DD, got {_show(value)}")
        return None

    def number(self, name: str, node: yaml.Node) -> docnumber.DocNumber | None:
        value = self.value(node)
        if isinstance(value, str):
            parsed = docnumber.try_parse(value)
            if parsed:
                return parsed
        self.problem(
            self.line(node), name,
            f"expected a document number like 三府〔2020〕124号, got {_show(value)}",
        )
        return None

    def choice(self, options: tuple[str, ...]) -> Callable:
        def check(name: str, node: yaml.Node) -> str | None:
            value = self.value(node)
            if isinstance(value, str) and value.strip() in options:
                return value.strip()
            self.problem(
                self.line(node), name,
                f"expected one of {'、'.join(options)}, got {_show(value)}",
            )
            return None
        return check

    def listof(self, item: Callable, at_least: int = 0) -> Callable:
        def check(name: str, node: yaml.Node) -> list | None:
            if not isinstance(node, yaml.SequenceNode):
                value = self.value(node)
                example = f"[{value}]" if isinstance(value, str) and value.strip() else "[a, b]"
                self.problem(self.line(node), name, f"expected a list like {example}, got {_show(value)}")
                return None
            if len(node.value) < at_least:
                self.problem(self.line(node), name, f"expected at least {at_least} in the list, got an empty list")
                return None
            values = [item(name, child) for child in node.value]
            return None if any(v is None for v in values) else values
        return check

    def mapping(self, name: str, node: yaml.Node, spec: dict[str, tuple[bool, Callable]]) -> dict | None:
        """A nested mapping (attachment, contact, erratum) with its own keys."""
        if not isinstance(node, yaml.MappingNode):
            keys = "、".join(spec)
            self.problem(self.line(node), name, f"expected a mapping with {keys}, got {_show(self.value(node))}")
            return None
        result: dict[str, Any] = {}
        ok = True
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if key not in spec:
                self.problem(self.line(key_node), f"{name}.{key}", f"unknown key; expected one of {'、'.join(spec)}")
                ok = False
                continue
            if key in seen:
                self.problem(self.line(key_node), f"{name}.{key}", "appears twice")
                ok = False
                continue
            seen.add(key)
            value = spec[key][1](f"{name}.{key}", value_node)
            ok = ok and value is not None
            result[key] = value
        for key, (required, _) in spec.items():
            if required and key not in seen:
                self.problem(self.line(node), f"{name}.{key}", "is required")
                ok = False
        return result if ok else None

    def flag(self, name: str, node: yaml.Node) -> bool | None:
        value = self.value(node)
        if value is True:
            return True
        self.problem(self.line(node), name, f"expected true, got {_show(value)}")
        return None


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return value if value.strip() else "empty text"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


def _fields(r: _Reader) -> dict[str, tuple[bool, Callable]]:
    """The schema: key -> (required, checker).  Order is display order."""
    attachment = lambda name, node: r.mapping(name, node, {  # noqa: E731
        "title": (True, r.text), "file": (False, r.text), "omitted": (False, r.flag),
    })
    contact = lambda name, node: r.mapping(name, node, {  # noqa: E731
        "name": (True, r.text), "phone": (False, r.text),
    })
    erratum = lambda name, node: r.mapping(name, node, {  # noqa: E731
        "date": (True, r.date), "note": (True, r.text),
    })
    return {
        "title": (True, r.text),
        "doc_number": (False, r.number),
        "issuers": (True, r.listof(r.text, at_least=1)),
        "date": (True, r.date),
        "published": (False, r.date),
        "disclosure": (True, r.choice(DISCLOSURES)),
        "index_no": (False, r.text),
        "topics": (False, r.listof(r.text)),
        "recipients": (False, r.text),
        "cc": (False, r.text),
        "validity": (False, r.choice(VALIDITIES)),
        "effective": (False, r.date),
        "repealed_on": (False, r.date),
        "repealed_by": (False, r.number),
        "supersedes": (False, r.listof(r.number)),
        "attachments": (False, r.listof(attachment)),
        "contact": (False, contact),
        "printed_by": (False, r.text),
        "printed_on": (False, r.date),
        "errata": (False, r.listof(erratum)),
    }


FIELDS = tuple(_fields(_Reader("", 0)))
assert FIELDS == tuple(LABELS), "every field needs its label"


def _split(text: str) -> tuple[str, str, int] | None:
    """Split a file into (yaml, body, body's first line), or None."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None


def read_notice(path: Path, root: Path) -> tuple[Notice | None, list[Problem]]:
    """Read and check one notice file.  Returns the notice or its problems."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        return None, [Problem(rel, line, "file", "expected UTF-8 text; save the file as UTF-8")]
    raw = raw.removeprefix("\ufeff").replace("\r\n", "\n")

    parts = _split(raw)
    if parts is None:
        return None, [Problem(rel, 1, "front-matter", "expected the file to start with a line --- and the fields, closed by another line ---")]
    block, body, body_line = parts
    r = _Reader(rel, offset=1)

    try:
        loader = _Loader(block)
        try:
            root_node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        # The context mark is where the broken construct starts (the key
        # missing its ": "), which is where the clerk has to look.
        mark = e.context_mark or e.problem_mark
        line = (mark.line + 2) if mark else 2
        what = (e.problem or e.context or "unreadable").strip()
        return None, [Problem(
            rel, line, "front-matter",
            f"the fields cannot be read from this line on ({what}); "
            "write each field as key: value, with a space after the colon, and close every [ with ]",
        )]

    if not isinstance(root_node, yaml.MappingNode):
        return None, [Problem(rel, 2, "front-matter", "expected fields written as key: value, one per line")]

    spec = _fields(r)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in root_node.value:
        key = r.value(key_node)
        line = r.line(key_node)
        if not isinstance(key, str) or key not in spec:
            hint = _closest(str(key), spec)
            r.problem(line, str(key), "unknown field" + (f"; did you mean {hint}?" if hint else ""))
            continue
        if key in lines:
            r.problem(line, key, f"appears twice (first on line {lines[key]})")
            continue
        lines[key] = line
        values[key] = spec[key][1](key, value_node)

    for key, (required, _) in spec.items():
        if required and key not in lines:
            r.problem(1, key, "is required")

    _check_together(r, values, lines, path)
    _check_place(r, values, lines, path)

    if r.problems:
        return None, r.problems

    attachments = [_attachment(a, path) for a in values.get("attachments") or []]
    doc = values.get("doc_number")
    notice = Notice(
        path=path,
        rel=rel,
        slug=path.stem,
        title=values["title"],
        issuers=values["issuers"],
        date=values["date"],
        disclosure=values["disclosure"],
        body=body.strip("\n"),
        doc_number=doc,
        doc_number_text=_raw_text(root_node, "doc_number"),
        published=values.get("published"),
        index_no=values.get("index_no"),
        topics=values.get("topics") or [],
        recipients=values.get("recipients"),
        cc=values.get("cc"),
        validity=values.get("validity") or "有效",
        effective=values.get("effective"),
        repealed_on=values.get("repealed_on"),
        repealed_by=values.get("repealed_by"),
        supersedes=values.get("supersedes") or [],
        attachments=attachments,
        contact=values.get("contact"),
        printed_by=values.get("printed_by"),
        printed_on=values.get("printed_on"),
        errata=[Erratum(**e) for e in values.get("errata") or []],
        lines={**lines, "body": body_line},
    )
    return notice, []


def _raw_text(node: yaml.MappingNode, key: str) -> str | None:
    for k, v in node.value:
        if k.value == key and isinstance(v, yaml.ScalarNode):
            return v.value.strip()
    return None


def _closest(key: str, spec: dict) -> str | None:
    import difflib

    match = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
    return match[0] if match else None


def _check_together(r: _Reader, v: dict, lines: dict, path: Path) -> None:
    """Rules that involve more than one field."""
    date, published = v.get("date"), v.get("published")
    if date and published and published < date:
        r.problem(lines["published"], "published", f"expected a date on or after the date {date}, got {published}")
    if v.get("validity") == "废止" and not (v.get("repealed_on") or v.get("repealed_by")):
        r.problem(lines["validity"], "validity", "废止 needs repealed_on (the date) or repealed_by (the repealing notice's number)")
    if v.get("issuers") and len(set(v["issuers"])) != len(v["issuers"]):
        r.problem(lines["issuers"], "issuers", "expected each issuer once, got one twice")
    for i, att in enumerate(v.get("attachments") or []):
        if att is None:
            continue
        name = f"attachments[{i + 1}]"
        line = lines["attachments"]
        if bool(att.get("file")) == bool(att.get("omitted")):
            r.problem(line, name, "expected either file: (a file next to the notice) or omitted: true, not both or neither")
            continue
        if att.get("file"):
            target = (path.parent / att["file"]).resolve()
            if not target.is_relative_to(path.parent.resolve()):
                r.problem(line, name, f"expected a file next to the notice, got {att['file']}")
            elif not target.is_file():
                r.problem(line, name, f"file {att['file']} does not exist next to the notice")
            elif target.suffix == ".md":
                try:
                    target.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    r.problem(line, name, f"expected {att['file']} to be UTF-8 text")


def _check_place(r: _Reader, v: dict, lines: dict, path: Path) -> None:
    """The file's folder and name make its address: check them."""
    if not SLUG_RE.match(path.stem):
        r.problem(1, "file", f"expected a file name of lower-case letters, digits and hyphens (such as sanfu-2020-124.md), got {path.name}")
    date = v.get("date")
    if date and path.parent.name != str(date.year):
        r.problem(lines["date"], "date", f"the notice is dated {date.year} but filed under {path.parent.name}/; move it to notices/{date.year}/")


def _attachment(a: dict, path: Path) -> Attachment:
    if a.get("omitted"):
        return Attachment(title=a["title"], omitted=True)
    source = (path.parent / a["file"]).resolve()
    text = source.read_text(encoding="utf-8").strip("\n") if source.suffix == ".md" else None
    return Attachment(title=a["title"], file=a["file"], text=text, source=source)
