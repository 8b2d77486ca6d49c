"""The notice: one Markdown file with YAML front-matter, read and checked.

The fields and their rules are those of fields.FIELDS (NOTICE-FORMAT.md).
Reading never raises for bad input: every problem is collected with its file,
line and field, so that `build.py check` can list them all at once.  The same
reader parses past revisions from git (read_fields), so a value means the
same thing in the working tree and in history.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import docnumber
from .fields import (
    ATTACHMENT_KEYS,
    BY_KEY,
    CONTACT_KEYS,
    CONTROL,
    ERRATUM_KEYS,
    FIELDS,
    closed,
    control_char,
    trim,
)
from .problems import Problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Attachments a browser would run as part of the site: never published.
EXECUTABLE = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".svgz", ".js", ".mjs",
    ".xml", ".xsl", ".xslt", ".swf", ".hta", ".php", ".css", ".wasm",
})
# Markdown under another name: MkDocs would make a page of it.
MARKDOWN = frozenset({".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext"})
MAX_DEPTH = 6          # front-matter is at most a list of mappings of lists


@dataclass(frozen=True)
class Attachment:
    title: str
    file: str | None = None          # as written (see attachment_path)
    name: str | None = None          # the file's path inside the notice's own folder
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
    category: str = "其他文件"
    lines: dict[str, int] = field(default_factory=dict)  # field -> line in file

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def folder(self) -> Path:
        """The notice's own folder: its attachments live here and nowhere else."""
        return self.path.parent / self.slug

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

