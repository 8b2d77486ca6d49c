"""Small text helpers shared by the page writers."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re


def cn_date(day: dt.date) -> str:
    """2020-07-06 -> 2020年7月6日, as dates are written in official documents."""
    return f"{day.year}年{day.month}月{day.day}日"


def esc(text: str) -> str:
    """Escape text for HTML written into a Markdown page."""
    return html.escape(text, quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_text(text: str) -> str:
    """Escape text for use as Markdown link text or table cell."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def href(from_src: str, to_src: str) -> str:
    """Relative address from one page to another, both given as .md sources.

    Raw HTML inside Markdown is not rewritten by MkDocs, so links in our HTML
    blocks are computed here, relative, so that they work from file:// too.
    """
    target = re.sub(r"\.md$", ".html", to_src)
    return posixpath.relpath(target, posixpath.dirname(from_src) or ".")


def md_href(from_src: str, to_src: str) -> str:
    """Relative link between .md sources, for Markdown links MkDocs checks."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
