"""`build.py import` and `build.py new`: from a file, or from the clerk's answers, to notice files.

plan() reads a file and works out, for each document in it, every field with
the text it came from, the body and attachments, and the canonical path;
write() puts the files in place, never over an existing file unless forced,
and never over another notice at all.  Values the clerk gives (`--date`,
`--issuers` …) take precedence over what the text says, and are read by the
loader's own rules (gazette.notice.read_fields), as every value is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import docnumber
from ..docnumber import DocNumber
from ..fields import BY_KEY, FIELDS, closed
from ..notice import read_fields
from . import blocks as B
from . import markdown, patterns, recognize, split, text, webpage, writer
from .recognize import Draft, Found

# Fields a clerk can give on the command line (`new` asks for them): those of one value or a list of values.
GIVABLE = tuple(f for f in FIELDS if f.kind in ("text", "texts", "date", "number", "numbers", "choice"))
# What `new` asks for, in this order.
ASKED = ("title", "doc_number", "issuers", "date", "disclosure")
# Never in a source text: corrections are made after publication.
_NEVER_IN_SOURCE = {"errata"}


class IntakeError(Exception):
    """A file cannot be imported at all: a sentence for the clerk."""


@dataclass
class Result:
    source: str                                   # the file, and the lines of this document
    file: str = ""                                # the file as the clerk named it
    line: int = 1                                 # where the document starts in it
    about: str = "file"                           # the field a refusal is about
    values: dict[str, object] = field(default_factory=dict)     # None: a required field left empty
    evidence: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    body: str = ""
    attachments: dict[str, str] = field(default_factory=dict)   # file as listed → its text
    path: Path | None = None
    refused: str | None = None                    # why it cannot be written
    text: str | None = None
    status: str = ""                              # what write() did

    @property
    def missing(self) -> list[str]:
        return [f.key for f in FIELDS if f.key not in self.values and f.key not in _NEVER_IN_SOURCE]

    @property
    def empty(self) -> list[str]:
        return [k for k, v in self.values.items() if v is None]


# --- reading a file ---------------------------------------------------------------


def read_file(path: Path) -> tuple[list[Draft], list[str], webpage.Page | None]:
    """The documents of a file (text, web page copy or Word), and notes about the file."""
    suffix = path.suffix.lower()
    if suffix == ".doc" or suffix == ".wps":
        raise IntakeError("is an old Word (.doc/.wps) file; open it in Word or WPS and save it as .docx")
    if suffix == ".pdf":
        raise IntakeError("is a PDF; copy its text into a .txt file, or save the document as .docx, and import that")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IntakeError(f"cannot be read: {e.strerror}") from None
    notes: list[str] = []
    page = None
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        from . import docx

        try:
            blocks, notes = docx.read(path)
        except docx.DocxError as e:
            raise IntakeError(str(e)) from None
    else:
        try:
            decoded = text.decode(data)
        except text.UnreadableError as e:
            raise IntakeError(str(e)) from None
        if decoded.encoding not in ("UTF-8", "UTF-8 with a byte-order mark"):
            notes.append(f"read as {decoded.encoding}")
        notes += decoded.notes
        raw = decoded.text
        if suffix in (".html", ".htm") or re.match(r"\s*(<!doctype html|<html)", raw[:200], re.I):
            raw = webpage.html_text(raw)
            notes.append("read the text of an HTML page")
        lines, cleaned = text.clean(raw)
        notes += cleaned
        page = webpage.read(lines)
        if page is not None:
            notes.append("a copied web page: its metadata block was read into the fields")
            if page.dropped:
                shown = "; ".join(page.dropped[:4]) + ("; …" if len(page.dropped) > 4 else "")
                count = len(page.dropped)
                notes.append(f"left out {count} line{'' if count == 1 else 's'} of page chrome: {shown}")
            if page.unused:
                notes.append("not imported (no such field in a notice): " + "; ".join(page.unused))
            lines = page.lines
        blocks = B.from_lines(lines)
    before, parts = split.split(blocks)
    if split.preamble_text(before):
        shown = split.preamble_text(before)
        notes.append("left out the text before the first document: " + (shown[:60] + "…" if len(shown) > 60 else shown))
    drafts = [recognize.recognize(part) for part in parts]
    drafts = [d for d in drafts if d.found or any(isinstance(b, B.Table) or not b.blank for b in d.body)]
    if not drafts:
        raise IntakeError("holds no text to import")
    if page is not None and len(drafts) > 1:
        notes.append(f"the page's metadata was not used: the file holds {len(drafts)} documents")
        page = None
    return drafts, notes, page


# --- values the clerk gives -----------------------------------------------------------


def parse_given(key: str, raw: str | list[str]) -> tuple[object, str | None]:
    """(value, None) or (None, message): a value typed by the clerk, read by the loader's rules."""
    f = BY_KEY[key]
    if f.kind in ("texts", "numbers"):
        items = raw if isinstance(raw, list) else [raw]
        sep = "[，,；;、]" if key == "issuers" else "[，,；;]"
        items = [patterns.strip(x) for item in items for x in re.split(sep, item) if patterns.strip(x)]
        if f.kind == "numbers":
            items = [str(docnumber.try_parse(x) or x) for x in items]
        value: object = items
    else:
        value = patterns.strip(raw if isinstance(raw, str) else " ".join(raw))
        if f.kind == "date":
            value = patterns.iso_or_cn_date(value) or value
        if f.kind == "number":
            value = str(docnumber.try_parse(value) or value)
    text = writer.front_matter({key: value}) if value not in ("", []) else f"---\n{key}:\n---\n"
    parsed = read_fields(text, f"--{key.replace('_', '-')}")
    mine = [pr for pr in parsed.problems if pr.field.split("[")[0].split(".")[0] == key]
    if mine:
        return None, mine[0].message
    return parsed.values.get(key), None