# libyaml's parser (if PyYAML has it) composes the same nodes ten times
# faster; the pure-Python one is kept for text libyaml refuses, so a clerk
# gets the same words for a broken line either way.
_FastLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):    # noqa: N801 - a class, named like the one above
        """_Loader's resolvers on libyaml's parser."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _compose(block: str) -> yaml.Node | None:
    if _FastLoader is not None:
        loader = _FastLoader(block)
        try:
            return loader.get_single_node()
        except (yaml.YAMLError, RecursionError):
            pass                 # read again below, for the exact message
        finally:
            loader.dispose()
    loader = _Loader(block)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return value if trim(value) else "empty text"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


class _Reader:
    """Checks one notice's fields against the table, collecting problems."""

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

    def check(self, kind: str, name: str, node: yaml.Node, **options) -> Any:
        return getattr(self, "_" + kind)(name, node, **options)

    def _text(self, name: str, node: yaml.Node) -> str | None:
        value = self.value(node)
        if isinstance(value, str) and trim(value):
            if "\n" in trim(value):
                self.problem(self.line(node), name, "expected one line of text")
                return None
            return trim(value)
        self.problem(self.line(node), name, f"expected text, got {_show(value)}")
        return None

    def _date(self, name: str, node: yaml.Node) -> dt.date | None:
        value = self.value(node)
        text = closed(value) if isinstance(value, str) else None
        if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
            self.problem(self.line(node), name, f"expected a real date as YYYY-MM-DD, got {text}")
            return None
        self.problem(self.line(node), name, f"expected a date as YYYY-MM-DD, got {_show(value)}")
        return None

    def _number(self, name: str, node: yaml.Node) -> docnumber.DocNumber | None:
        value = self.value(node)
        if isinstance(value, str):
            parsed = docnumber.try_parse(trim(value))
            if parsed:
                return parsed
        self.problem(self.line(node), name, f"expected a document number like 三府〔2020〕124号, got {_show(value)}")
        return None

    def _choice(self, name: str, node: yaml.Node, choices: tuple[str, ...]) -> str | None:
        value = self.value(node)
        if isinstance(value, str) and closed(value) in choices:
            return closed(value)
        self.problem(self.line(node), name, f"expected one of {'、'.join(choices)}, got {_show(value)}")
        return None

    def _flag(self, name: str, node: yaml.Node) -> bool | None:
        value = self.value(node)
        if value is True:
            return True
        self.problem(self.line(node), name, f"expected true, got {_show(value)}")
        return None

    def _list(self, name: str, node: yaml.Node, item: str, at_least: int = 0) -> list | None:
        if not isinstance(node, yaml.SequenceNode):
            value = self.value(node)
            example = f"[{trim(value)}]" if isinstance(value, str) and trim(value) else "[a, b]"
            self.problem(self.line(node), name, f"expected a list like {example}, got {_show(value)}")
            return None
        if len(node.value) < at_least:
            self.problem(self.line(node), name, f"expected at least {at_least} in the list, got an empty list")
            return None
        values = [self.check(item, name, child) for child in node.value]
        return None if any(v is None for v in values) else values

    def _texts(self, name, node, at_least=0):
        return self._list(name, node, "text", at_least)

    def _numbers(self, name, node, at_least=0):
        return self._list(name, node, "number", at_least)

    def _attachments(self, name, node, at_least=0):
        return self._list(name, node, "attachment", at_least)

    def _errata(self, name, node, at_least=0):
        return self._list(name, node, "erratum", at_least)

    def _attachment(self, name, node):
        value = self._mapping(name, node, ATTACHMENT_KEYS)
        if value is not None:
            value["line"] = self.line(node)      # so a problem with the file points at its own item
        return value

    def _erratum(self, name, node):
        return self._mapping(name, node, ERRATUM_KEYS)

    def _contact(self, name, node):
        return self._mapping(name, node, CONTACT_KEYS)

    def _mapping(self, name: str, node: yaml.Node, spec: dict[str, tuple[bool, str]]) -> dict | None:
        """A nested mapping (attachment, contact, erratum) with its own keys."""
        if not isinstance(node, yaml.MappingNode):
            keys = "、".join(spec)
            self.problem(self.line(node), name, f"expected a mapping with {keys}, got {_show(self.value(node))}")
            return None
        result: dict[str, Any] = {}
        ok = True
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if key not in spec:
                self.problem(self.line(key_node), f"{name}.{key}", f"unknown key; expected one of {'、'.join(spec)}")
                ok = False
                continue
            if key in result:
                self.problem(self.line(key_node), f"{name}.{key}", "appears twice")
                ok = False
                continue
            value = self.check(spec[key][1], f"{name}.{key}", value_node)
            ok = ok and value is not None
            result[key] = value
        for key, (required, _) in spec.items():
            if required and key not in result:
                self.problem(self.line(node), f"{name}.{key}", "is required")
                ok = False
        return result if ok else None

    def plain(self, node: yaml.Node, depth: int = 0, seen: set | None = None) -> str | None:
        """Why a YAML node cannot be front-matter (tags, aliases, depth), or None."""
        seen = set() if seen is None else seen
        if id(node) in seen:
            return "repeats another value (YAML anchors and aliases such as &a and *a are not allowed)"
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            return f"has the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')}; write plain text without tags"
        if depth > MAX_DEPTH:
            return "is nested too deeply"
        children = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        for child in children:
            why = self.plain(child, depth + 1, seen)
            if why:
                return why
        return None


def _yaml_hint(block: str, index: int) -> str:
    """What to do about a YAML syntax error, from the lines around it (index: 0-based in block)."""
    lines = block.split("\n")
    near = lines[max(0, index - 1):index + 2]
    if any(re.match(r"^\s*[\w-]+\s*：", ln) for ln in near):
        return "write each field as key: value with an ASCII colon and a space (this line has the full-width colon ：)"
    if any(re.search(r"\[[^\]]*\[\s*\d{4}\s*\]", ln) for ln in near):
        return "inside a list, write a document number with 〔〕 (三府〔2020〕1号) or in quotes, since [ ] is list syntax"
    return "write each field as key: value, with a space after the colon, and close every [ with ]"


def _closest(key: str, keys) -> str | None:
    import difflib

    match = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
    return match[0] if match else None


