"""Reading a text file staff have: the encoding, the line endings, the invisible debris.

A file copied from a gazette or a web page may be UTF-8 (with or without a
byte-order mark), GBK or GB18030 (what Chinese Windows saves by default), or
UTF-16 (Notepad's "Unicode").  The encoding is detected, never assumed:
strict UTF-8 first, then GB18030 (a superset of GBK and GB2312), and only if
neither reads the file, a detector (charset-normalizer), whose guess is
reported so that the clerk can check the text.

Cleaning never changes a visible character.  It drops what a notice must not
hold (control characters, bidirectional overrides, zero-width characters),
what Word leaves in exported text (`[bookmark: _GoBack]`), and page numbers
(`— 2 —`) that a PDF extraction puts between paragraphs; each is counted in a
note, so nothing disappears unannounced.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..fields import CONTROL


@dataclass
class Decoded:
    text: str
    encoding: str                          # as reported to the clerk
    notes: list[str] = field(default_factory=list)


class UnreadableError(ValueError):
    """The bytes are not text in any encoding we can tell."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),   # before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with a byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def decode(data: bytes) -> Decoded:
    """The text of a file, and the encoding it was read in."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(codec), name)
            except UnicodeDecodeError:
                break
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("gb18030"), "GB18030 (GBK)")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnreadableError("is not text in UTF-8, GB18030 or any encoding charset-normalizer recognizes; "
                              "save it as UTF-8 text and import it again")
    text = str(best)
    return Decoded(text, best.encoding, [
        f"encoding: neither UTF-8 nor GB18030; read as {best.encoding}, as charset-normalizer guessed — "
        "check that the Chinese reads correctly",
    ])


# Everything that ends a line, in any convention (Windows, old Mac, Unicode, page breaks).
_NEWLINES = re.compile("\r\n|\r|\f|\v|\u2028|\u2029|\x85")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Word's hidden bookmark as converters print it, and pandoc's form of it.
_WORD_ARTEFACTS = re.compile(r"\[bookmark:[^\]\n]*\]|\[\]\{#[^}\n]*\}")
# A page number alone on its line: — 2 —, - 2 -, －2－.
_PAGE_NUMBER = re.compile(r"^[ \t\u3000]*[-－—–]{1,2}[ \t\u3000]*[0-9０-９]{1,4}[ \t\u3000]*[-－—–]{1,2}[ \t\u3000]*$")


def clean(text: str) -> tuple[list[str], list[str]]:
    """The lines of a text, and notes saying what was removed from it."""
    notes = []
    text = _NEWLINES.sub("\n", text.removeprefix("\ufeff"))

    def count(pattern: re.Pattern, what: str, text: str) -> str:
        found = len(pattern.findall(text))
        if found:
            notes.append(f"removed {found} {what}")
        return pattern.sub("", text)

    text = count(_WORD_ARTEFACTS, "Word bookmark marker(s) such as [bookmark: _GoBack]", text)
    text = count(_ZERO_WIDTH, "zero-width character(s)", text)
    # Tab and newline stay (a tab separates table cells); every other control goes.
    text = count(CONTROL, "invisible control or direction-override character(s)", text)
    lines = text.split("\n")
    kept = [line for line in lines if not _PAGE_NUMBER.match(line)]
    if len(kept) != len(lines):
        notes.append(f"removed {len(lines) - len(kept)} page number line(s) such as — 2 —")
    return kept, notes