# --- planning ---------------------------------------------------------------------------


def _page_values(page: webpage.Page, result: Result) -> dict[str, tuple[object, str]]:
    """The page header's values, read by the field table's kinds."""
    out = {}
    for key, (raw, label) in page.fields.items():
        f = BY_KEY[key]
        said = f"the page's {label}：{raw}"
        if f.kind == "choice":
            value = webpage.wording(closed(raw))
            if value in f.choices:
                out[key] = (value, said)
            else:
                result.notes.append(f"{key}: the page says {label}：{raw}, which is not one of {'、'.join(f.choices)}; left out")
            continue
        if f.kind not in ("text", "texts", "date", "number", "numbers"):
            result.notes.append(f"not imported: {label}：{raw}")
            continue
        if f.kind == "date":
            raw = re.split(r"[ T]", patterns.strip(raw))[0]
        value, problem = parse_given(key, raw)
        if problem:
            result.notes.append(f"{key}: the page's {label}：{raw} was not used ({problem})")
        else:
            out[key] = (value, said)
    return out


def _same(key: str, a: object, b: object) -> bool:
    if key == "title":
        return re.sub(r"\s", "", str(a)) == re.sub(r"\s", "", str(b))
    return a == b


def plan(path: Path, notices_dir: Path, given: dict[str, object] | None = None,
         shown_as: str | None = None) -> tuple[list[Result], list[str]]:
    """What importing a file would write: one Result per document, and notes about the file."""
    given = given or {}
    drafts, file_notes, page = read_file(path)
    name = shown_as or str(path)
    results = []
    for draft in drafts:
        where = f"{name}, lines {draft.first_line}–{draft.last_line}" if len(drafts) > 1 and draft.first_line else name
        result = Result(where, file=name, line=draft.first_line or 1, notes=list(draft.notes))
        page_values = _page_values(page, result) if page is not None else {}
        for f in FIELDS:
            key = f.key
            if key in given:
                result.values[key] = given[key]
                result.evidence[key] = f"given with --{key.replace('_', '-')}"
                if key in draft.found and not _same(key, given[key], draft.found[key].value):
                    result.notes.append(f"{key}: the text says {_brief(draft.found[key])}; the value given was used")
            elif key in draft.found:
                result.values[key] = draft.found[key].value
                result.evidence[key] = draft.found[key].evidence
                if key in page_values and not _same(key, page_values[key][0], draft.found[key].value):
                    result.notes.append(f"{key}: {page_values[key][1]}, but the text says {_brief(draft.found[key])}; "
                                        "the text's value was used — check which is right")
            elif key in page_values:
                result.values[key], result.evidence[key] = page_values[key]
        _body(draft, result)
        for f in FIELDS:
            if f.required and f.key not in result.values:
                result.values[f.key] = None
        _place(result, notices_dir)
        results.append(result)
    return results, file_notes