def _split(text: str) -> tuple[str, str, int] | None:
    """Split a file into (yaml, body, body's first line), or None."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None


@dataclass
class Fields:
    """What read_fields found: the values that passed, and every problem."""

    values: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int
    problems: list[Problem]
    raw_number: str | None = None


def read_fields(text: str, rel: str) -> Fields:
    """Check the front-matter of a notice's text against the field table.

    Never raises.  Used for the working tree and for every past revision, so
    normalizing is the same for both.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = [
        Problem(rel, number, "file", f"contains the invisible control character {bad}; delete it (retype the line if need be)")
        for number, bad in ((i, control_char(line)) for i, line in enumerate(text.split("\n"), 1)) if bad
    ]
    # Reported once, above; the fields are still checked without them.
    parsed = _read_fields(CONTROL.sub("", text) if controls else text, rel)
    parsed.problems[:0] = controls
    return parsed


def _read_fields(text: str, rel: str) -> Fields:
    parts = _split(text)
    if parts is None:
        return Fields({}, {}, text, 1, [Problem(
            rel, 1, "front-matter",
            "expected the file to start with a line --- and the fields, closed by another line ---",
        )])
    block, body, body_line = parts
    r = _Reader(rel, offset=1)
    try:
        root_node = _compose(block)
    except yaml.MarkedYAMLError as e:
        # The context mark is where the broken construct starts (the key
        # missing its ": "), which is where the clerk has to look.
        mark = e.context_mark or e.problem_mark
        line = (mark.line + 2) if mark else 2
        what = (e.problem or e.context or "unreadable").strip()
        return Fields({}, {}, body, body_line, [Problem(
            rel, line, "front-matter",
            f"the fields cannot be read from this line on ({what}); " + _yaml_hint(block, line - 2),
        )])
    except (yaml.YAMLError, RecursionError):
        return Fields({}, {}, body, body_line, [Problem(
            rel, 2, "front-matter", "the fields cannot be read (they are nested too deeply or are not YAML)",
        )])

    if not isinstance(root_node, yaml.MappingNode):
        return Fields({}, {}, body, body_line, [Problem(
            rel, 2, "front-matter", "expected fields written as key: value, one per line",
        )])

    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    raw_number = None
    seen: set[int] = set()       # every node once: an alias repeats a node
    for key_node, value_node in root_node.value:
        line = r.line(key_node)
        why = r.plain(key_node, seen=seen) or r.plain(value_node, seen=seen)
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
        if why:
            r.problem(line, str(key), f"the value {why}")
            lines.setdefault(str(key), line)
            continue
        key = r.value(key_node)
        if not isinstance(key, str) or key not in BY_KEY:
            by_label = next((f.key for f in FIELDS if f.label == trim(str(key))), None)
            hint = f"{by_label} ({key})" if by_label else _closest(str(key), BY_KEY)
            r.problem(line, str(key), "unknown field" + (f"; did you mean {hint}?" if hint else ""))
            continue
        if key in lines:
            r.problem(line, key, f"appears twice (first on line {lines[key]})")
            continue
        f = BY_KEY[key]
        lines[key] = line
        options = {"choices": f.choices} if f.kind == "choice" else {}
        if f.at_least:
            options["at_least"] = f.at_least
        values[key] = r.check(f.kind, key, value_node, **options)
        if key == "doc_number" and isinstance(value_node, yaml.ScalarNode):
            raw_number = trim(value_node.value)

    for f in FIELDS:
        if f.required and f.key not in lines:
            r.problem(1, f.key, "is required")
    _check_together(r, values, lines)
    return Fields(values, lines, body, body_line, r.problems, raw_number)


