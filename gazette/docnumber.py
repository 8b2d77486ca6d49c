"""Document numbers (发文字号): parse any common spelling, normalize, sort.

Clerks and citizens write one number many ways: 三府〔2020〕124号, 三府[2020]124号,
三府（2020）124 号, 三府２０２０年１２４号, 三府 2020 124.  All of them are one
number: prefix (机关代字) 三府, year 2020, serial 124.  The normalized form uses
the hexagonal brackets 〔〕, no spaces and a trailing 号.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import tokens


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


def parse(text: str) -> DocNumber:
    """Split a document number in any common spelling into its parts (rules: gazette/tokens.py)."""
    if not isinstance(text, str):
        raise DocNumberError(f"expected text, got {text!r}")
    parts = tokens.parse_number(text)
    if parts is None:
        raise DocNumberError(f"expected a document number like 三府〔2020〕124号, got {text!r}")
    return DocNumber(*parts)


def normalize(text: str) -> str:
    """The one spelling used for comparing, sorting and searching."""
    return str(parse(text))


def try_parse(text: str) -> DocNumber | None:
    try:
        return parse(text)
    except DocNumberError:
        return None
