"""Open data: every public notice as JSON (all in one file and one per notice) and as CSV.

Made from the Publication, so a 依申请公开 notice carries its metadata only
and a 不予公开 one is absent.  Every key of a notice comes from the field
table (fields.FIELDS), so a new field appears here, in the schema and in the
CSV without a line of its own.  The JSON Schema is generated from the same
table (schema()) and committed as schemas/notice.schema.json; a test keeps
the two equal and validates every built file against it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from . import paths
from .docnumber import DocNumber
from .fields import FIELDS
from .jsontext import indented
from .public import PublicNotice, Publication

VERSION = 1
SCHEMA_ID = "urn:gazette:schema:notice:1"


def _plain(value):
    """A field value as JSON: dates ISO, document numbers normalized."""
    if isinstance(value, (dt.date, DocNumber)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def _field(n: PublicNotice, key: str):
    """A field of the notice as open data."""
    if key == "attachments":
        return [{"title": a.title, "omitted": a.omitted, "text": a.text, "file": a.file} for a in n.attachments]
    if key == "published":
        return n.published_on.isoformat()
    return _plain(getattr(n, key))


def record(n: PublicNotice, site_url: str | None) -> dict:
    """One notice as open data."""
    out: dict = {"address": n.url}
    if site_url:
        out["url"] = paths.absolute(site_url, n.page)
    for f in FIELDS:
        out[f.key] = _field(n, f.key)
    out["superseded_by"] = [str(x) for x in n.superseded_by]
    out["full_text"] = n.full_text
    out["body"] = n.body
    out["revisions"] = None if n.revisions is None else [
        {"date": r.date.isoformat(), "kind": r.kind, "commit": r.sha, "note": r.note_for_readers} for r in n.revisions
    ]
    return out


def _json(data) -> bytes:
    return (indented(data) + "\n").encode("utf-8")


CSV_COLUMNS = ["address", *(f.key for f in FIELDS if f.kind not in ("attachments", "errata", "contact"))]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(_cell(v) for v in value)
    return str(value)


class Earlier:
    """The file of all notices and the table as the build this one replaces
    wrote them (bytes, or None): a notice whose own file a rebuild kept is
    the same notice, so its record and its row are taken from there rather
    than made, or its file read, again."""

    def __init__(self, all_notices: bytes | None, table: bytes | None):
        self.records: dict[str, bytes | memoryview] = _records(all_notices) if all_notices else {}
        self.rows = _rows(table) if table else {}


def files(publication: Publication, site_url: str | None, have=frozenset(), earlier: Earlier | None = None
          ) -> dict[str, bytes]:
    """Every open-data file: {site path: content}; but a notice's own file
    whose path is in have (a rebuild kept it: each is made from its notice
    alone).  earlier: what the file of all notices and the table then take
    of such a notice."""
    out = {paths.DATA_SCHEMA: _json(schema())}
    earlier = earlier or Earlier(None, None)
    parts, rows = [], []
    for n in publication.notices:
        path = paths.notice_data(n.year, n.slug)
        kept = path in have
        part = earlier.records.get(n.url) if kept else None
        if part is None:
            text = _json(record(n, site_url))
            if not kept:
                out[path] = text
            part = _indented(text)
        parts.append(part)
        row = earlier.rows.get(n.url) if kept else None
        # The table's columns only: a record's body and history are not made for it.
        rows.append(row or [_cell(n.url if c == "address" else _field(n, c)) for c in CSV_COLUMNS])
    out[paths.DATA_ALL] = _all(publication.commit, parts)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    # With a byte-order mark, so that Excel reads the Chinese as UTF-8.
    out[paths.DATA_CSV] = _BOM + text.getvalue().encode("utf-8")
    return out


_SLOT = "\0notices\0"
_BOM = "\ufeff".encode()


def _indented(text: bytes) -> bytes:
    """A notice's own _json() as it stands in the file of all notices: two
    spaces deeper, line by line (JSON text has no line break inside a string)."""
    return b"  " + text.rstrip(b"\n").replace(b"\n", b"\n  ")


def _all(commit: str | None, parts: list[bytes]) -> bytes:
    """The file of all notices, _json() of them in one object, made from each
    notice's own _json(), _indented(): the same bytes as dumping the whole,
    for a tenth of the time."""
    whole = {"$schema": "notice.schema.json", "version": VERSION, "commit": commit, "notices": [_SLOT] if parts else []}
    if not parts:
        return _json(whole)
    before, after = _json(whole).split(b"  " + json.dumps(_SLOT).encode() + b"\n")
    pieces = [before]
    for part in parts:
        pieces += (part, b",\n")
    pieces[-1] = b"\n"
    return b"".join([*pieces, after])


_LIST = b'"notices": [\n'
_NEXT = b",\n  {\n"          # a line "  {" opens a record, and nothing else (what it holds is deeper)
_END = b"\n  }\n ]"
_ADDRESS = b'   "address": '  # a record's first key


def _records(data: bytes) -> dict[str, memoryview]:
    """Each record of a file of all notices (_all()), _indented(), by its
    address: views into data, which is not copied."""
    start, end = data.find(_LIST), data.rfind(_END)
    if start < 0 or end < start:
        return {}
    view, out = memoryview(data), {}
    at, stop = start + len(_LIST), end + len(b"\n  }")
    while at < stop:
        after = data.find(_NEXT, at, stop)
        until = stop if after < 0 else after
        line = data[data.find(b"\n", at, until) + 1:data.find(b"\n", at + 4, until)]
        if not (data.startswith(b"  {\n", at) and line.startswith(_ADDRESS) and line.endswith(b",")):
            return {}           # not a file this code wrote: nothing is taken from it
        try:
            out[json.loads(line[len(_ADDRESS):-1])] = view[at:until]
        except ValueError:
            return {}
        at = stop if after < 0 else after + 2
    return out


def _rows(table: bytes) -> dict[str, list[str]]:
    """Each row of a table (files()) by its address."""
    if not table.startswith(_BOM):
        return {}
    try:
        reader = csv.reader(io.StringIO(table[len(_BOM):].decode("utf-8"), newline=""))
        if next(reader, None) != CSV_COLUMNS:
            return {}
        return {row[0]: row for row in reader if len(row) == len(CSV_COLUMNS)}
    except (UnicodeDecodeError, csv.Error):
        return {}


# --- the schema ------------------------------------------------------------------

_TEXT = {"type": "string"}
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_NUMBER = {"type": "string", "pattern": "^.+〔\\d{4}〕\\d+号$"}


def _kind(f) -> dict:
    if f.kind == "text":
        return _TEXT
    if f.kind == "texts":
        return {"type": "array", "items": _TEXT}
    if f.kind == "date":
        return _DATE
    if f.kind == "number":
        return _NUMBER
    if f.kind == "numbers":
        return {"type": "array", "items": _NUMBER}
    if f.kind == "choice":
        return {"enum": list(f.choices)}
    if f.kind == "attachments":
        return {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["title", "omitted", "text", "file"],
            "properties": {"title": _TEXT, "omitted": {"type": "boolean"},
                           "text": {"type": ["string", "null"], "description": "Markdown of a text attachment"},
                           "file": {"type": ["string", "null"], "description": "address of a downloadable file"}},
        }}
    if f.kind == "contact":
        return {"type": "object", "properties": {"name": _TEXT, "phone": _TEXT}, "required": ["name"]}
    if f.kind == "errata":
        return {"type": "array", "items": {"type": "object", "required": ["date", "note"],
                                           "properties": {"date": _DATE, "note": _TEXT}}}
    raise ValueError(f.kind)


def schema() -> dict:
    """The JSON Schema of one notice record (data/notices/<year>/<name>.json)."""
    props: dict = {
        "address": {"type": "string", "description": "the notice's page, relative to the site"},
        "url": {"type": "string", "description": "the page's full address, when the site has one"},
    }
    for f in FIELDS:
        kind = {**_kind(f), "description": f.label}
        # Lists are empty rather than null; a missing single value is null.
        nullable = not f.required and f.key != "published" and f.kind not in ("texts", "numbers", "attachments", "errata")
        props[f.key] = {"anyOf": [kind, {"type": "null"}], "description": f.label} if nullable else kind
    props["superseded_by"] = {"type": "array", "items": _NUMBER, "description": "被替代: listed notices that replace this one"}
    props["full_text"] = {"type": "boolean", "description": "true for 主动公开: body and attachments are published"}
    props["body"] = {"type": ["string", "null"], "description": "Markdown of the body; null unless 主动公开"}
    props["revisions"] = {
        "description": "public revisions, newest first; null when the build had no history",
        "anyOf": [{"type": "null"}, {"type": "array", "items": {
            "type": "object", "required": ["date", "kind", "commit", "note"],
            "properties": {"date": {"type": "string", "format": "date-time"}, "kind": _TEXT,
                           "commit": {"type": "string", "pattern": "^[0-9a-f]{40}$"}, "note": _TEXT},
        }}],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "公开文件（open data record of one public notice）",
        "description": f"Version {VERSION}. Keys follow the notice format (NOTICE-FORMAT.md). "
                       "A 依申请公开 notice has its metadata only: body null, no attachments; "
                       "a 不予公开 notice is never published.",
        "type": "object",
        "additionalProperties": False,
        "required": sorted(props.keys() - {"url"}),
        "properties": props,
    }


if __name__ == "__main__":   # python -m gazette.opendata: rewrite the committed schema
    from pathlib import Path

    target = Path(__file__).resolve().parent.parent / "schemas" / "notice.schema.json"
    target.write_bytes(_json(schema()))
    print(f"{target} written")