def _brief(found: Found) -> str:
    value = found.value
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    return str(value)


def _body(draft: Draft, result: Result) -> None:
    result.body, notes = markdown.render(draft.body)
    result.notes += [f"body: {n}" for n in notes]
    attachments = result.values.get("attachments")
    if not attachments:
        return
    listed = []
    for n, a in enumerate(attachments, 1):
        if a.omitted:
            listed.append({"title": a.title, "omitted": True})
            continue
        listed.append({"title": a.title, "file": n})        # the file name is known once the slug is
        if a.blocks is None:
            result.notes.append(f"attachment {n} ({a.title}) is listed, but its text is not in the file: "
                                "put its file in the notice's folder, or write omitted: true if it is published elsewhere")
            continue
        text_, notes = markdown.render(a.blocks)
        result.attachments[n] = text_
        result.notes += [f"attachment {n}: {x}" for x in notes]
    result.values["attachments"] = listed


def _place(result: Result, notices_dir: Path) -> None:
    values = result.values
    name = writer.slug({k: v for k, v in values.items() if v is not None})
    if name is None:
        need = []
        if values.get("date") is None:
            need.append(("date", "the date (--date YYYY-MM-DD)"))
        if values.get("doc_number") is None:
            if not values.get("issuers"):
                need.append(("issuers", "the issuer (--issuers)"))
            if not values.get("title"):
                need.append(("title", "the title (--title)"))
        result.about = need[0][0]
        result.refused = ("not found, so the notice's file name cannot be chosen: give " + " and ".join(n for _, n in need)
                          + " on the command line")
        return
    year = values["date"].year
    attachments = values.get("attachments") or []
    texts = {}
    for item in attachments:
        if "file" in item and isinstance(item["file"], int):
            n = item["file"]
            item["file"] = writer.attachment_file(name, n)
            if n in result.attachments:
                texts[item["file"]] = result.attachments[n]
    result.attachments = texts
    result.path = notices_dir / str(year) / f"{name}.md"
    rel = result.path.as_posix()
    result.text = writer.notice_text(values, result.body)
    writer.verify(result.text, rel, values)


def new_notice(values: dict[str, object], notices_dir: Path) -> Result:
    """What `new` writes: the fields given, an empty body."""
    result = Result("the values given", file="new", values={f.key: values[f.key] for f in FIELDS if f.key in values})
    for f in FIELDS:
        if f.required and f.key not in result.values:
            result.values[f.key] = None
    _place(result, notices_dir)
    return result


# --- writing ------------------------------------------------------------------------------


def numbers_in_use(notices_dir: Path) -> dict[DocNumber, Path]:
    """Every document number already in notices/, and the file that holds it."""
    out = {}
    if notices_dir.is_dir():
        for path in sorted(notices_dir.glob("*/*.md")):
            number = writer.existing_number(path)
            if number is not None:
                out.setdefault(number, path)
    return out


