"""Document numbers (发文字号): parse any common spelling, normalize, sort.

Clerks and citizens write one number many ways: 三府〔2020〕124号, 三府[2020]124号,
三府（2020）124 号, 三府２０２０年１２４号, 三府 2020 124.  All of them are one
number: prefix (机关代字) 三府, year 2020, serial 124.  The normalized form uses
the hexagonal brackets 〔〕, no spaces and a trailing 号.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Every bracket pair people type around the year, mapped to 〔 and 〕.
_OPEN = "〔[［(（【｛{〖"
_CLOSE = "〕]］)）】｝}〗"
_BRACKETS = str.maketrans({**{c: "〔" for c in _OPEN}, **{c: "〕" for c in _CLOSE}})

_YEAR = r"(?P<year>\d{4})"
_SERIAL = r"(?P<serial>\d{1,6})"
_PREFIX = r"(?P<prefix>[^\d〔〕]+?)"
# Tried in order; spaces are allowed around every part and dropped.
_FORMS = [
    re.compile(rf"^{_PREFIX}\s*〔\s*{_YEAR}\s*〕\s*第?\s*{_SERIAL}\s*号?$"),
    re.compile(rf"^{_PREFIX}\s*{_YEAR}\s*年\s*第?\s*{_SERIAL}\s*号?$"),
    re.compile(rf"^{_PREFIX}\s+{_YEAR}\s+{_SERIAL}\s*号?$"),
]


class DocNumberError(ValueError):
    """Raised for text that is not a document number."""


@dataclass(frozen=True, order=True)
class DocNumber:
    prefix: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.serial}号"

    @property
    def sort_key(self) -> tuple[str, int, int]:
        return (self.prefix, self.year, self.serial)


def _fold(text: str) -> str:
    # NFKC turns full-width digits and letters into ASCII and U+3000 into a
    # space; it leaves 〔〕 and Han characters alone.
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_BRACKETS).strip()


def parse(text: str) -> DocNumber:
    """Split a document number in any common spelling into its parts."""
    if not isinstance(text, str):
        raise DocNumberError(f"expected text, got {text!r}")
    folded = _fold(text)
    for form in _FORMS:
        match = form.match(folded)
        if match:
            prefix = re.sub(r"\s+", "", match["prefix"])
            if not prefix:
                break
            return DocNumber(prefix, int(match["year"]), int(match["serial"]))
    raise DocNumberError(
        f"expected a document number like 三府〔2020〕124号, got {text!r}"
    )


def normalize(text: str) -> str:
    """The one spelling used for comparing, sorting and searching."""
    return str(parse(text))


def try_parse(text: str) -> DocNumber | None:
    try:
        return parse(text)
    except DocNumberError:
        return None
