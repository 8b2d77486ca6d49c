"""Document numbers cited in a notice's text: found once, here, for the view and the pages.

Typically 《title》（三府〔2020〕124号）.  The bracket form is recognized in any
width (〔〕 [] ［］ () （） 【】); the prefix is the longest tail of the Han
run before the bracket that names a known number, so 经三府〔2020〕1号 finds
三府〔2020〕1号 and never 经三府.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container

from .docnumber import DocNumber

_NUMBER = re.compile(
    r"([\u3400-\u4dbf\u4e00-\u9fff]{1,12})\s*[〔\[［(（【]\s*([0-9０-９]{4})\s*[〕\]］)）】]\s*第?\s*([0-9０-９]{1,6})\s*号"
)


def find(text: str, known: Container[DocNumber]) -> list[tuple[int, int, DocNumber]]:
    """(start, end, number) of every cited number in text that is in known."""
    out = []
    for m in _NUMBER.finditer(text):
        run = m[1]
        year, serial = int(unicodedata.normalize("NFKC", m[2])), int(unicodedata.normalize("NFKC", m[3]))
        for k in range(len(run), 0, -1):
            number = DocNumber(run[-k:], year, serial)
            if number in known:
                out.append((m.start(1) + len(run) - k, m.end(), number))
                break
    return out


def link_numbers(html: str, href: Callable[[DocNumber], str | None]) -> str:
    """Clean HTML with every resolvable cited number made a link (never inside a link).

    href(number) is the address of the cited notice's page, or None to leave
    the number as text (not in the corpus, not public, or the notice itself).
    """
    out, in_link = [], 0
    for part in re.split(r"(<[^>]+>)", html):
        if part.startswith("<"):
            tag = part[1:].split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            in_link += 1 if tag == "a" else -1 if tag == "/a" else 0
            out.append(part)
            continue
        if in_link or not part:
            out.append(part)
            continue
        last, pieces = 0, []
        for start, end, number in find(part, _Resolvable(href)):
            pieces += [part[last:start], f'<a class="citation" href="{href(number)}">{part[start:end]}</a>']
            last = end
        out.append("".join(pieces) + part[last:])
    return "".join(out)


class _Resolvable:
    """A Container that holds the numbers href() can link."""

    def __init__(self, href):
        self.href = href

    def __contains__(self, number) -> bool:
        return self.href(number) is not None