def read_notice(path: Path, root: Path, data: bytes | None = None) -> tuple[Notice | None, list[Problem]]:
    """Read and check one notice file (data: its bytes, if the caller read them).
    Returns the notice or its problems."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        data = path.read_bytes() if data is None else data
    except OSError as e:
        return None, [Problem(rel, 1, "file", f"cannot be read: {e.strerror}")]
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return None, [Problem(rel, line, "file", "expected UTF-8 text; save the file as UTF-8")]

    parsed = read_fields(raw, rel)
    problems = list(parsed.problems)
    values, lines = parsed.values, parsed.lines
    problems += _check_place(rel, values, lines, path)
    problems += body_links(rel, parsed.body, parsed.body_line, "body")
    attachments = _attachments(rel, values, lines, path, problems)
    if problems:
        return None, problems

    v = values
    notice = Notice(
        path=path,
        rel=rel,
        slug=path.stem,
        title=v["title"],
        issuers=v["issuers"],
        date=v["date"],
        disclosure=v["disclosure"],
        body=parsed.body.strip("\n"),
        doc_number=v.get("doc_number"),
        doc_number_text=parsed.raw_number,
        published=v.get("published"),
        index_no=v.get("index_no"),
        topics=v.get("topics") or [],
        recipients=v.get("recipients"),
        cc=v.get("cc"),
        validity=v.get("validity") or BY_KEY["validity"].default,
        effective=v.get("effective"),
        repealed_on=v.get("repealed_on"),
        repealed_by=v.get("repealed_by"),
        supersedes=v.get("supersedes") or [],
        attachments=attachments,
        contact=v.get("contact"),
        printed_by=v.get("printed_by"),
        printed_on=v.get("printed_on"),
        errata=[Erratum(**e) for e in v.get("errata") or []],
        category=v.get("category") or BY_KEY["category"].default,
        lines={**lines, "body": parsed.body_line},
    )
    return notice, []


# Links a body may hold: full addresses, and anchors inside the page.  A body
# is rendered by itself (gazette/render.py), so a path into the repository
# would be a dead link on the site, in the feeds and in the open data.  A link
# with any scheme passes here: the sanitizer keeps http(s), mailto and tel and
# drops the rest (javascript:, data:), whatever their spelling.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|<((?:[a-z][a-z0-9+.-]*:|\.\.?/)[^>\s]*)>|href\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_FULL = re.compile(r"^(?:[^/?]*:|#)")


def body_links(rel: str, body: str, first_line: int, name: str) -> list[Problem]:
    """Links in a body that are not full addresses, each with its line."""
    out = []
    for number, line in enumerate(body.split("\n"), first_line):
        for m in _LINK.finditer(line):
            target = m[1] or m[2] or m[3]
            if target and not _FULL.match(target):
                out.append(Problem(
                    rel, number, name,
                    f"the link {target} is not a full address; write https://… for a web page, "
                    "and cite another notice by its number (三府〔2020〕124号), which the site links by itself",
                ))
    return out


def _check_together(r: _Reader, v: dict, lines: dict) -> None:
    """Rules that involve more than one field."""
    date, published = v.get("date"), v.get("published")
    if date and published and published < date:
        r.problem(lines["published"], "published", f"expected a date on or after the date {date}, got {published}")
    if v.get("validity") == "废止" and not ({"repealed_on", "repealed_by"} & lines.keys()):
        r.problem(lines["validity"], "validity", "废止 needs repealed_on (the date) or repealed_by (the repealing notice's number)")
    if v.get("issuers") and len(set(v["issuers"])) != len(v["issuers"]):
        r.problem(lines["issuers"], "issuers", "expected each issuer once, got one twice")
    number = v.get("doc_number")
    if number and number in (v.get("supersedes") or []):
        r.problem(lines["supersedes"], "supersedes", f"a notice cannot replace itself ({number})")
    if number and number == v.get("repealed_by"):
        r.problem(lines["repealed_by"], "repealed_by", f"a notice cannot be repealed by itself ({number})")


def _check_place(rel: str, v: dict, lines: dict, path: Path) -> list[Problem]:
    """The file's folder and name make its address: check them."""
    out = []
    if not SLUG_RE.match(path.stem):
        out.append(Problem(rel, 1, "file", f"expected a file name of lower-case letters, digits and hyphens (such as sanfu-2020-124.md), got {path.name}"))
    date = v.get("date")
    if date and path.parent.name != str(date.year):
        out.append(Problem(rel, lines["date"], "date", f"the notice is dated {date.year} but filed under {path.parent.name}/; move it to notices/{date.year}/"))
    return out


