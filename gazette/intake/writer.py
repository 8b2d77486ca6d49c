"""Fields → a notice file: front-matter written through the field table, checked by the loader.

The front-matter is written in the order and the types of gazette.fields
(text, lists, dates, numbers, attachments, contact), as the bundled notices
are written: plain values where YAML reads them back unchanged, quotes where
it would not (a phone number, a title with `: `).  Every file written is read
back with gazette.notice.read_fields, so a value the loader would refuse or
read differently can never be written.

A required field import could not determine is written empty, with a
comment, so that `check` names its line and the clerk has a place to fill.
The address comes from gazette.addresses: from the number, or from the
issuer, date and title of a document without one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import yaml

from .. import addresses
from ..docnumber import DocNumber
from ..fields import BY_KEY, DISCLOSURES, FIELDS
from ..notice import read_fields

FLOW_WIDTH = 80          # a list longer than this is written one item per line

# What to type into a required field left empty, as a comment beside it.
_HINTS = {
    "title": "the full title as issued",
    "issuers": "[the issuing body, as signed]",
    "date": "YYYY-MM-DD, the date under the signature",
    "disclosure": "、".join(DISCLOSURES),
}


def _plain(text: str, in_list: bool = False) -> bool:
    """Whether YAML reads text back unchanged without quotes."""
    if not text or text != text.strip() or "\n" in text:
        return False
    probe = f"k: [{text}]" if in_list else f"k: {text}"
    try:
        loaded = yaml.safe_load(probe)
    except (yaml.YAMLError, ValueError):      # ValueError: a date that does not exist, such as 2020-02-30
        return False
    value = loaded.get("k") if isinstance(loaded, dict) else None
    return (value == [text]) if in_list else (value == text)


def scalar(value: object, in_list: bool = False) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is True:
        return "true"
    text = str(value)
    return text if _plain(text, in_list) else json.dumps(text, ensure_ascii=False)


def _lines(key: str, value: object) -> list[str]:
    kind = BY_KEY[key].kind
    if kind in ("texts", "numbers"):
        items = [scalar(v, in_list=True) for v in value]
        flow = f"{key}: [{', '.join(items)}]"
        if len(flow) <= FLOW_WIDTH:
            return [flow]
        return [f"{key}:"] + [f"  - {scalar(v)}" for v in value]
    if kind in ("attachments", "errata"):
        out = [f"{key}:"]
        for item in value:
            pairs = list(item.items())
            out.append(f"  - {pairs[0][0]}: {scalar(pairs[0][1])}")
            out += [f"    {k}: {scalar(v)}" for k, v in pairs[1:]]
        return out
    if kind == "contact":
        out = [f"{key}:", f"  name: {scalar(value['name'])}"]
        if value.get("phone"):
            out.append(f"  phone: {json.dumps(str(value['phone']), ensure_ascii=False)}")
        return out
    return [f"{key}: {scalar(value)}"]


def front_matter(values: dict[str, object]) -> str:
    """The front-matter block for values (None: a required field left empty)."""
    out = ["---"]
    for f in FIELDS:
        if f.key not in values:
            continue
        value = values[f.key]
        if value is None:
            out.append(f"{f.key}:   # not found: {_HINTS.get(f.key, 'fill it in')}")
        else:
            out += _lines(f.key, value)
    out.append("---")
    return "\n".join(out) + "\n"


def notice_text(values: dict[str, object], body: str) -> str:
    return front_matter(values) + "\n" + (body.strip("\n") + "\n" if body.strip() else "")


def slug(values: dict[str, object]) -> str | None:
    """The notice's file name, from gazette.addresses; None without what it needs."""
    number = values.get("doc_number")
    if isinstance(number, DocNumber):
        return addresses.notice_slug(number)
    issuers, date, title = values.get("issuers"), values.get("date"), values.get("title")
    if issuers and isinstance(date, dt.date) and title:
        return addresses.unnumbered_slug(issuers[0], date, title)
    return None


def attachment_file(slug_: str, n: int) -> str:
    """How the notice names its n-th text attachment (as the bundled notices do)."""
    return f"{slug_}/attachment-{n}.md"


class WriterBug(AssertionError):
    """The writer produced front-matter the loader reads differently: a bug in this module."""


def verify(text: str, rel: str, values: dict[str, object]) -> None:
    """Read the text back as the loader does; every value must come back as it was meant."""
    parsed = read_fields(text, rel)
    left_empty = {k for k, v in values.items() if v is None}
    for problem in parsed.problems:
        if problem.field not in left_empty:
            raise WriterBug(f"{rel}: {problem}")
    for key, value in values.items():
        if value is None or key == "attachments":
            continue
        back = parsed.values.get(key)
        if key == "contact":
            value = {k: v for k, v in value.items() if v}
        if back != value:
            raise WriterBug(f"{rel}: {key} was written as {value!r} and reads back as {back!r}")


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def existing_number(path: Path) -> object:
    """The document number the notice at path holds, or None (also for an unreadable file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return read_fields(text, str(path)).values.get("doc_number")