def write(results: list[Result], force: bool, dry_run: bool, in_use: dict[DocNumber, Path],
          shown: callable = str) -> None:
    """Put each planned notice in place (or say why not), setting its status."""
    claimed: dict[Path, str] = {}
    for r in results:
        if r.refused:
            r.status = "not written: " + r.refused
            continue
        number = r.values.get("doc_number")
        holder = in_use.get(number) if isinstance(number, DocNumber) else None
        if holder is not None and holder.resolve() != r.path.resolve():
            r.about = "doc_number"
            r.status = f"not written: {number} is already used by {shown(holder)}"
            continue
        if r.path in claimed:
            r.status = f"not written: {shown(r.path)} is also where {claimed[r.path]} goes"
            continue
        claimed[r.path] = r.source
        targets = [r.path] + [r.path.parent / f for f in r.attachments]
        existing = [t for t in targets if t.exists()]
        if r.path.exists():
            held = writer.existing_number(r.path)
            if held is not None and held != number:
                r.status = (f"not written: {shown(r.path)} holds {held}, another notice whose name spells the same; "
                            "nothing was replaced")
                continue
        if existing and not force:
            r.status = (f"not written: {', '.join(shown(t) for t in existing)} already "
                        f"{'exists' if len(existing) == 1 else 'exist'}; use --force to replace "
                        f"{'it' if len(existing) == 1 else 'them'}")
            continue
        verb = "would replace" if existing else "would write"
        if not dry_run:
            for file, text_ in r.attachments.items():
                writer.write_atomically(r.path.parent / file, text_.strip("\n") + "\n")
            writer.write_atomically(r.path, r.text)
            verb = "replaced" if existing else "wrote"
        r.status = f"{verb} {shown(r.path)}" + (
            f" and {len(r.attachments)} attachment file{'s' if len(r.attachments) > 1 else ''}" if r.attachments else "")
        r.status += f" (body: {_outline(r.body)})"


# --- what the clerk reads ---------------------------------------------------------------------


def report(r: Result, shown: callable = str) -> list[str]:
    """The lines import prints for one document: what it found, where, and what it could not."""
    title = r.values.get("title") or "(no title found)"
    number = r.values.get("doc_number")
    out = [f"{number}  {title}" if number else f"{title}", f"  from {r.source}", f"  {r.status}"]
    width = max(len(k) for k in r.values) if r.values else 0
    for f in FIELDS:
        if f.key not in r.values or r.values[f.key] is None:
            continue
        value = _shown_value(f.key, r.values[f.key])
        evidence = r.evidence.get(f.key, "")
        said = "" if not evidence or _bare(evidence) == _bare(value) else f"   ← {evidence}"
        out.append(f"  {f.key.ljust(width)}  {value}{said}")
    for key in r.empty:
        out.append(f"  {key}: not found — left empty; fill it in before publishing")
    missing = r.missing
    if "doc_number" in missing and r.path is not None:
        out.append("  doc_number: none found — the address was made from the issuer, date and title")
        missing.remove("doc_number")
    if missing:
        out.append("  not in the text: " + ", ".join(missing) + " — add those that apply")
    out += [f"  note: {n}" for n in r.notes]
    return out


def _outline(body: str) -> str:
    """What a body holds, in a few words: 12 paragraphs, 3 headings, 1 table."""
    chunks = [c for c in body.split("\n\n") if c.strip()]
    tables = sum(1 for c in chunks if c.startswith("|"))
    headings = sum(1 for c in chunks if c.startswith("#"))
    items = sum(len(c.split("\n")) for c in chunks if re.match(r"^(- |\d+\. )", c))
    paragraphs = len(chunks) - tables - headings - sum(1 for c in chunks if re.match(r"^(- |\d+\. )", c))
    parts = [(paragraphs, "paragraph"), (headings, "heading"), (items, "list item"), (tables, "table")]
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts if n) or "empty"


def _bare(text: str) -> str:
    return re.sub(r"[\s/\[\],、]", "", text)


def _shown_value(key: str, value: object) -> str:
    if key == "attachments":
        def where(a: dict) -> str:
            return "（略）" if a.get("omitted") else f" → {a['file'] if isinstance(a['file'], str) else 'attachment-%d.md' % a['file']}"

        return "; ".join(a["title"] + where(a) for a in value)
    if key == "contact":
        return value["name"] + (f"，{value['phone']}" if value.get("phone") else "")
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