def attachment_path(notice_path: Path, file: str) -> Path | None:
    """Where an attachment's file: points, if it stays inside the notice's own folder.

    file is relative to that folder (NOTICE-FORMAT.md); a leading <slug>/, as
    in `sanfu-2020-124/attachment-1.md` (relative to the year folder), is
    accepted too.  Either way it names a file inside notices/<year>/<slug>/:
    never another notice's folder, a notice file, a path out of the
    repository; symbolic links are refused by the caller.
    """
    if "\\" in file or file.startswith("/") or re.match(r"^[A-Za-z]:", file):
        return None
    parts = file.split("/")
    if ".." in parts or "" in parts or "." in parts:
        return None
    if parts[0] == notice_path.stem and len(parts) > 1:
        parts = parts[1:]           # written relative to the year folder, as the bundled notices do
    return notice_path.parent.joinpath(notice_path.stem, *parts)


def _attachments(rel: str, v: dict, lines: dict, path: Path, problems: list[Problem]) -> list[Attachment]:
    out = []
    seen: dict[Path, int] = {}
    for i, att in enumerate(v.get("attachments") or [], 1):
        name, line = f"attachments[{i}]", att.get("line") or lines.get("attachments", 1)
        if bool(att.get("file")) == bool(att.get("omitted")):
            problems.append(Problem(rel, line, name, "expected either file: (a file in the notice's folder) or omitted: true, not both or neither"))
            continue
        if att.get("omitted"):
            out.append(Attachment(title=att["title"], omitted=True))
            continue
        file = att["file"]
        target = attachment_path(path, file)
        if target is None:
            problems.append(Problem(rel, line, name, f"expected a file inside this notice's own folder {path.stem}/ (such as {path.stem}/attachment-1.md), got {file}"))
            continue
        link = _symlink_on_the_way(path.parent, target)
        if link:
            problems.append(Problem(rel, line, name, f"{file} is a symbolic link; put the file itself in {path.stem}/"))
            continue
        if target.is_dir():
            problems.append(Problem(rel, line, name, f"{file} is a folder; name the file inside it"))
            continue
        if not target.is_file():
            problems.append(Problem(rel, line, name, f"file {file} does not exist in {path.stem}/"))
            continue
        if target in seen:
            problems.append(Problem(rel, line, name, f"{file} is already listed as attachments[{seen[target]}]"))
            continue
        seen[target] = i
        if target.suffix.lower() in MARKDOWN and target.suffix != ".md":
            problems.append(Problem(rel, line, name, f"{file}: a text attachment must end in .md (lower case); rename it"))
            continue
        if target.suffix.lower() in EXECUTABLE:
            problems.append(Problem(rel, line, name, f"{file} is a {target.suffix} file, which a browser would run as part of the site; publish it as PDF or as a .md attachment"))
            continue
        text = None
        if target.suffix == ".md":
            try:
                text = target.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
            except UnicodeDecodeError:
                problems.append(Problem(rel, line, name, f"expected {file} to be UTF-8 text"))
                continue
            bad = control_char(text)
            if bad:
                where = next(n for n, ln in enumerate(text.split("\n"), 1) if control_char(ln))
                problems.append(Problem(rel, line, name, f"{file} line {where} contains the invisible control character {bad}; delete it"))
                continue
            problems.extend(Problem(rel, line, name, f"{file} line {p.line}: {p.message}")
                            for p in body_links(rel, text, 1, name))
            text = text.strip("\n")
        name = target.relative_to(path.parent / path.stem).as_posix()
        out.append(Attachment(title=att["title"], file=file, name=name, text=text, source=target))
    return out


def _symlink_on_the_way(base: Path, target: Path) -> bool:
    """Whether any part of target below base is a symbolic link."""
    current = base
    for part in target.relative_to(base).parts:
        current = current / part
        if os.path.islink(current):
            return True
    return False
